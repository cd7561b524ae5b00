package stats

import "math"

// Proportion is the rate of positive answers in one group with its Wilson
// score interval.
type Proportion struct {
	N        int64    `json:"n"`
	Positive int64    `json:"positive"`
	Rate     float64  `json:"rate"`
	CI       Interval `json:"ci"`
	// EffectiveN is the Kish effective sample size of a weighted group;
	// it is 0 for an unweighted group.
	EffectiveN float64 `json:"effective_n,omitempty"`
	Defined    bool    `json:"defined"`
	Reason     string  `json:"reason,omitempty"`
}

// OneProportion returns the rate p = x/n of c and its Wilson score interval
// at the given confidence (see Wilson). With n = 0 the result is not
// Defined and rate and interval are 0.
func OneProportion(c Count, confidence float64) Proportion {
	c.check()
	z := zTwoSided(confidence)
	p := Proportion{N: c.N, Positive: c.Positive}
	if c.N == 0 {
		p.Reason = "no responses"
		return p
	}
	p.Rate = c.Rate()
	p.CI = wilson(float64(c.Positive), float64(c.N), z)
	p.Defined = true
	return p
}

// Wilson returns the Wilson score interval for a binomial proportion
// p = x/n at the given confidence:
//
//	(p + z²/(2n) ± z sqrt(p(1-p)/n + z²/(4n²))) / (1 + z²/n)
//
// where z = z_{1-(1-confidence)/2}. Unlike the Wald interval it stays
// inside [0, 1] and keeps near-nominal coverage for small n and for p near
// 0 or 1: at x = 0 the lower end is exactly 0, at x = n the upper end is
// exactly 1. With n = 0 it is [0, 1].
//
// Source: Wilson, E. B. (1927) Probable inference, the law of succession,
// and statistical inference. JASA 22:209-212; Agresti & Coull (1998) Am Stat
// 52:119-126; Newcombe, R. G. (1998) Two-sided confidence intervals for the
// single proportion: comparison of seven methods. Stat Med 17:857-872.
// Matches statsmodels proportion_confint(method="wilson").
func Wilson(c Count, confidence float64) Interval {
	c.check()
	return wilson(float64(c.Positive), float64(c.N), zTwoSided(confidence))
}

// wilson is Wilson for real-valued x and n (n may be an effective n).
func wilson(x, n, z float64) Interval {
	if n <= 0 {
		return Interval{0, 1}
	}
	p := x / n
	z2 := z * z
	denom := 1 + z2/n
	center := (p + z2/(2*n)) / denom
	dist := z * math.Sqrt(p*(1-p)/n+z2/(4*n*n)) / denom
	iv := Interval{Lo: clamp(center-dist, 0, 1), Hi: clamp(center+dist, 0, 1)}
	if x <= 0 {
		iv.Lo = 0
	}
	if x >= n {
		iv.Hi = 1
	}
	return iv
}
