package stats

import (
	"fmt"
	"math"
	"testing"
)

// ratingFromCase builds a Rating from a reference case's values (refs_public)
// or counts per level (refs_extra) through n, sum, sum of squares and counts,
// as the SQL aggregation will.
func ratingFromCase(t *testing.T, c refCase, conf float64) Rating {
	t.Helper()
	counts := make([]int64, 5)
	if c.has("values") {
		for _, v := range c.ints(t, "values") {
			counts[v-1]++
		}
	} else {
		copy(counts, c.ints(t, "level_counts"))
	}
	var n int64
	var sum, sumSq float64
	for i, k := range counts {
		v := float64(i + 1)
		n += k
		sum += float64(k) * v
		sumSq += float64(k) * v * v
	}
	return RatingSummary(n, sum, sumSq, counts, conf)
}

// TestMeansReference checks RatingSummary and CompareRatings (Welch) against
// every means case of refs_public.json and refs_extra.json (scipy ttest_ind
// with equal_var=False, t intervals) and the welch_from_stats cases
// (scipy ttest_ind_from_stats).
func TestMeansReference(t *testing.T) {
	for _, file := range refFiles {
		refs := loadRefs(t, file)
		if len(refs.Means) == 0 {
			t.Fatalf("%s: no means cases", file)
		}
		for i, c := range refs.Means {
			t.Run(fmt.Sprintf("%s/%d", file, i), func(t *testing.T) {
				var groups [2]Rating
				for j, name := range []string{"control", "exposed"} {
					g := c.sub(t, name)
					r := ratingFromCase(t, g, 0.9)
					groups[j] = r
					if r.N != g.i(t, "n") || !r.Defined || !r.MeanCIDefined || !r.Top2BoxDefined {
						t.Errorf("%s: n = %d, defined %v %v %v", name, r.N, r.Defined, r.MeanCIDefined, r.Top2BoxDefined)
					}
					checkNum(t, name+" mean", r.Mean, g.f(t, "mean"), tolClosed)
					checkNum(t, name+" sd", r.SD, g.f(t, "sd"), tolClosed)
					checkNum(t, name+" top2box", r.Top2Box, g.f(t, "top2box_share"), tolClosed)
					if !r.Top2BoxCI.Contains(r.Top2Box) {
						t.Errorf("top2box ci %v", r.Top2BoxCI)
					}
					for _, conf := range []float64{0.9, 0.95} {
						k := fmt.Sprintf("ci_%d", int(math.Round(conf*100)))
						if g.has(k) {
							checkIv(t, name+" "+k, ratingFromCase(t, g, conf).MeanCI, g.iv(t, k), tolT)
						}
					}
					g.done(t)
				}
				w := CompareRatings(groups[1], groups[0], 0.9)
				if !w.Defined {
					t.Fatalf("welch undefined: %s", w.Reason)
				}
				checkNum(t, "welch t", w.T, c.f(t, "welch_t"), tolClosed)
				checkP(t, "welch p", w.PValue, c.f(t, "welch_p_two_sided"), tolWelchP)
				if c.has("welch_df") {
					checkNum(t, "welch df", w.DF, c.f(t, "welch_df"), tolClosed)
					checkNum(t, "mean diff", w.MeanDiff, c.f(t, "mean_diff"), 1e-12)
					checkIv(t, "mean diff ci", w.MeanDiffCI, c.iv(t, "mean_diff_ci_90"), tolT)
				}
				c.done(t)
			})
		}
		for i, c := range refs.WelchFromStats {
			t.Run(fmt.Sprintf("%s/stats/%d", file, i), func(t *testing.T) {
				var g [2]Rating
				for j, name := range []string{"control", "exposed"} {
					s := c.sub(t, name)
					g[j] = Rating{N: s.i(t, "n"), Mean: s.f(t, "mean"), SD: s.f(t, "sd")}
					s.done(t)
				}
				w := CompareRatings(g[1], g[0], 0.9)
				checkNum(t, "t", w.T, c.f(t, "t"), tolClosed)
				// tolWelchP: tSurvival reaches 1.2e-11 at df >= 10^6, and
				// scipy's t.sf (the first cases) about 1e-13; gonum's
				// StudentsT.Survival is off by 1e-9 at df = 2e6.
				checkP(t, "p", w.PValue, c.f(t, "p"), tolWelchP)
				c.done(t)
			})
		}
	}
}

// tolWelchP is the relative tolerance of Welch p-values (see TestTTail).
const tolWelchP = 3e-11

func TestRatingDegenerate(t *testing.T) {
	if r := RatingSummary(0, 0, 0, nil, 0.9); r.Defined || r.Reason == "" {
		t.Errorf("empty = %+v", r)
	}
	one := RatingSummary(1, 4, 16, []int64{0, 0, 0, 1, 0}, 0.9)
	if !one.Defined || one.MeanCIDefined || one.Mean != 4 || one.Top2Box != 1 || one.Reason == "" {
		t.Errorf("n = 1: %+v", one)
	}
	same := RatingSummary(3, 9, 27, nil, 0.9)
	if same.SD != 0 || same.MeanCI != (Interval{3, 3}) || same.Top2BoxDefined || same.Reason == "" {
		t.Errorf("constant: %+v", same)
	}
	if w := CompareRatings(one, same, 0.9); w.Defined || w.PValue != 1 || w.MeanDiff != 1 {
		t.Errorf("welch with n = 1: %+v", w)
	}
	if w := CompareRatings(Rating{}, same, 0.9); w.Defined || w.MeanDiff != 0 {
		t.Errorf("welch with n = 0: %+v", w)
	}
	w := CompareRatings(same, RatingSummary(2, 4, 8, nil, 0.9), 0.9)
	if w.Defined || w.PValue != 1 || w.MeanDiff != 1 || w.Reason == "" {
		t.Errorf("welch with no spread: %+v", w)
	}
	assertJSON(t, w)
}
