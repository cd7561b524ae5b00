package stats

import (
	"fmt"
	"math"
)

// Change is the difference b - a of two independent estimates (for example this
// week's NPS against last week's) with its normal interval and two-sided z-test.
type Change struct {
	Diff    float64  `json:"diff"`
	DiffCI  Interval `json:"diff_ci"`
	SE      float64  `json:"se"`
	Z       float64  `json:"z"`
	PValue  float64  `json:"p_value"`
	Defined bool     `json:"defined"`
	Reason  string   `json:"reason,omitempty"`
}

// CompareEstimates compares two independent estimates, such as one
// period's NPS, rate or mean rating against the previous period's, from
// each estimate and its standard error:
//
//	diff = after - before,  SE = sqrt(se_before² + se_after²),  z = diff / SE,
//
// with the interval diff ± z_{1-α/2} SE and the two-sided p-value
// 2(1 - Φ(|z|)) (accurate down to the smallest positive double, see
// CompareNPS). The estimates must come from disjoint sets of respondents
// (independent samples); for the same respondents measured twice the
// covariance would be needed. Units are those of the estimates: NPS points
// for NPS, fractions for rates.
//
// The result is not Defined (p = 1) when SE is 0 (then the interval is
// [diff, diff]) or when an estimate or a standard error is NaN or infinite
// (then diff and the interval are 0 too); Reason says which. It panics on a
// negative standard error or a confidence outside (0, 1).
//
// Source: the large-sample z-test for the difference of two independent
// estimates, Rice, J. A. (2007) Mathematical Statistics and Data Analysis,
// 3rd ed., sec. 11.2; for NPS, Rocks, B. (2016) Am Stat 70:365-372.
func CompareEstimates(before, seBefore, after, seAfter, confidence float64) Change {
	z := zTwoSided(confidence)
	if seBefore < 0 || seAfter < 0 {
		panic(fmt.Sprintf("stats: negative standard error %v or %v", seBefore, seAfter))
	}
	r := Change{PValue: 1}
	for _, v := range []float64{before, seBefore, after, seAfter} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			r.Reason = "an estimate or its standard error is not a finite number"
			return r
		}
	}
	r.Diff = after - before
	r.SE = math.Hypot(seBefore, seAfter)
	if r.SE == 0 {
		r.DiffCI = Interval{Lo: r.Diff, Hi: r.Diff}
		r.Reason = "both standard errors are 0: test undefined"
		return r
	}
	r.Defined = true
	r.Z = r.Diff / r.SE
	r.PValue = normalP(r.Z, TwoSided)
	r.DiffCI = Interval{Lo: r.Diff - z*r.SE, Hi: r.Diff + z*r.SE}
	return r
}
