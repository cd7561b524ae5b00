package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Target statuses of a SMART KPI target.
const (
	TargetAchieved      = "achieved"        // the interval lies above the target
	TargetOnTrack       = "on_track"        // deadline ahead, more likely above than not
	TargetAtRisk        = "at_risk"         // deadline ahead, more likely below
	TargetMissed        = "missed"          // the deadline passed without achieving it
	TargetNotEnoughData = "not_enough_data" // no estimate yet, deadline ahead
)

// ProbAbove returns the probability that the true value exceeds target,
// given an estimate and its standard error, under a normal approximation
// (equivalently, the posterior probability under a flat prior):
//
//	P(θ > target) = Φ((estimate - target) / se).
//
// With se = 0 it is 1, 0.5 or 0 as the estimate is above, at or below the
// target. It panics on a negative or non-finite se or a non-finite estimate
// or target.
//
// Source: the normal approximation to the sampling distribution; Gelman
// et al. (2013) Bayesian Data Analysis, 3rd ed., sec. 4.1.
func ProbAbove(estimate, se, target float64) float64 {
	if !(se >= 0) || math.IsInf(se, 0) || math.IsNaN(estimate) || math.IsInf(estimate, 0) ||
		math.IsNaN(target) || math.IsInf(target, 0) {
		panic(fmt.Sprintf("stats: invalid estimate %v, se %v or target %v", estimate, se, target))
	}
	if se == 0 {
		switch {
		case estimate > target:
			return 1
		case estimate < target:
			return 0
		}
		return 0.5
	}
	return distuv.UnitNormal.CDF((estimate - target) / se)
}

// Estimate is a metric's point estimate with its standard error and its
// interval at the report's confidence, as a KPI target reads it.
type Estimate struct {
	Value float64
	SE    float64
	CI    Interval
}

// TargetStatus is the status of a KPI target such as "ad recall lift of at
// least 3 points by 31 March".
type TargetStatus struct {
	Target float64 `json:"target"`
	// ProbAbove is P(true value > target) (see ProbAbove); Defined is
	// false when there is no estimate yet.
	ProbAbove float64 `json:"prob_above"`
	Defined   bool    `json:"defined"`
	Status    string  `json:"status"`
}

// CheckTarget returns the status of a KPI target from the metric's
// estimate (nil while the metric is withheld or undefined) and whether
// its deadline has passed:
//
//   - achieved: the estimate's interval lies wholly above the target
//     (CI.Lo > target), at any time;
//   - missed: the deadline has passed and the target is not achieved;
//   - on_track or at_risk while the deadline is ahead: ProbAbove is at
//     least 0.5, or below it;
//   - not_enough_data while the deadline is ahead and there is no estimate.
//
// "Achieved" asks for the interval, not for ProbAbove, so that a study is
// told it reached a target only when the data rule out falling short at
// the report's confidence (for a symmetric interval at confidence c this is
// ProbAbove > (1 + c)/2, 0.95 at 90%).
func CheckTarget(e *Estimate, target float64, pastDeadline bool) TargetStatus {
	s := TargetStatus{Target: target, Status: TargetNotEnoughData}
	if e != nil {
		s.ProbAbove, s.Defined = ProbAbove(e.Value, e.SE, target), true
	}
	switch {
	case e != nil && e.CI.Lo > target:
		s.Status = TargetAchieved
	case pastDeadline:
		s.Status = TargetMissed
	case e == nil:
	case s.ProbAbove >= 0.5:
		s.Status = TargetOnTrack
	default:
		s.Status = TargetAtRisk
	}
	return s
}

// SEFromInterval is the standard error a symmetric normal interval at
// confidence would have with ci's width: (Hi - Lo) / (2 z). For an
// asymmetric interval (the log interval of a relative lift) it is an
// approximation, good enough to say whether a target is on track.
func SEFromInterval(ci Interval, confidence float64) float64 {
	return (ci.Hi - ci.Lo) / (2 * zTwoSided(confidence))
}
