package stats

import (
	"fmt"
	"math"
	"testing"
)

// TestSampleSizeReference checks every sample_size case of refs_public.json
// (Fleiss' formula, two-sided, as computed in gen_refs.py) and
// refs_extra.json (the same formula, also one-sided).
func TestSampleSizeReference(t *testing.T) {
	for _, file := range refFiles {
		refs := loadRefs(t, file)
		if len(refs.SampleSize) == 0 {
			t.Fatalf("%s: no sample size cases", file)
		}
		for i, c := range refs.SampleSize {
			t.Run(fmt.Sprintf("%s/%d", file, i), func(t *testing.T) {
				alt := TwoSided
				if c.has("alternative") && c.str(t, "alternative") == "larger" {
					alt = Greater
				}
				p, mde, a, pw := c.f(t, "p_control"), c.f(t, "mde_abs"), c.f(t, "alpha"), c.f(t, "power")
				checkNum(t, "n exact", SampleSizePerGroupExact(p, mde, a, pw, alt), c.f(t, "n_per_group_exact"), tolClosed)
				if got, want := SampleSizePerGroup(p, mde, a, pw, alt), c.i(t, "n_per_group"); got != want {
					t.Errorf("n = %d, want %d", got, want)
				}
				c.done(t)
			})
		}
	}
}

// TestDV360Table reproduces the upper ends of Google's published Display &
// Video 360 Brand Lift sample-size table (one-sided 90% significance, 80%
// power, 50% baseline) within 3%: the variant of Fleiss' formula that does
// is one-sided alpha = 0.1, pooled variance under the null, and total =
// 2 × n per group.
func TestDV360Table(t *testing.T) {
	table := []struct {
		lift  float64
		total float64
	}{{0.04, 2800}, {0.03, 5000}, {0.02, 11000}, {0.015, 20000}, {0.01, 45000}, {0.005, 180000}}
	for _, row := range table {
		got := float64(2 * SampleSizePerGroup(0.5, row.lift, 0.1, 0.8, Greater))
		dev := got/row.total - 1
		t.Logf("lift %.1f pt: total %.0f (DV360 %.0f, %+.1f%%)", 100*row.lift, got, row.total, 100*dev)
		if math.Abs(dev) > 0.03 {
			t.Errorf("lift %v: total %v is %.1f%% from DV360's %v", row.lift, got, 100*dev, row.total)
		}
		// Less and Greater are both one-sided.
		if SampleSizePerGroup(0.5, row.lift, 0.1, 0.8, Less) != SampleSizePerGroup(0.5, row.lift, 0.1, 0.8, Greater) {
			t.Error("one-sided sizes differ")
		}
	}
}

// TestPowerRoundTrip checks that Power, MinDetectableLift and
// SampleSizePerGroupExact are consistent with each other.
func TestPowerRoundTrip(t *testing.T) {
	for _, alt := range []Alternative{TwoSided, Greater} {
		for _, p := range []float64{0.05, 0.2, 0.5, 0.8} {
			for _, mde := range []float64{0.01, 0.03, 0.1} {
				n := SampleSizePerGroupExact(p, mde, 0.1, 0.8, alt)
				ni := int64(math.Round(n))
				// MDE at exactly n per group gives back mde.
				d, ok := MinDetectableLift(p, ni, ni, 0.1, 0.8, alt)
				if !ok {
					t.Fatalf("MDE not found for p=%v n=%d", p, ni)
				}
				if back := SampleSizePerGroupExact(p, d, 0.1, 0.8, alt); math.Abs(back-float64(ni)) > 1e-6*float64(ni) {
					t.Errorf("p=%v mde=%v %v: n=%d -> MDE %v -> n %v", p, mde, alt, ni, d, back)
				}
				if math.Abs(d-mde) > 1e-3*mde+mde/float64(ni) {
					t.Errorf("p=%v %v: MDE %v, want about %v", p, alt, d, mde)
				}
				// Power at the required n is the target power (0.8; the
				// two-sided form adds the negligible opposite tail).
				pw := Power(p, p+mde, ni, ni, 0.1, alt)
				if math.Abs(pw-0.8) > 2e-3 {
					t.Errorf("p=%v mde=%v %v: power %v at n=%d", p, mde, alt, pw, ni)
				}
			}
		}
	}
	// No effect: power is alpha.
	if pw := Power(0.3, 0.3, 1000, 1000, 0.05, TwoSided); math.Abs(pw-0.05) > 1e-12 {
		t.Errorf("two-sided power under no effect = %v", pw)
	}
	if pw := Power(0.3, 0.3, 1000, 1000, 0.05, Greater); math.Abs(pw-0.05) > 1e-12 {
		t.Errorf("one-sided power under no effect = %v", pw)
	}
	if pg, pl := Power(0.3, 0.33, 500, 500, 0.05, Greater), Power(0.3, 0.27, 500, 500, 0.05, Less); math.Abs(pg-pl) > 0.01 {
		t.Errorf("Greater %v and mirrored Less %v differ", pg, pl)
	}
	// Unequal groups need a larger lift.
	eq, _ := MinDetectableLift(0.3, 1000, 1000, 0.1, 0.8, TwoSided)
	uneq, _ := MinDetectableLift(0.3, 1800, 200, 0.1, 0.8, TwoSided)
	if !(uneq > eq) {
		t.Errorf("MDE 1800/200 = %v not above 1000/1000 = %v", uneq, eq)
	}
	if _, ok := MinDetectableLift(0.5, 1, 1, 0.05, 0.99, TwoSided); ok {
		t.Error("MDE found with one response per group")
	}
}

func TestPowerBoundaries(t *testing.T) {
	// An observed control rate of 0 is a valid planning input.
	if n := SampleSizePerGroup(0, 0.02, 0.1, 0.8, TwoSided); n <= 0 {
		t.Errorf("n at p = 0: %d", n)
	}
	if d, ok := MinDetectableLift(0, 500, 500, 0.1, 0.8, TwoSided); !ok || !(d > 0 && d < 0.05) {
		t.Errorf("MDE at p = 0: %v %v", d, ok)
	}
	if _, ok := MinDetectableLift(1, 500, 500, 0.1, 0.8, TwoSided); ok {
		t.Error("MDE at p = 1 found")
	}
	if p := Power(0, 0, 10, 10, 0.1, TwoSided); p != 0 {
		t.Errorf("power with no variance and no effect = %v", p)
	}
	if p := Power(0, 1, 10, 10, 0.1, Greater); p != 1 {
		t.Errorf("power with no variance and an effect = %v", p)
	}
	need, ok := StillNeededPerGroup(0.3, 0.02, 9000, 1000, 0.1, 0.8, TwoSided)
	if want := SampleSizePerGroup(0.3, 0.02, 0.1, 0.8, TwoSided) - 1000; !ok || need != want {
		t.Errorf("still needed = %d %v, want %d", need, ok, want)
	}
	if need, ok := StillNeededPerGroup(0.3, 0.02, 90000, 10000, 0.1, 0.8, TwoSided); !ok || need != 0 {
		t.Errorf("still needed when enough = %d %v", need, ok)
	}
	if _, ok := StillNeededPerGroup(0.99, 0.02, 10, 10, 0.1, 0.8, TwoSided); ok {
		t.Error("target above 100% accepted")
	}
}
