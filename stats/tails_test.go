package stats

import (
	"fmt"
	"math"
	"testing"
)

// P-values far in the tails, down to 1e-300, against mpmath at 40 digits
// (refs_extra.json: normal_tail, t_tail, chi2_tail, proportions_extreme).
// All checks are relative (checkP): an absolute tolerance says nothing
// about a p-value of 1e-200.

// TestNormalTail checks normalP against erfc(|z|/√2) from mpmath for z
// from 0.3 to 37.5 (p down to 9e-308). The rounding of z/√2 alone costs
// z² × 1.1e-16 relative (1.6e-13 at z = 37.5).
func TestNormalTail(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").NormalTail
	if len(cases) < 10 {
		t.Fatalf("%d normal tail cases", len(cases))
	}
	for _, c := range cases {
		z := c.f(t, "z")
		t.Run(fmt.Sprint(z), func(t *testing.T) {
			checkP(t, "two-sided", normalP(z, TwoSided), c.f(t, "p_two_sided"), 1e-12)
			checkP(t, "greater", normalP(z, Greater), c.f(t, "p_greater"), 1e-12)
			checkP(t, "less", normalP(z, Less), c.f(t, "p_less"), 1e-12)
			c.done(t)
		})
	}
}

// TestTTail checks tSurvival against the quadrature of the t density in
// mpmath, for df from 1 to 1.7e6 and p from 0.3 to 1e-300.
func TestTTail(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").TTail
	if len(cases) < 90 {
		t.Fatalf("%d t tail cases", len(cases))
	}
	var worstSmall, worstLarge float64
	for _, c := range cases {
		x, df, want := c.f(t, "t"), c.f(t, "df"), c.f(t, "sf")
		got := tSurvival(x, df)
		// The continued fraction is evaluated near x = 1 at df >= 10^6,
		// which costs about 1e-11 there; 5e-13 is reached below.
		tol := 2e-12
		if df > 1e5 {
			tol = 3e-11
		}
		checkP(t, fmt.Sprintf("P(T_%v > %v)", df, x), got, want, tol)
		rel := math.Abs(got-want) / want
		if df > 1e5 {
			worstLarge = max(worstLarge, rel)
		} else {
			worstSmall = max(worstSmall, rel)
		}
		if want > 1e-3 {
			checkP(t, fmt.Sprintf("P(T_%v > -%v)", df, x), tSurvival(-x, df), 1-want, 1e-13)
		}
		c.done(t)
	}
	t.Logf("worst relative error: %.2g for df <= 1e5, %.2g above", worstSmall, worstLarge)
	if p := tSurvival(0, 7); p != 0.5 {
		t.Errorf("P(T > 0) = %v", p)
	}
	if p := tSurvival(math.Inf(1), 3); p != 0 {
		t.Errorf("P(T > inf) = %v", p)
	}
	if !math.IsNaN(tSurvival(math.NaN(), 3)) || !math.IsNaN(tSurvival(1, 0)) {
		t.Error("NaN or df = 0 not NaN")
	}
}

// TestChi2Tail checks chiSquareP (gonum's igamc) against mpmath's
// regularized upper incomplete gamma for df = 1..7 up to x = 1400
// (p = 1e-298 to 1e-306).
func TestChi2Tail(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").Chi2Tail
	if len(cases) < 50 {
		t.Fatalf("%d chi2 tail cases", len(cases))
	}
	for _, c := range cases {
		df, x := int(c.i(t, "df")), c.f(t, "x")
		checkP(t, fmt.Sprintf("Q(%d, %v)", df, x), chiSquareP(x, df), c.f(t, "sf"), 1e-12)
		c.done(t)
	}
}

// TestProportionsExtreme checks the z-test and Fisher's test on tables
// whose p-values run from 1e-15 to 1e-306 (and one below the smallest
// double, which must give exactly 0).
func TestProportionsExtreme(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").ProportionsExtreme
	if len(cases) < 5 {
		t.Fatalf("%d cases", len(cases))
	}
	for _, c := range cases {
		e := Count{Positive: c.i(t, "x_exposed"), N: c.i(t, "n_exposed")}
		k := Count{Positive: c.i(t, "x_control"), N: c.i(t, "n_control")}
		t.Run(fmt.Sprintf("%v_vs_%v", e, k), func(t *testing.T) {
			z, p, ok := ZTest(e, k, TwoSided)
			if !ok {
				t.Fatal("not ok")
			}
			checkNum(t, "z", z, c.f(t, "z"), 1e-13)
			// z from float counts carries ~4e-16 relative error, which p
			// turns into z² × 4e-16 (5e-13 at z = 37).
			checkP(t, "p two-sided", p, c.f(t, "p_two_sided"), 1e-11)
			_, pg, _ := ZTest(e, k, Greater)
			_, pl, _ := ZTest(e, k, Less)
			checkP(t, "p greater", pg, c.f(t, "p_greater"), 1e-11)
			checkP(t, "p less", pl, c.f(t, "p_less"), 1e-11)
			l := CompareProportions(e, k, 0.9)
			checkP(t, "lift p", l.PValue, c.f(t, "p_two_sided"), 1e-11)
			checkP(t, "fisher", l.PValueFisher, c.f(t, "fisher_p_mp"), 1e-10)
			c.done(t)
		})
	}
}
