package stats

import (
	"fmt"
	"math"
)

// DefaultSequentialTuning is the default tuning parameter N* of
// SequentialLift: the total number of responses (both groups) at which the
// confidence sequence is tightest. GrowthBook's default is the same.
const DefaultSequentialTuning = 5000

// Sequential is an always-valid reading of the absolute lift: a confidence
// sequence and a p-value that may be looked at after every response
// without inflating the false-positive rate.
type Sequential struct {
	AbsLift float64 `json:"abs_lift"`
	// CS is the confidence sequence for p_e - p_c at this look.
	CS Interval `json:"abs_lift_cs"`
	// PValue is the always-valid p-value at this look.
	PValue float64 `json:"p_value_sequential"`
	// Tuning is the N* used; Rho2 the resulting mixture scale ρ².
	Tuning  float64 `json:"tuning"`
	Rho2    float64 `json:"rho2"`
	Defined bool    `json:"defined"`
	Reason  string  `json:"reason,omitempty"`
}

// SequentialLift returns an always-valid p-value and confidence sequence
// for the difference of proportions p_e - p_c, so that marketers can read
// results every day. With d = p_e - p_c, the unpooled variance
// V = p_e q_e/n_e + p_c q_c/n_c, N = n_e + n_c and α = 1 - confidence:
//
//	half-width = sqrt( V (Nρ² + 1)/(Nρ²) × (log(Nρ² + 1) - 2 log α) )
//	p = min(1, sqrt(Nρ² + 1) exp(-d² Nρ² / (2 V (Nρ² + 1))))
//
// This is the asymptotic confidence sequence of Waudby-Smith et al., used
// by GrowthBook; it is also the mixture sequential probability ratio test
// (mSPRT) with a normal mixture N(0, τ²) over the effect, τ² = V N ρ²: p is
// 1/Λ, the reciprocal of the mixture likelihood ratio, and p <= α exactly
// when the sequence at level α excludes 0. By Ville's inequality the chance
// that p ever falls to α or below under no lift, over any number of looks,
// is at most α (asymptotically). The smallest p so far (and the
// intersection of the sequences so far) remain valid and may be reported
// instead.
//
// The tuning parameter N* (tuning; 0 means DefaultSequentialTuning) is the
// total sample size at which the sequence is tightest; ρ is chosen for it:
//
//	ρ² = (-2 log α + log(-2 log α + 1)) / N*.
//
// Set it near the planned total sample. The price of always-validity is
// width: at N = N* the sequence is roughly 1.5-2 times as wide as the
// fixed-n interval.
//
// The result is not Defined (p = 1, interval 0) when a group is empty or
// V = 0 (both groups all-positive or all-negative). It panics on a negative
// tuning parameter.
//
// Sources: Robbins, H. (1970) Statistical methods related to the law of the
// iterated logarithm. Ann Math Stat 41:1397-1409 (mixture martingales);
// Howard, S. R., Ramdas, A., McAuliffe, J. & Sekhon, J. (2021)
// Time-uniform, nonparametric, nonasymptotic confidence sequences. Ann
// Stat 49:1055-1080; Waudby-Smith, I., Arbour, D., Sinha, R., Kennedy,
// E. H. & Ramdas, A. (2023) Time-uniform central limit theory and
// asymptotic confidence sequences, arXiv:2103.06476, eq. for ρ; Johari, R.,
// Koomen, P., Pekelis, L. & Walsh, D. (2017) Peeking at A/B tests. KDD
// '17 (mSPRT); GrowthBook documentation, "Sequential testing".
func SequentialLift(exposed, control Count, confidence, tuning float64) Sequential {
	exposed.check()
	control.check()
	if exposed.N == 0 || control.N == 0 {
		s := SequentialDiff(0, 0, 0, confidence, tuning)
		s.Reason = "a group has no responses"
		return s
	}
	pe, pc := exposed.Rate(), control.Rate()
	v := pe*(1-pe)/float64(exposed.N) + pc*(1-pc)/float64(control.N)
	s := SequentialDiff(pe-pc, v, exposed.N+control.N, confidence, tuning)
	if v == 0 {
		s.Reason = "no variance: every answer alike within each group"
	}
	return s
}

// SequentialDiff is SequentialLift's mixture SPRT for any difference d of two
// independent estimates with variance v, at n responses in total (both groups).
// With α = 1 - confidence and ρ² from the tuning parameter N* as in
// SequentialLift,
//
//	half-width = sqrt( v (nρ² + 1)/(nρ²) × (log(nρ² + 1) - 2 log α) )
//	p = min(1, sqrt(nρ² + 1) exp(-d² nρ² / (2 v (nρ² + 1))))
//
// The report uses it for NPS differences (d in NPS points, v = SE² in
// points²) and for differences of mean ratings (v = s_e²/n_e + s_c²/n_c).
// v must be the variance of d at this look, estimated from the data as the
// asymptotic confidence sequence assumes; d and v then carry their own units
// and n only sets the mixture scale through nρ². p is computed from its
// logarithm, so it does not underflow before the smallest positive double.
//
// Sequential.AbsLift holds d. The result is not Defined (p = 1, sequence
// [0, 0]) when n <= 0, when v is 0, negative, NaN or infinite, or when d is
// NaN or infinite; AbsLift is d whenever d is finite. It panics on a
// confidence outside (0, 1) or a negative or infinite tuning parameter, as
// SequentialLift does.
//
// Sources: those of SequentialLift; the construction needs only an
// asymptotically normal estimate with a consistent variance (Waudby-Smith
// et al. 2023, sec. 2).
func SequentialDiff(diff, variance float64, n int64, confidence, tuning float64) Sequential {
	checkConfidence(confidence)
	if !(tuning >= 0) || math.IsInf(tuning, 0) {
		panic(fmt.Sprintf("stats: invalid sequential tuning %v", tuning))
	}
	if tuning == 0 {
		tuning = DefaultSequentialTuning
	}
	alpha := 1 - confidence
	la := -2 * math.Log(alpha)
	s := Sequential{PValue: 1, Tuning: tuning, Rho2: (la + math.Log(la+1)) / tuning}
	finite := !math.IsNaN(diff) && !math.IsInf(diff, 0)
	if finite {
		s.AbsLift = diff
	}
	switch {
	case !finite:
		s.Reason = "difference is not a finite number"
		return s
	case n <= 0:
		s.Reason = "no responses"
		return s
	case math.IsNaN(variance) || math.IsInf(variance, 0) || variance < 0:
		s.Reason = "variance is not a finite non-negative number"
		return s
	case variance == 0:
		s.Reason = "no variance: the test is undefined"
		return s
	}
	s.Defined = true
	nr := float64(n) * s.Rho2
	h := math.Sqrt(variance * (nr + 1) / nr * (math.Log(nr+1) + la))
	s.CS = Interval{Lo: diff - h, Hi: diff + h}
	logP := 0.5*math.Log(nr+1) - diff*diff*nr/(2*variance*(nr+1))
	s.PValue = math.Min(1, math.Exp(logP))
	return s
}
