package stats

import (
	"fmt"
	"math"
)

// Rating summarises answers on a 1..k rating scale (CSAT and similar).
// JSON names follow the results report.
type Rating struct {
	N      int64    `json:"n"`
	Mean   float64  `json:"mean"`
	SD     float64  `json:"sd"`
	SE     float64  `json:"se"`
	MeanCI Interval `json:"mean_ci"`
	// MeanCIDefined is false for n < 2, where there is no spread to
	// estimate.
	MeanCIDefined bool `json:"mean_ci_defined"`
	// Top2Box is the share of answers in the two highest levels with its
	// Wilson interval; Top2BoxDefined is false when no counts per level
	// were given.
	Top2Box   float64  `json:"top2box"`
	Top2BoxCI Interval `json:"top2box_ci"`
	// Top2BoxSE is the binomial standard error sqrt(p(1-p)/n) of Top2Box.
	Top2BoxSE      float64 `json:"top2box_se"`
	Top2BoxDefined bool    `json:"top2box_defined"`
	Defined        bool    `json:"defined"`
	Reason         string  `json:"reason,omitempty"`
}

// RatingSummary summarises n ratings from their sum and sum of squares
// (aggregated in SQL) and, optionally, their counts per level, where
// counts[i] is the number of answers at level i+1 of a 1..len(counts) scale:
//
//	mean = sum/n,  SD² = (sumSq - sum²/n)/(n - 1),  SE = SD/sqrt(n)
//	interval = mean ± t_{1-α/2, n-1} SE
//
// top-2-box = (counts[k-1] + counts[k-2]) / n with its Wilson interval
// (levels 4 and 5 of a 1-5 scale). Pass nil counts to skip top-2-box.
// It panics if n, sumSq or a count is negative, if counts has one level
// only, or if the counts do not add up to n. With n = 0 the result is not
// Defined; with n = 1 the SD and interval are not defined (MeanCIDefined).
//
// Source: Student (1908) The probable error of a mean. Biometrika 6:1-25;
// top-2-box: Wilson (1927), see Wilson.
func RatingSummary(n int64, sum, sumSq float64, counts []int64, confidence float64) Rating {
	z := zTwoSided(confidence)
	if n < 0 || !(sumSq >= 0) || math.IsNaN(sum) || math.IsInf(sum, 0) || math.IsInf(sumSq, 0) {
		panic(fmt.Sprintf("stats: invalid rating sums n=%d sum=%v sumSq=%v", n, sum, sumSq))
	}
	if len(counts) == 1 {
		panic("stats: a rating scale needs at least two levels")
	}
	var total int64
	for i, c := range counts {
		if c < 0 {
			panic(fmt.Sprintf("stats: negative count %d at level %d", c, i+1))
		}
		total += c
	}
	if counts != nil && total != n {
		panic(fmt.Sprintf("stats: counts per level add up to %d, not n=%d", total, n))
	}
	r := Rating{N: n}
	if n == 0 {
		r.Reason = "no responses"
		return r
	}
	r.Defined = true
	fn := float64(n)
	r.Mean = sum / fn
	if counts != nil {
		k := len(counts)
		top := counts[k-1] + counts[k-2]
		r.Top2Box = float64(top) / fn
		r.Top2BoxCI = wilson(float64(top), fn, z)
		r.Top2BoxSE = math.Sqrt(r.Top2Box * (1 - r.Top2Box) / fn)
		r.Top2BoxDefined = true
	}
	if n < 2 {
		r.Reason = "one response: no standard deviation or interval"
		return r
	}
	v := math.Max(0, (sumSq-sum*sum/fn)/(fn-1))
	r.SD = math.Sqrt(v)
	r.SE = r.SD / math.Sqrt(fn)
	h := tQuantile(1-(1-confidence)/2, fn-1) * r.SE
	r.MeanCI = Interval{Lo: r.Mean - h, Hi: r.Mean + h}
	r.MeanCIDefined = true
	if r.SD == 0 {
		r.Reason = "all answers equal: standard deviation is 0"
	}
	return r
}

// RatingComparison is Welch's t-test of two mean ratings, exposed minus
// control.
type RatingComparison struct {
	MeanDiff   float64  `json:"mean_diff"`
	MeanDiffCI Interval `json:"mean_diff_ci"`
	SE         float64  `json:"se"`
	T          float64  `json:"t"`
	DF         float64  `json:"df"`
	PValue     float64  `json:"p_value"`
	Defined    bool     `json:"defined"`
	Reason     string   `json:"reason,omitempty"`
}

// CompareRatings compares two mean ratings by Welch's t-test, which does
// not assume equal variances:
//
//	t = (m_e - m_c) / sqrt(s_e²/n_e + s_c²/n_c)
//	df = (s_e²/n_e + s_c²/n_c)² / ((s_e²/n_e)²/(n_e-1) + (s_c²/n_c)²/(n_c-1))
//
// (Welch-Satterthwaite), with a two-sided p-value from Student's t with df
// degrees of freedom (tSurvival, accurate down to p = 1e-300 and beyond)
// and the interval (m_e - m_c) ± t_{1-α/2, df} SE.
// It is not Defined (p = 1) when a group has fewer than two answers or
// neither group has any spread. Matches scipy.stats.ttest_ind(equal_var=False).
//
// Source: Welch, B. L. (1947) The generalization of "Student's" problem
// when several different population variances are involved. Biometrika
// 34:28-35; Satterthwaite, F. E. (1946) Biometrics Bulletin 2:110-114.
func CompareRatings(exposed, control Rating, confidence float64) RatingComparison {
	zTwoSided(confidence)
	r := RatingComparison{PValue: 1}
	if exposed.N < 2 || control.N < 2 {
		r.Reason = "a group has fewer than two responses"
		if exposed.N > 0 && control.N > 0 {
			r.MeanDiff = exposed.Mean - control.Mean
		}
		return r
	}
	r.MeanDiff = exposed.Mean - control.Mean
	ne, nc := float64(exposed.N), float64(control.N)
	ve, vc := exposed.SD*exposed.SD/ne, control.SD*control.SD/nc
	r.SE = math.Sqrt(ve + vc)
	if r.SE == 0 {
		r.MeanDiffCI = Interval{Lo: r.MeanDiff, Hi: r.MeanDiff}
		r.Reason = "no spread in either group: test undefined"
		return r
	}
	r.Defined = true
	// The Welch-Satterthwaite df in shares of the variance, so that
	// squaring a tiny variance cannot underflow to 0/0.
	fe, fc := ve/(ve+vc), vc/(ve+vc)
	r.DF = 1 / (fe*fe/(ne-1) + fc*fc/(nc-1))
	r.T = r.MeanDiff / r.SE
	r.PValue = math.Min(1, 2*tSurvival(math.Abs(r.T), r.DF))
	h := tQuantile(1-(1-confidence)/2, r.DF) * r.SE
	r.MeanDiffCI = Interval{Lo: r.MeanDiff - h, Hi: r.MeanDiff + h}
	return r
}
