package stats

import (
	"fmt"
	"math"
	"testing"
)

// TestProportionsReference checks CompareProportions and the separate
// interval and test functions against every proportions case of
// refs_public.json (scipy/statsmodels, see refs_test.go) and refs_extra.json.
func TestProportionsReference(t *testing.T) {
	for _, file := range refFiles {
		refs := loadRefs(t, file)
		cases := append(append([]refCase(nil), refs.Proportions...), refs.ProportionsLarge...)
		if len(cases) == 0 {
			t.Fatalf("%s: no proportion cases", file)
		}
		for i, c := range cases {
			e := Count{Positive: c.i(t, "x_exposed"), N: c.i(t, "n_exposed")}
			k := Count{Positive: c.i(t, "x_control"), N: c.i(t, "n_control")}
			t.Run(fmt.Sprintf("%s/%d/%d-%d_vs_%d-%d", file, i, e.Positive, e.N, k.Positive, k.N), func(t *testing.T) {
				checkProportionCase(t, c, e, k)
				c.done(t)
			})
		}
	}
}

func checkProportionCase(t *testing.T, c refCase, e, k Count) {
	l := CompareProportions(e, k, 0.9)
	if !l.Defined {
		t.Fatalf("lift not defined: %s", l.Reason)
	}
	checkNum(t, "control rate", l.Control.Rate, c.f(t, "p_control"), tolClosed)
	checkNum(t, "exposed rate", l.Exposed.Rate, c.f(t, "p_exposed"), tolClosed)
	checkNum(t, "abs lift", l.AbsLift, c.f(t, "abs_lift"), tolClosed)
	if want, ok := c.opt(t, "rel_lift"); ok {
		if !l.RelLiftDefined {
			t.Errorf("rel lift undefined, want %v", want)
		}
		checkNum(t, "rel lift", l.RelLift, want, tolClosed)
	} else if l.RelLiftDefined || l.RelLift != 0 || l.RelLiftCI != (Interval{}) {
		t.Errorf("rel lift = %v %v defined=%v, want undefined", l.RelLift, l.RelLiftCI, l.RelLiftDefined)
	}
	if want, ok := c.opt(t, "headroom_lift"); ok {
		if !l.HeadroomLiftDefined {
			t.Errorf("headroom lift undefined, want %v", want)
		}
		checkNum(t, "headroom lift", l.HeadroomLift, want, tolClosed)
	} else if l.HeadroomLiftDefined || l.HeadroomLift != 0 {
		t.Errorf("headroom lift = %v defined=%v, want undefined", l.HeadroomLift, l.HeadroomLiftDefined)
	}

	z, p, ok := ZTest(e, k, TwoSided)
	if want, has := c.opt(t, "z_pooled"); has {
		checkNum(t, "z", l.Z, want, tolClosed)
		checkNum(t, "z (ZTest)", z, want, tolClosed)
		if !ok {
			t.Error("ZTest not ok")
		}
	} else if l.Z != 0 || z != 0 || ok {
		t.Errorf("z = %v, ok = %v; want 0 and not ok when statsmodels gives NaN", z, ok)
	}
	if want, has := c.opt(t, "p_value_pooled_two_sided"); has {
		checkP(t, "p two-sided", l.PValue, want, tolClosed)
		checkP(t, "p two-sided (ZTest)", p, want, tolClosed)
	} else if l.PValue != 1 || p != 1 {
		t.Errorf("p = %v, want 1 when the test has no variance", l.PValue)
	}
	if l.Significant != (l.PValue < 0.1) {
		t.Errorf("significant = %v with p = %v", l.Significant, l.PValue)
	}
	if c.has("p_value_pooled_larger") {
		_, pg, _ := ZTest(e, k, Greater)
		_, pl, _ := ZTest(e, k, Less)
		if want, has := c.opt(t, "p_value_pooled_larger"); has {
			checkP(t, "p one-sided", l.PValueOneSided, want, tolClosed)
			checkP(t, "p greater (ZTest)", pg, want, tolClosed)
			checkNum(t, "p less (ZTest)", pl, 1-want, 1e-9)
		} else if l.PValueOneSided != 1 {
			t.Errorf("one-sided p = %v, want 1", l.PValueOneSided)
		}
	}

	// scipy's own hypergeometric sums are off by up to 5e-10 relative at
	// n = 10^6 (see fisher_p_two_sided_mp, from mpmath at 40 digits).
	fisherTol := tolClosed
	if e.N+k.N > 100_000 {
		fisherTol = 2e-9
	}
	checkP(t, "fisher", l.PValueFisher, c.f(t, "fisher_p_two_sided"), fisherTol)
	checkP(t, "fisher (FisherExact)", FisherExact(e, k), c.f(t, "fisher_p_two_sided"), fisherTol)
	if want, ok := c.optIfPresent(t, "fisher_p_two_sided_mp"); ok {
		checkP(t, "fisher (mpmath)", l.PValueFisher, want, 1e-10)
	}

	exactRegime := e.N+k.N <= probBetterExactMaxN || min(e.Positive, e.N-e.Positive, k.Positive, k.N-k.Positive)+1 < probBetterMinParam
	if want, ok := c.optIfPresent(t, "prob_exposed_better_beta11"); ok {
		checkNum(t, "prob positive", l.ProbPositive, want, tolClosed)
	}
	if want, ok := c.optIfPresent(t, "prob_exposed_better_beta11_mp"); ok {
		if exactRegime {
			checkNum(t, "prob positive (mpmath)", l.ProbPositive, want, tolClosed)
		} else if math.Abs(l.ProbPositive-want) > 1e-6 {
			t.Errorf("prob positive (approximation) = %.12g, mpmath %.12g: off by more than 1e-6", l.ProbPositive, want)
		}
	}

	for _, conf := range []float64{0.80, 0.90, 0.95} {
		sfx := fmt.Sprintf("_%d", int(math.Round(conf*100)))
		lc := CompareProportions(e, k, conf)
		checkIv(t, "newcombe"+sfx, lc.AbsLiftCI, c.iv(t, "diff_ci_newcombe"+sfx), tolClosed)
		checkIv(t, "NewcombeInterval"+sfx, NewcombeInterval(e, k, conf), c.iv(t, "diff_ci_newcombe"+sfx), tolClosed)
		checkIv(t, "wald"+sfx, lc.AbsLiftWaldCI, c.iv(t, "diff_ci_wald"+sfx), tolClosed)
		checkIv(t, "WaldInterval"+sfx, WaldInterval(e, k, conf), c.iv(t, "diff_ci_wald"+sfx), tolClosed)
		checkIv(t, "exposed wilson"+sfx, lc.Exposed.CI, c.iv(t, "exposed_wilson"+sfx), tolClosed)
		checkIv(t, "Wilson"+sfx, Wilson(e, conf), c.iv(t, "exposed_wilson"+sfx), tolClosed)
		checkIv(t, "OneProportion"+sfx, OneProportion(e, conf).CI, c.iv(t, "exposed_wilson"+sfx), tolClosed)
		if c.has("control_wilson" + sfx) {
			checkIv(t, "control wilson"+sfx, lc.Control.CI, c.iv(t, "control_wilson"+sfx), tolClosed)
		}
		rel, relOK := RelLiftInterval(e, k, conf)
		if c.has("rel_lift_ci_log" + sfx) {
			want := c.iv(t, "rel_lift_ci_log"+sfx)
			checkIv(t, "rel lift ci"+sfx, lc.RelLiftCI, want, tolClosed)
			checkIv(t, "RelLiftInterval"+sfx, rel, want, tolClosed)
		} else if k.Positive > 0 {
			// Exposed has no positive answer: the interval is [-1, u].
			if !relOK || rel.Lo != -1 || !(rel.Hi > -1) || lc.RelLiftCI != rel {
				t.Errorf("rel lift ci with x_e = 0 = %v ok=%v", rel, relOK)
			}
		} else if relOK {
			t.Errorf("rel lift ci with x_c = 0 = %v, want not ok", rel)
		}
		checkHeadroom(t, lc, e, k, conf)
		checkInvariants(t, lc)
	}
}

// optIfPresent is opt for keys that only some reference files have.
func (c refCase) optIfPresent(t testing.TB, k string) (float64, bool) {
	if !c.has(k) {
		return 0, false
	}
	return c.opt(t, k)
}

// checkHeadroom checks the headroom interval against its definition: one
// minus the Katz interval of the ratio of non-positive rates.
func checkHeadroom(t *testing.T, l Lift, e, k Count, conf float64) {
	t.Helper()
	iv, ok := HeadroomLiftInterval(e, k, conf)
	if ok != l.HeadroomLiftDefined || iv != l.HeadroomLiftCI {
		t.Errorf("HeadroomLiftInterval = %v %v, Lift has %v %v", iv, ok, l.HeadroomLiftCI, l.HeadroomLiftDefined)
	}
	if !ok {
		return
	}
	fe := Count{Positive: e.N - e.Positive, N: e.N}
	fc := Count{Positive: k.N - k.Positive, N: k.N}
	r, rok := RelLiftInterval(fe, fc, conf)
	if !rok {
		t.Fatalf("ratio of non-positive rates undefined")
	}
	checkIv(t, "headroom ci", iv, Interval{Lo: -r.Hi, Hi: -r.Lo}, 1e-12)
}

// checkInvariants checks what must hold for any lift.
func checkInvariants(t *testing.T, l Lift) {
	t.Helper()
	if !l.AbsLiftCI.Contains(l.AbsLift) {
		t.Errorf("newcombe %v does not contain the lift %v", l.AbsLiftCI, l.AbsLift)
	}
	if l.AbsLiftCI.Lo < -1 || l.AbsLiftCI.Hi > 1 {
		t.Errorf("newcombe %v outside [-1, 1]", l.AbsLiftCI)
	}
	if l.RelLiftDefined && l.RelLiftCI.Lo < -1 {
		t.Errorf("rel lift ci %v below -1", l.RelLiftCI)
	}
	if l.HeadroomLiftDefined && !l.HeadroomLiftCI.Contains(l.HeadroomLift) {
		t.Errorf("headroom ci %v does not contain %v", l.HeadroomLiftCI, l.HeadroomLift)
	}
	for _, p := range []float64{l.PValue, l.PValueOneSided, l.PValueFisher, l.ProbPositive} {
		if !(p >= 0 && p <= 1) {
			t.Errorf("probability %v outside [0, 1]", p)
		}
	}
}

func TestCompareProportionsDegenerate(t *testing.T) {
	cases := []struct {
		name     string
		e, c     Count
		defined  bool
		rel, hdr bool
	}{
		{"both empty", Count{0, 0}, Count{0, 0}, false, false, false},
		{"exposed empty", Count{0, 0}, Count{3, 10}, false, false, false},
		{"control empty", Count{3, 10}, Count{0, 0}, false, false, false},
		{"control all zero", Count{3, 10}, Count{0, 10}, true, false, true},
		{"control all positive", Count{3, 10}, Count{10, 10}, true, true, false},
		{"all zero", Count{0, 10}, Count{0, 10}, true, false, true},
		{"all positive", Count{10, 10}, Count{10, 10}, true, true, false},
		{"n = 1", Count{1, 1}, Count{0, 1}, true, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			l := CompareProportions(tc.e, tc.c, 0.9)
			if l.Defined != tc.defined || l.RelLiftDefined != tc.rel || l.HeadroomLiftDefined != tc.hdr {
				t.Errorf("defined=%v rel=%v headroom=%v, want %v %v %v (%s)",
					l.Defined, l.RelLiftDefined, l.HeadroomLiftDefined, tc.defined, tc.rel, tc.hdr, l.Reason)
			}
			if (!tc.defined || !tc.rel || !tc.hdr) && l.Reason == "" {
				t.Error("no reason given for an undefined part")
			}
			if !tc.defined && (l.PValue != 1 || l.PValueFisher != 1 || l.AbsLift != 0 || l.AbsLiftCI != (Interval{})) {
				t.Errorf("undefined lift should have zero estimates and p = 1: %+v", l)
			}
			if !tc.defined && !(l.ProbPositive > 0 && l.ProbPositive < 1) {
				t.Errorf("prob positive %v", l.ProbPositive)
			}
			assertJSON(t, l)
		})
	}
	// An empty group in the separate functions.
	if iv := NewcombeInterval(Count{0, 0}, Count{1, 2}, 0.9); iv != (Interval{}) {
		t.Errorf("NewcombeInterval with empty group = %v", iv)
	}
	if iv := WaldInterval(Count{0, 0}, Count{1, 2}, 0.9); iv != (Interval{}) {
		t.Errorf("WaldInterval with empty group = %v", iv)
	}
	if _, ok := RelLiftInterval(Count{0, 0}, Count{1, 2}, 0.9); ok {
		t.Error("RelLiftInterval with empty group ok")
	}
	if _, ok := HeadroomLiftInterval(Count{1, 2}, Count{0, 0}, 0.9); ok {
		t.Error("HeadroomLiftInterval with empty group ok")
	}
	if _, p, ok := ZTest(Count{0, 0}, Count{1, 2}, TwoSided); ok || p != 1 {
		t.Error("ZTest with empty group")
	}
	if p := OneProportion(Count{0, 0}, 0.9); p.Defined || p.CI != (Interval{}) || p.Reason == "" {
		t.Errorf("OneProportion(0, 0) = %+v", p)
	}
	if iv := Wilson(Count{0, 0}, 0.9); iv != (Interval{0, 1}) {
		t.Errorf("Wilson(0, 0) = %v, want [0, 1]", iv)
	}
	// Every exposed answer positive: headroom interval is [l, 1].
	if iv, ok := HeadroomLiftInterval(Count{20, 20}, Count{10, 20}, 0.9); !ok || iv.Hi != 1 || !(iv.Lo < 1) {
		t.Errorf("headroom with p_e = 1: %v %v", iv, ok)
	}
}

func TestFrequencyCurve(t *testing.T) {
	control := Count{Positive: 200, N: 1000}
	buckets := []Count{{Positive: 60, N: 250}, {Positive: 80, N: 300}, {Positive: 0, N: 0}}
	curve := FrequencyCurve(buckets, control, 0.9)
	if len(curve) != 3 {
		t.Fatalf("len = %d", len(curve))
	}
	for i, b := range buckets {
		if want := CompareProportions(b, control, 0.9); curve[i] != want {
			t.Errorf("bucket %d differs from CompareProportions", i)
		}
	}
	if curve[2].Defined {
		t.Error("empty bucket defined")
	}
}
