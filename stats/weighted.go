package stats

import (
	"fmt"
	"math"
)

// KishEffectiveN returns Kish's effective sample size of weighted data,
//
//	n_eff = (Σ n_i w_i)² / Σ n_i w_i²,
//
// where counts[i] respondents share the weight weights[i]; nil counts means
// one respondent per weight. n_eff equals the number of respondents when all
// weights are equal and falls as weights grow unequal: the variance of a
// weighted mean is about that of a simple random sample of n_eff. It returns
// 0 when the total weight is 0 and panics on a negative or non-finite weight
// or count, or on slices of different lengths.
//
// Source: Kish, L. (1965) Survey Sampling, Wiley, ch. 11; Kish, L. (1992)
// Weighting for unequal P_i. J Off Stat 8:183-200.
func KishEffectiveN(weights []float64, counts []int64) float64 {
	if counts != nil && len(counts) != len(weights) {
		panic(fmt.Sprintf("stats: %d weights but %d counts", len(weights), len(counts)))
	}
	var s, s2 float64
	for i, w := range weights {
		n := 1.0
		if counts != nil {
			if counts[i] < 0 {
				panic(fmt.Sprintf("stats: negative count %d", counts[i]))
			}
			n = float64(counts[i])
		}
		if !(w >= 0) || math.IsInf(w, 0) {
			panic(fmt.Sprintf("stats: invalid weight %v", w))
		}
		s += n * w
		s2 += n * w * w
	}
	if s2 == 0 {
		return 0
	}
	return s * s / s2
}

// WeightedProportion is the weighted rate of positive answers in one group
// with its Kish effective sample size.
type WeightedProportion struct {
	N          int64   `json:"n"`
	Positive   int64   `json:"positive"`
	WeightSum  float64 `json:"weight_sum"`
	Rate       float64 `json:"rate"`
	EffectiveN float64 `json:"effective_n"`
}

// WeightCells returns the weighted rate of one group from cells: counts[i]
// respondents of whom positives[i] answered positively, each with weight
// weights[i] (for example Raking.Weights):
//
//	rate = Σ w_i x_i / Σ w_i n_i,  n_eff = KishEffectiveN(weights, counts).
//
// It panics on slices of different lengths, or a count, positive count or
// weight out of range.
//
// Source: the ratio (Hájek) estimator of a mean, Kish (1965) ch. 11.
func WeightCells(counts, positives []int64, weights []float64) WeightedProportion {
	if len(counts) != len(positives) || len(counts) != len(weights) {
		panic(fmt.Sprintf("stats: %d counts, %d positives and %d weights", len(counts), len(positives), len(weights)))
	}
	var wp WeightedProportion
	var wx float64
	for i := range counts {
		Count{Positive: positives[i], N: counts[i]}.check()
		wp.N += counts[i]
		wp.Positive += positives[i]
		wp.WeightSum += float64(counts[i]) * weights[i]
		wx += float64(positives[i]) * weights[i]
	}
	wp.EffectiveN = KishEffectiveN(weights, counts)
	if wp.WeightSum > 0 {
		wp.Rate = wx / wp.WeightSum
	}
	return wp
}

// CompareWeighted compares two weighted groups as CompareProportions does,
// treating each group as a simple random sample of n_eff respondents with
// the weighted rate p_w (the design-effect approach): the variance of each
// rate is
//
//	Var(p_w) ≈ p_w (1 - p_w) / n_eff,
//
// that is, the binomial variance inflated by Kish's design effect
// n / n_eff. The Wilson, Newcombe, Wald and Katz intervals and the pooled
// z-test are the unweighted formulas with x = p_w n_eff and n = n_eff.
// Fisher's test and P(exposed > control) need whole counts and use x and
// n_eff rounded to the nearest integer. The result has Weighted set; its
// Exposed and Control carry the raw counts, the weighted rates and
// EffectiveN.
//
// Source: Kish, L. (1965) Survey Sampling, ch. 11; Korn, E. L. &
// Graubard, B. I. (1998) Confidence intervals for proportions with small
// expected number of positive counts estimated from survey data. Survey
// Methodology 24:193-201 (Wilson and related intervals with effective n).
func CompareWeighted(exposed, control WeightedProportion, confidence float64) Lift {
	for _, g := range []WeightedProportion{exposed, control} {
		if !(g.Rate >= 0 && g.Rate <= 1) || !(g.EffectiveN >= 0) || math.IsInf(g.EffectiveN, 0) {
			panic(fmt.Sprintf("stats: invalid weighted proportion %+v", g))
		}
	}
	xe, ne := exposed.Rate*exposed.EffectiveN, exposed.EffectiveN
	xc, nc := control.Rate*control.EffectiveN, control.EffectiveN
	l := compare(xe, ne, xc, nc, confidence)
	l.Weighted = true
	l.Exposed.N, l.Exposed.Positive, l.Exposed.EffectiveN = exposed.N, exposed.Positive, exposed.EffectiveN
	l.Control.N, l.Control.Positive, l.Control.EffectiveN = control.N, control.Positive, control.EffectiveN
	re, rc := rounded(xe, ne), rounded(xc, nc)
	l.PValueFisher = FisherExact(re, rc)
	l.ProbPositive = ProbBetter(re, rc)
	return l
}

// rounded returns the effective count (x, n) rounded to whole numbers.
func rounded(x, n float64) Count {
	c := Count{Positive: int64(math.Round(x)), N: int64(math.Round(n))}
	c.Positive = min(c.Positive, c.N)
	return c
}

// WeightedStratum is one stratum of a comparison standardised to known
// population shares: its population weight and the exposed and control
// counts in it.
type WeightedStratum struct {
	Weight  float64 `json:"weight"`
	Exposed Count   `json:"exposed"`
	Control Count   `json:"control"`
}

// Standardized is a lift estimated within strata and combined with
// population weights.
type Standardized struct {
	AbsLift   float64  `json:"abs_lift"`
	AbsLiftCI Interval `json:"abs_lift_ci"`
	SE        float64  `json:"se"`
	Z         float64  `json:"z"`
	PValue    float64  `json:"p_value"`
	Defined   bool     `json:"defined"`
	Reason    string   `json:"reason,omitempty"`
}

// StandardizedLift returns the absolute lift standardised to population
// shares w_s (direct standardisation):
//
//	L = Σ_s w_s (p_{e,s} - p_{c,s}),
//	Var(L) = Σ_s w_s² (p_{e,s}(1-p_{e,s})/n_{e,s} + p_{c,s}(1-p_{c,s})/n_{c,s}),
//
// with the weights normalised to sum to 1, a normal interval L ± z SE and a
// two-sided z-test of L = 0. Comparing within strata (age band, region,
// frequency) and weighting by the population shares removes the bias when
// exposed and control differ in composition, and estimates the lift in that
// population. StratifiedLift instead weights by the exposed group's own
// strata (the lift among the exposed). A stratum with positive weight
// and an empty group makes the result undefined (Reason names it); zero
// variance makes the test undefined (p = 1). It panics on no strata, a
// negative or non-finite weight, or weights that sum to 0.
//
// Source: Cochran, W. G. (1977) Sampling Techniques, 3rd ed., ch. 5
// (stratified estimation); Fleiss, Levin & Paik (2003) ch. 10.
func StandardizedLift(strata []WeightedStratum, confidence float64) Standardized {
	z := zTwoSided(confidence)
	if len(strata) == 0 {
		panic("stats: no strata")
	}
	var sw float64
	for _, s := range strata {
		if !(s.Weight >= 0) || math.IsInf(s.Weight, 0) {
			panic(fmt.Sprintf("stats: invalid stratum weight %v", s.Weight))
		}
		s.Exposed.check()
		s.Control.check()
		sw += s.Weight
	}
	if sw <= 0 {
		panic("stats: stratum weights sum to 0")
	}
	r := Standardized{PValue: 1}
	var est, v float64
	for i, s := range strata {
		if s.Weight == 0 {
			continue
		}
		if s.Exposed.N == 0 || s.Control.N == 0 {
			r.Reason = fmt.Sprintf("stratum %d has an empty group", i)
			return r
		}
		w := s.Weight / sw
		pe, pc := s.Exposed.Rate(), s.Control.Rate()
		est += w * (pe - pc)
		v += w * w * (pe*(1-pe)/float64(s.Exposed.N) + pc*(1-pc)/float64(s.Control.N))
	}
	r.Defined = true
	r.AbsLift = est
	r.SE = math.Sqrt(v)
	r.AbsLiftCI = Interval{Lo: est - z*r.SE, Hi: est + z*r.SE}
	if r.SE == 0 {
		r.Reason = "no variance within strata: test undefined, p-value set to 1"
		return r
	}
	r.Z = est / r.SE
	r.PValue = normalP(r.Z, TwoSided)
	return r
}
