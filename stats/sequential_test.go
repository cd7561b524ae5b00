package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestSequentialLift(t *testing.T) {
	e, c := Count{560, 2000}, Count{500, 2000}
	s := SequentialLift(e, c, 0.9, 0)
	if !s.Defined || s.Tuning != DefaultSequentialTuning {
		t.Fatalf("%+v", s)
	}
	// rho² from the closed form at alpha = 0.1 (Waudby-Smith et al., eq. for ρ).
	la := -2 * math.Log(0.1)
	checkNum(t, "rho2", s.Rho2, (la+math.Log(la+1))/5000, 1e-15)
	// The sequence is wider than the fixed-n Wald interval...
	fixed := WaldInterval(e, c, 0.9)
	if !(s.CS.Lo < fixed.Lo && s.CS.Hi > fixed.Hi) {
		t.Errorf("CS %v not wider than fixed %v", s.CS, fixed)
	}
	// ...and its p-value is larger than the fixed-n one.
	if _, p, _ := ZTest(e, c, TwoSided); !(s.PValue > p) {
		t.Errorf("sequential p %v <= fixed p %v", s.PValue, p)
	}
	// Duality: p <= alpha exactly when the sequence at 1 - alpha excludes 0.
	for _, conf := range []float64{0.8, 0.9, 0.95, 0.99} {
		for _, xe := range []int64{500, 540, 560, 580, 600, 650} {
			seq := SequentialLift(Count{xe, 2000}, c, conf, 4000)
			excl := !seq.CS.Contains(0)
			// ρ is tuned at this confidence, so both use the same ρ.
			if excl != (seq.PValue <= 1-conf) {
				t.Errorf("conf %v x %d: CS %v excludes 0 = %v but p = %v", conf, xe, seq.CS, excl, seq.PValue)
			}
		}
	}
	// Tightest near N*: the half-width times sqrt(N) is smallest there.
	width := func(n int64, tuning float64) float64 {
		q := SequentialLift(Count{n * 3 / 10, n}, Count{n * 3 / 10, n}, 0.9, tuning)
		return q.CS.Width() * math.Sqrt(float64(2*n))
	}
	if !(width(2500, 5000) < width(250, 5000) && width(2500, 5000) < width(25000, 5000)) {
		t.Error("sequence not tightest near N*")
	}
	// Degenerate cases.
	if s := SequentialLift(Count{0, 0}, c, 0.9, 0); s.Defined || s.PValue != 1 || s.Reason == "" {
		t.Errorf("empty group: %+v", s)
	}
	if s := SequentialLift(Count{0, 10}, Count{0, 10}, 0.9, 0); s.Defined || s.PValue != 1 || s.CS != (Interval{}) {
		t.Errorf("no variance: %+v", s)
	}
	assertJSON(t, s)
}

// TestSequentialReference checks SequentialLift and SequentialDiff against
// their closed forms evaluated in mpmath at 40 digits (sequential cases of
// refs_extra.json, p from 0.83 down to 1e-298 and 0).
func TestSequentialReference(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").Sequential
	if len(cases) < 8 {
		t.Fatalf("%d sequential cases", len(cases))
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			conf, tuning := c.f(t, "confidence"), c.f(t, "tuning")
			var s Sequential
			if c.has("diff") {
				s = SequentialDiff(c.f(t, "diff"), c.f(t, "variance"), c.i(t, "n"), conf, tuning)
			} else {
				e := Count{Positive: c.i(t, "x_exposed"), N: c.i(t, "n_exposed")}
				k := Count{Positive: c.i(t, "x_control"), N: c.i(t, "n_control")}
				s = SequentialLift(e, k, conf, tuning)
			}
			if !s.Defined {
				t.Fatalf("not defined: %s", s.Reason)
			}
			checkNum(t, "rho2", s.Rho2, c.f(t, "rho2"), 1e-14)
			checkIv(t, "cs", s.CS, c.iv(t, "cs"), 1e-13)
			// log p is of order 700 at p = 1e-300; its rounding costs
			// 700 × 1e-16 relative in p.
			checkP(t, "p", s.PValue, c.f(t, "p"), 1e-12)
			c.done(t)
		})
	}
}

func TestSequentialDiff(t *testing.T) {
	// SequentialLift is SequentialDiff on p_e - p_c and its unpooled variance.
	e, c := Count{560, 2000}, Count{500, 2000}
	pe, pc := e.Rate(), c.Rate()
	v := pe*(1-pe)/2000 + pc*(1-pc)/2000
	if a, b := SequentialLift(e, c, 0.9, 3000), SequentialDiff(pe-pc, v, 4000, 0.9, 3000); a != b {
		t.Errorf("SequentialLift %+v != SequentialDiff %+v", a, b)
	}
	// Duality, in NPS points: p <= alpha exactly when the sequence excludes 0.
	for _, d := range []float64{-9, -3, 0.5, 2, 4, 6, 12} {
		s := SequentialDiff(d, 4, 3000, 0.9, 0)
		if (s.PValue <= 0.1) != !s.CS.Contains(0) {
			t.Errorf("d = %v: p = %v, CS %v", d, s.PValue, s.CS)
		}
	}
	for name, s := range map[string]Sequential{
		"n = 0":        SequentialDiff(1, 1, 0, 0.9, 0),
		"n < 0":        SequentialDiff(1, 1, -5, 0.9, 0),
		"variance 0":   SequentialDiff(1, 0, 100, 0.9, 0),
		"variance < 0": SequentialDiff(1, -1, 100, 0.9, 0),
		"variance NaN": SequentialDiff(1, math.NaN(), 100, 0.9, 0),
		"variance inf": SequentialDiff(1, math.Inf(1), 100, 0.9, 0),
		"diff NaN":     SequentialDiff(math.NaN(), 1, 100, 0.9, 0),
	} {
		if s.Defined || s.PValue != 1 || s.CS != (Interval{}) || s.Reason == "" {
			t.Errorf("%s: %+v", name, s)
		}
		assertJSON(t, s)
	}
	if s := SequentialDiff(2.5, 0, 100, 0.9, 0); s.AbsLift != 2.5 {
		t.Errorf("estimate lost when the variance is 0: %+v", s)
	}
}
