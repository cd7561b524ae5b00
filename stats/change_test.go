package stats

import (
	"fmt"
	"math"
	"testing"
)

// TestChangeReference checks CompareEstimates against scipy (norm.sf and
// norm.ppf; change cases of refs_extra.json, p from 1 down to 1.5e-266 and 0).
func TestChangeReference(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").Change
	if len(cases) < 5 {
		t.Fatalf("%d change cases", len(cases))
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			b, sb, a, sa := c.f(t, "before"), c.f(t, "se_before"), c.f(t, "after"), c.f(t, "se_after")
			r := CompareEstimates(b, sb, a, sa, 0.9)
			if !r.Defined {
				t.Fatalf("not defined: %s", r.Reason)
			}
			checkNum(t, "diff", r.Diff, c.f(t, "diff"), tolClosed)
			checkNum(t, "se", r.SE, c.f(t, "se"), tolClosed)
			checkNum(t, "z", r.Z, c.f(t, "z"), tolClosed)
			checkP(t, "p", r.PValue, c.f(t, "p_value"), 1e-12)
			checkIv(t, "ci 90", r.DiffCI, c.iv(t, "diff_ci_90"), tolClosed)
			checkIv(t, "ci 95", CompareEstimates(b, sb, a, sa, 0.95).DiffCI, c.iv(t, "diff_ci_95"), tolClosed)
			c.done(t)
		})
	}
}

func TestCompareEstimatesDegenerate(t *testing.T) {
	// Two NPS values without spread: the difference is known, the test is not.
	r := CompareEstimates(40, 0, 45, 0, 0.9)
	if r.Defined || r.PValue != 1 || r.Diff != 5 || r.DiffCI != (Interval{5, 5}) || r.Reason == "" {
		t.Errorf("SE 0: %+v", r)
	}
	for _, in := range [][4]float64{{math.NaN(), 1, 2, 1}, {1, math.NaN(), 2, 1}, {1, 1, math.Inf(1), 1}, {1, 1, 2, math.Inf(1)}} {
		r := CompareEstimates(in[0], in[1], in[2], in[3], 0.9)
		if r.Defined || r.PValue != 1 || r.Diff != 0 || r.SE != 0 || r.DiffCI != (Interval{}) || r.Reason == "" {
			t.Errorf("%v: %+v", in, r)
		}
		assertJSON(t, r)
	}
	// The same as CompareNPS for two independent NPS values.
	a := NPSFromCounts([11]int64{5, 2, 3, 4, 6, 10, 15, 30, 45, 50, 30}, 0.9)
	b := NPSFromCounts([11]int64{9, 4, 3, 4, 6, 10, 25, 30, 35, 40, 20}, 0.9)
	ch, np := CompareEstimates(b.NPS, b.SE, a.NPS, a.SE, 0.9), CompareNPS(a, b, 0.9)
	checkNum(t, "diff", ch.Diff, np.Diff, 1e-13)
	checkNum(t, "se", ch.SE, np.SE, 1e-13)
	checkP(t, "p", ch.PValue, np.PValue, 1e-12)
	checkIv(t, "ci", ch.DiffCI, np.DiffCI, 1e-13)
}
