package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// zAlpha returns the critical value of a test at significance alpha:
// z_{1-α/2} two-sided, z_{1-α} one-sided.
func zAlpha(alpha float64, alt Alternative) float64 {
	checkOpenUnit("alpha", alpha)
	alt.check()
	if alt == TwoSided {
		alpha /= 2
	}
	return distuv.UnitNormal.Quantile(1 - alpha)
}

// SampleSizePerGroupExact returns the number of responses per group, not
// rounded, that a test of two equal groups needs to detect the absolute
// lift mde over the control rate pControl with significance alpha and the
// given power, by Fleiss' formula without continuity correction:
//
//	n = (z_α sqrt(2 p̄ q̄) + z_β sqrt(p₁q₁ + p₂q₂))² / mde²
//
// with p₁ = pControl, p₂ = pControl + mde, p̄ = (p₁ + p₂)/2, q = 1 - p,
// z_β = z_{power}, and z_α = z_{1-α/2} for TwoSided or z_{1-α} for a
// one-sided test (Greater and Less are the same here: one-sided in the
// direction of mde). The first term is the standard error under the null
// hypothesis (pooled), the second under the alternative.
//
// With alt = Greater, alpha = 0.1 and power = 0.8 (one-sided 90%
// significance, 80% power) at a 50% baseline it reproduces Google's DV360
// Brand Lift sample-size table: 2 × n is about 2,800, 5,000, 11,000,
// 20,000, 45,000 and 180,000 responses for lifts of 4, 3, 2, 1.5, 1 and
// 0.5 points.
//
// It panics unless pControl and pControl + mde are in [0, 1], mde != 0,
// 0 < alpha < 1 and 0 < power < 1 (StillNeededPerGroup checks the rates
// for the report instead).
//
// Source: Fleiss, J. L. (1981) Statistical Methods for Rates and
// Proportions, 2nd ed., ch. 3, without the continuity correction; Fleiss,
// Levin & Paik (2003) 3rd ed., ch. 4.
func SampleSizePerGroupExact(pControl, mde, alpha, power float64, alt Alternative) float64 {
	checkUnit("control rate", pControl)
	checkOpenUnit("power", power)
	p2 := pControl + mde
	if mde == 0 || !(p2 >= 0 && p2 <= 1) {
		panic(fmt.Sprintf("stats: lift %v from %v leaves [0, 1] or is 0", mde, pControl))
	}
	za := zAlpha(alpha, alt)
	zb := distuv.UnitNormal.Quantile(power)
	pbar := (pControl + p2) / 2
	a := za*math.Sqrt(2*pbar*(1-pbar)) + zb*math.Sqrt(pControl*(1-pControl)+p2*(1-p2))
	return a * a / (mde * mde)
}

// SampleSizePerGroup is SampleSizePerGroupExact rounded up to a whole
// number of responses.
func SampleSizePerGroup(pControl, mde, alpha, power float64, alt Alternative) int64 {
	n := SampleSizePerGroupExact(pControl, mde, alpha, power, alt)
	// Guard against 2500.0000000000005 becoming 2501.
	return int64(math.Ceil(n - 1e-9*n))
}

// powerTerms returns the standard errors of p_e - p_c under the null
// (pooled rate) and under the alternative.
func powerTerms(pControl, pExposed float64, nExposed, nControl int64) (se0, se1 float64) {
	ne, nc := float64(nExposed), float64(nControl)
	pbar := (ne*pExposed + nc*pControl) / (ne + nc)
	se0 = math.Sqrt(pbar * (1 - pbar) * (1/ne + 1/nc))
	se1 = math.Sqrt(pExposed*(1-pExposed)/ne + pControl*(1-pControl)/nc)
	return se0, se1
}

// checkUnit panics unless 0 <= p <= 1.
func checkUnit(name string, p float64) {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: %s %v outside [0, 1]", name, p))
	}
}

func checkGroupSizes(nExposed, nControl int64) {
	if nExposed < 1 || nControl < 1 {
		panic(fmt.Sprintf("stats: group sizes %d and %d must be positive", nExposed, nControl))
	}
}

// Power returns the probability that the pooled z-test at significance
// alpha rejects when the true rates are pExposed and pControl and the groups
// have nExposed and nControl responses (the same normal approximation as
// SampleSizePerGroupExact, extended to unequal groups):
//
//	power = Φ((d - z_α se₀) / se₁)                        Greater
//	power = Φ((-d - z_α se₀) / se₁)                       Less
//	power = Φ((|d| - z_α se₀) / se₁) + Φ((-|d| - z_α se₀) / se₁)   TwoSided
//
// with d = pExposed - pControl, se₀ = sqrt(p̄q̄(1/n_e + 1/n_c)) at the pooled
// rate p̄ = (n_e p_e + n_c p_c)/(n_e + n_c) and se₁ = sqrt(p_e q_e/n_e +
// p_c q_c/n_c). The two-sided form counts rejections in both directions,
// so Power(d = 0) = alpha. When se₁ = 0 (both rates 0 or 1) the outcome is
// certain and the power is 0 or 1. It panics unless both rates are in
// [0, 1], both groups are non-empty and 0 < alpha < 1.
//
// Source: Fleiss, Levin & Paik (2003) Statistical Methods for Rates and
// Proportions, 3rd ed., ch. 4.
func Power(pControl, pExposed float64, nExposed, nControl int64, alpha float64, alt Alternative) float64 {
	checkUnit("control rate", pControl)
	checkUnit("exposed rate", pExposed)
	checkGroupSizes(nExposed, nControl)
	za := zAlpha(alpha, alt)
	se0, se1 := powerTerms(pControl, pExposed, nExposed, nControl)
	d := pExposed - pControl
	phi := func(num float64) float64 { return normalRatio(num, se1) }
	switch alt {
	case Greater:
		return phi(d - za*se0)
	case Less:
		return phi(-d - za*se0)
	}
	return math.Min(1, phi(math.Abs(d)-za*se0)+phi(-math.Abs(d)-za*se0))
}

// normalRatio returns Φ(num/den), with den = 0 giving 1 for num > 0 and 0
// otherwise.
func normalRatio(num, den float64) float64 {
	if den == 0 {
		if num > 0 {
			return 1
		}
		return 0
	}
	return distuv.UnitNormal.CDF(num / den)
}

// MinDetectableLift returns the smallest positive absolute lift d that the
// pooled z-test detects with the given power at significance alpha, given
// the control rate and the group sizes: the root of
//
//	d - z_α se₀(d) = z_β se₁(d)
//
// (the equation behind SampleSizePerGroupExact, so that for equal groups
// SampleSizePerGroupExact(pControl, d, ...) = n), found by bisection on
// (0, 1 - pControl]. For a one-sided test (Greater or Less) z_α = z_{1-α}.
// ok is false when even a lift to a rate of 1 is not detectable at these
// sizes (always so when pControl = 1). It panics unless 0 <= pControl <= 1,
// both groups are non-empty, 0 < alpha < 1 and 0 < power < 1.
//
// Source: Fleiss, Levin & Paik (2003), ch. 4, solved for the difference.
func MinDetectableLift(pControl float64, nExposed, nControl int64, alpha, power float64, alt Alternative) (lift float64, ok bool) {
	checkUnit("control rate", pControl)
	checkOpenUnit("power", power)
	checkGroupSizes(nExposed, nControl)
	za := zAlpha(alpha, alt)
	zb := distuv.UnitNormal.Quantile(power)
	if pControl == 1 {
		return 0, false
	}
	f := func(d float64) float64 {
		se0, se1 := powerTerms(pControl, pControl+d, nExposed, nControl)
		return d - za*se0 - zb*se1
	}
	lo, hi := 0.0, 1-pControl
	if f(hi) < 0 {
		return 0, false
	}
	for i := 0; i < 200 && hi-lo > 1e-13; i++ {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return hi, true
}

// StillNeededPerGroup returns how many more responses each group needs
// before the study can detect targetLift (the study's target, 2 points by
// default) with the given power: SampleSizePerGroup at the observed control
// rate minus the smaller group's current size, and 0 once that is reached.
// ok is false when the target cannot be stated as a rate (pControl +
// targetLift outside [0, 1], or targetLift = 0). It panics unless
// 0 <= pControl <= 1, the sizes are non-negative, 0 < alpha < 1 and
// 0 < power < 1.
func StillNeededPerGroup(pControl, targetLift float64, nExposed, nControl int64, alpha, power float64, alt Alternative) (n int64, ok bool) {
	checkUnit("control rate", pControl)
	checkOpenUnit("power", power)
	zAlpha(alpha, alt)
	if nExposed < 0 || nControl < 0 {
		panic(fmt.Sprintf("stats: negative group sizes %d and %d", nExposed, nControl))
	}
	if p2 := pControl + targetLift; targetLift == 0 || !(p2 >= 0 && p2 <= 1) {
		return 0, false
	}
	need := SampleSizePerGroup(pControl, targetLift, alpha, power, alt)
	return max(0, need-min(nExposed, nControl)), true
}
