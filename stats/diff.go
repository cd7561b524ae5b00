package stats

import "math"

// NewcombeInterval returns the Newcombe hybrid score interval (method 10)
// for the difference d = p_e - p_c of two independent proportions:
//
//	lo = d - sqrt((p_e - l_e)² + (u_c - p_c)²)
//	hi = d + sqrt((p_c - l_c)² + (u_e - p_e)²)
//
// where [l_e, u_e] and [l_c, u_c] are the Wilson intervals of the two rates
// at the same confidence. It keeps close to nominal coverage for small
// samples and for rates near 0 or 1, where the Wald interval fails.
// Either group empty gives [0, 0].
//
// Source: Newcombe, R. G. (1998) Interval estimation for the difference
// between independent proportions: comparison of eleven methods. Stat Med
// 17:873-890, method 10. Matches statsmodels confint_proportions_2indep
// (method="newcomb", compare="diff").
func NewcombeInterval(exposed, control Count, confidence float64) Interval {
	exposed.check()
	control.check()
	if exposed.N == 0 || control.N == 0 {
		zTwoSided(confidence)
		return Interval{}
	}
	return newcombe(float64(exposed.Positive), float64(exposed.N),
		float64(control.Positive), float64(control.N), zTwoSided(confidence))
}

func newcombe(xe, ne, xc, nc, z float64) Interval {
	pe, pc := xe/ne, xc/nc
	we, wc := wilson(xe, ne, z), wilson(xc, nc, z)
	d := pe - pc
	return Interval{
		Lo: d - math.Hypot(pe-we.Lo, wc.Hi-pc),
		Hi: d + math.Hypot(pc-wc.Lo, we.Hi-pe),
	}
}

// WaldInterval returns the Wald interval for the difference p_e - p_c:
//
//	(p_e - p_c) ± z sqrt(p_e(1-p_e)/n_e + p_c(1-p_c)/n_c)
//
// It is shown for comparison with tools that use it; it under-covers for
// small n and rates near 0 or 1 (its width is 0 when both rates are 0 or
// 1). Either group empty gives [0, 0].
//
// Source: Agresti, A. (2013) Categorical Data Analysis, 3rd ed., sec. 3.1.
// Matches statsmodels confint_proportions_2indep(method="wald").
func WaldInterval(exposed, control Count, confidence float64) Interval {
	exposed.check()
	control.check()
	z := zTwoSided(confidence)
	if exposed.N == 0 || control.N == 0 {
		return Interval{}
	}
	return wald(float64(exposed.Positive), float64(exposed.N),
		float64(control.Positive), float64(control.N), z)
}

func wald(xe, ne, xc, nc, z float64) Interval {
	pe, pc := xe/ne, xc/nc
	h := z * math.Sqrt(pe*(1-pe)/ne+pc*(1-pc)/nc)
	return Interval{Lo: pe - pc - h, Hi: pe - pc + h}
}

// RelLiftInterval returns an interval for the relative lift
// p_e/p_c - 1 by the log (Katz) method for the risk ratio:
//
//	exp(log(p_e/p_c) ± z sqrt(1/x_e - 1/n_e + 1/x_c - 1/n_c)) - 1
//
// ok is false (and the interval is [0, 0]) when the control group has no
// positive answer or either group is empty: the ratio is then undefined.
// When the exposed group has no positive answer (ratio 0, relative lift
// -1) the log method has no variance; the interval is then [-1, u], where
// u comes from the same formula with 0.5 added to x_e, n_e, x_c and n_c
// (statsmodels' "log-adjusted").
//
// Source: Katz, D., Baptista, J., Azen, S. P. & Pike, M. C. (1978)
// Obtaining confidence intervals for the risk ratio in cohort studies.
// Biometrics 34:469-474. Matches statsmodels confint_proportions_2indep
// (method="log", compare="ratio") minus 1.
func RelLiftInterval(exposed, control Count, confidence float64) (Interval, bool) {
	exposed.check()
	control.check()
	z := zTwoSided(confidence)
	if exposed.N == 0 || control.N == 0 {
		return Interval{}, false
	}
	r, ok := katz(float64(exposed.Positive), float64(exposed.N),
		float64(control.Positive), float64(control.N), z)
	if !ok {
		return Interval{}, false
	}
	return Interval{Lo: r.Lo - 1, Hi: r.Hi - 1}, true
}

// katz returns the log-method interval for the ratio (xe/ne)/(xc/nc).
func katz(xe, ne, xc, nc, z float64) (Interval, bool) {
	if xc <= 0 || ne <= 0 || nc <= 0 {
		return Interval{}, false
	}
	if xe <= 0 {
		a, b, c, d := xe+0.5, ne+0.5, xc+0.5, nc+0.5
		h := z * math.Sqrt(1/a-1/b+1/c-1/d)
		return Interval{Lo: 0, Hi: math.Exp(math.Log((a/b)/(c/d)) + h)}, true
	}
	v := 1/xe - 1/ne + 1/xc - 1/nc
	h := z * math.Sqrt(math.Max(v, 0))
	lr := math.Log((xe / ne) / (xc / nc))
	return Interval{Lo: math.Exp(lr - h), Hi: math.Exp(lr + h)}, true
}

// HeadroomLiftInterval returns an interval for the headroom lift
// (p_e - p_c)/(1 - p_c), the share of the control group's non-positive
// respondents that the campaign converted. Since
//
//	(p_e - p_c)/(1 - p_c) = 1 - (1 - p_e)/(1 - p_c),
//
// the interval is 1 minus the log (Katz) interval for the ratio of the
// non-positive rates, computed on the counts n - x exactly as
// RelLiftInterval does on x (including its treatment of a zero count:
// when every exposed answer is positive the interval is [l, 1]).
// ok is false when every control answer is positive (no headroom) or a
// group is empty.
//
// Source: the transformation is exact; the ratio interval is Katz et al.
// (1978) Biometrics 34:469-474.
func HeadroomLiftInterval(exposed, control Count, confidence float64) (Interval, bool) {
	exposed.check()
	control.check()
	z := zTwoSided(confidence)
	if exposed.N == 0 || control.N == 0 {
		return Interval{}, false
	}
	return headroomCI(float64(exposed.Positive), float64(exposed.N),
		float64(control.Positive), float64(control.N), z)
}

func headroomCI(xe, ne, xc, nc, z float64) (Interval, bool) {
	r, ok := katz(ne-xe, ne, nc-xc, nc, z)
	if !ok {
		return Interval{}, false
	}
	return Interval{Lo: 1 - r.Hi, Hi: 1 - r.Lo}, true
}

// ZTest returns the statistic and p-value of the two-proportion z-test
// with pooled variance:
//
//	z = (p_e - p_c) / sqrt(p̄(1-p̄)(1/n_e + 1/n_c)),  p̄ = (x_e + x_c)/(n_e + n_c)
//
// and p from the standard normal distribution under the alternative
// (TwoSided: 2(1-Φ(|z|)); Greater: 1-Φ(z); Less: Φ(z)).
// When p̄ is 0 or 1 both groups answered alike and there is no variance;
// when a group is empty there is nothing to compare. In both cases
// z = 0, p = 1 and ok is false.
//
// Source: Fleiss, Levin & Paik (2003) Statistical Methods for Rates and
// Proportions, 3rd ed., ch. 3 (without continuity correction). Matches
// statsmodels proportions_ztest.
func ZTest(exposed, control Count, alt Alternative) (z, p float64, ok bool) {
	exposed.check()
	control.check()
	alt.check()
	return ztest(float64(exposed.Positive), float64(exposed.N),
		float64(control.Positive), float64(control.N), alt)
}

func ztest(xe, ne, xc, nc float64, alt Alternative) (z, p float64, ok bool) {
	if ne <= 0 || nc <= 0 {
		return 0, 1, false
	}
	pool := (xe + xc) / (ne + nc)
	se := math.Sqrt(pool * (1 - pool) * (1/ne + 1/nc))
	if !(se > 0) {
		return 0, 1, false
	}
	z = (xe/ne - xc/nc) / se
	return z, normalP(z, alt), true
}
