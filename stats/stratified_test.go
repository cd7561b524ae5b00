package stats

import (
	"fmt"
	"math"
	"testing"
)

// TestStratifiedReference checks StratifiedLift against numpy (the
// post-stratified difference and its variance) and statsmodels'
// StratifiedTable (CMH without continuity correction, pooled odds ratio)
// on random strata (2 to 12, n from 15 to 10^5 per stratum) and on cases
// with strata that lack a group (stratified cases of refs_extra.json).
func TestStratifiedReference(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").Stratified
	if len(cases) < 8 {
		t.Fatalf("%d stratified cases", len(cases))
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			raw, ok := c.raw(t, "strata").([]any)
			if !ok {
				t.Fatal("strata is not a list")
			}
			strata := make([]Stratum, len(raw))
			for j, row := range raw {
				v := row.([]any)
				strata[j] = Stratum{
					Exposed: Count{Positive: int64(v[0].(float64)), N: int64(v[1].(float64))},
					Control: Count{Positive: int64(v[2].(float64)), N: int64(v[3].(float64))},
				}
			}
			r := StratifiedLift(strata, 0.9)
			if !r.Defined || !r.CMHDefined || !r.OddsRatioMHDefined {
				t.Fatalf("not defined: %+v", r)
			}
			checkNum(t, "exposed rate", r.ExposedRate, c.f(t, "exposed_rate"), tolClosed)
			checkNum(t, "control rate", r.ControlRate, c.f(t, "control_rate"), tolClosed)
			checkNum(t, "abs lift", r.AbsLift, c.f(t, "abs_lift"), tolClosed)
			checkNum(t, "se", r.AbsLiftSE, c.f(t, "abs_lift_se"), tolClosed)
			checkNum(t, "z", r.Z, c.f(t, "z"), tolClosed)
			checkP(t, "p", r.PValue, c.f(t, "p_value"), 1e-11)
			checkIv(t, "ci 90", r.AbsLiftCI, c.iv(t, "abs_lift_ci_90"), tolClosed)
			checkIv(t, "ci 95", StratifiedLift(strata, 0.95).AbsLiftCI, c.iv(t, "abs_lift_ci_95"), tolClosed)
			checkNum(t, "cmh", r.CMH, c.f(t, "cmh_chi_sq"), tolClosed)
			checkP(t, "cmh p", r.CMHPValue, c.f(t, "cmh_p_value"), 1e-11)
			// statsmodels computes 1 - chi2.cdf: right to about 1e-16 absolute.
			if d := math.Abs(r.CMHPValue - c.f(t, "cmh_p_value_statsmodels")); d > 1e-15 {
				t.Errorf("cmh p %v vs statsmodels %v", r.CMHPValue, c.f(t, "cmh_p_value_statsmodels"))
			}
			checkNum(t, "odds ratio", r.OddsRatioMH, c.f(t, "odds_ratio_mh"), tolClosed)
			if r.Strata != int(c.i(t, "strata_used")) || r.Dropped != int(c.i(t, "strata_dropped")) ||
				r.DroppedExposed != c.i(t, "exposed_dropped") || r.DroppedControl != c.i(t, "control_dropped") {
				t.Errorf("strata %d dropped %d (%d exposed, %d control)", r.Strata, r.Dropped, r.DroppedExposed, r.DroppedControl)
			}
			if (r.Dropped > 0) != (r.Reason != "") {
				t.Errorf("reason %q with %d dropped", r.Reason, r.Dropped)
			}
			c.done(t)
		})
	}
}

func TestStratifiedLift(t *testing.T) {
	// One stratum: the plain unpooled comparison.
	e, c := Count{30, 100}, Count{20, 100}
	one := StratifiedLift([]Stratum{{Exposed: e, Control: c}}, 0.9)
	l := CompareProportions(e, c, 0.9)
	checkNum(t, "lift", one.AbsLift, l.AbsLift, 1e-15)
	checkNum(t, "se", one.AbsLiftSE, l.AbsLiftSE, 1e-15)
	checkIv(t, "ci", one.AbsLiftCI, WaldInterval(e, c, 0.9), 1e-14)
	// CMH on one table is the pooled z-test times (N-1)/N.
	z, _, _ := ZTest(e, c, TwoSided)
	checkNum(t, "cmh", one.CMH, z*z*199/200, 1e-13)

	// The control group is mostly in the low-rate stratum, so the crude
	// lift (47/100 - 49/180 = 0.198) overstates the within-stratum lifts of
	// 0.05 and 0.10, which the exposed weights 0.8 and 0.2 combine to 0.06.
	s := []Stratum{
		{Exposed: Count{40, 80}, Control: Count{9, 20}},  // 0.50 vs 0.45
		{Exposed: Count{7, 20}, Control: Count{40, 160}}, // 0.35 vs 0.25
		{Exposed: Count{0, 0}, Control: Count{0, 0}},     // empty: ignored
		{Exposed: Count{0, 0}, Control: Count{3, 10}},    // control only: dropped
	}
	r := StratifiedLift(s, 0.9)
	checkNum(t, "exposed rate", r.ExposedRate, 47.0/100, 1e-15)
	checkNum(t, "control rate", r.ControlRate, 0.8*0.45+0.2*0.25, 1e-15)
	checkNum(t, "lift", r.AbsLift, 0.8*0.05+0.2*0.10, 1e-15)
	if r.Strata != 2 || r.Dropped != 1 || r.DroppedExposed != 0 || r.DroppedControl != 10 || r.Reason == "" {
		t.Errorf("strata: %+v", r)
	}

	// Degenerate inputs never give NaN.
	for name, in := range map[string][]Stratum{
		"none":        nil,
		"all empty":   {{}},
		"one group":   {{Exposed: Count{3, 5}}, {Control: Count{1, 4}}},
		"all alike":   {{Exposed: Count{0, 5}, Control: Count{0, 7}}},
		"all exposed": {{Exposed: Count{5, 5}, Control: Count{0, 7}}},
	} {
		r := StratifiedLift(in, 0.9)
		assertJSON(t, r)
		if r.Reason == "" {
			t.Errorf("%s: no reason: %+v", name, r)
		}
		if !r.Defined && (r.PValue != 1 || r.CMHPValue != 1 || r.AbsLift != 0) {
			t.Errorf("%s: undefined but %+v", name, r)
		}
		if !r.OddsRatioMHDefined && r.OddsRatioMH != 0 {
			t.Errorf("%s: odds ratio %v", name, r.OddsRatioMH)
		}
	}
	if r := StratifiedLift([]Stratum{{Exposed: Count{3, 5}}, {Control: Count{1, 4}}}, 0.9); r.Defined || r.Dropped != 2 || r.DroppedExposed != 5 {
		t.Errorf("one group per stratum: %+v", r)
	}
	if r := StratifiedLift([]Stratum{{Exposed: Count{0, 5}, Control: Count{0, 7}}}, 0.9); !r.Defined || r.CMHDefined || r.PValue != 1 || r.OddsRatioMHDefined {
		t.Errorf("all alike: %+v", r)
	}
	if r := StratifiedLift([]Stratum{{Exposed: Count{5, 5}, Control: Count{0, 7}}}, 0.9); !r.CMHDefined || r.OddsRatioMHDefined || r.AbsLift != 1 {
		t.Errorf("separated: %+v", r)
	}
}
