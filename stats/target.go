package stats

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Target statuses of a SMART KPI target.
const (
	TargetAchieved  = "achieved"
	TargetMissed    = "missed"
	TargetUncertain = "uncertain"
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

// TargetStatus is the status of a KPI target such as "ad recall lift of at
// least 3 points".
type TargetStatus struct {
	Target    float64 `json:"target"`
	ProbAbove float64 `json:"prob_above"`
	// Status is TargetAchieved when ProbAbove >= confidence, TargetMissed
	// when ProbAbove <= 1 - confidence, else TargetUncertain.
	Status string `json:"status"`
}

// CheckTarget returns the status of a KPI target given an estimate and its
// standard error (see ProbAbove): achieved when the true value beats the
// target with probability at least confidence (a one-sided test at
// 1 - confidence), missed when it falls short with that probability,
// uncertain otherwise.
func CheckTarget(estimate, se, target, confidence float64) TargetStatus {
	checkConfidence(confidence)
	p := ProbAbove(estimate, se, target)
	s := TargetStatus{Target: target, ProbAbove: p, Status: TargetUncertain}
	switch {
	case p >= confidence:
		s.Status = TargetAchieved
	case p <= 1-confidence:
		s.Status = TargetMissed
	}
	return s
}
