package stats

import (
	"fmt"
	"math"
)

// Impact scales a lift to the campaign: lifted users and cost per lifted
// user. JSON names follow the results report.
type Impact struct {
	// LiftedUsers is AbsLift × reach, the estimated number of people whose
	// answer the campaign changed; LiftedUsersCI is the lift's interval × reach.
	LiftedUsers   float64  `json:"lifted_users"`
	LiftedUsersCI Interval `json:"lifted_users_ci"`
	// CostPerLiftedUser is spend / LiftedUsers, defined when LiftedUsers > 0.
	CostPerLiftedUser        float64 `json:"cost_per_lifted_user"`
	CostPerLiftedUserDefined bool    `json:"cost_per_lifted_user_defined"`
	// CostPerLiftedUserCI is [spend / hi, spend / lo] of LiftedUsersCI,
	// defined only when its lower end lo is positive: otherwise the data
	// are consistent with no lifted user at all and the cost has no upper
	// bound.
	CostPerLiftedUserCI        Interval `json:"cost_per_lifted_user_ci"`
	CostPerLiftedUserCIDefined bool     `json:"cost_per_lifted_user_ci_defined"`
	Reason                     string   `json:"reason,omitempty"`
}

// LiftedUsers returns the campaign impact of an absolute lift and its
// interval (in practice Lift.AbsLift and the Newcombe Lift.AbsLiftCI):
//
//	lifted users = abs lift × reach,  interval = interval × reach
//	cost per lifted user = spend / lifted users,  interval = [spend/hi, spend/lo]
//
// reach is the number of unique people the campaign reached, spend its cost
// in any currency. The cost interval follows from the lifted-users interval
// because spend/u is decreasing in u (the reach and spend are taken as
// known). It panics if reach or spend is negative or not finite.
//
// Source: Google Ads Help, "About Brand Lift" (lifted users, cost per lifted
// user); the interval is the exact image of the lift's interval.
func LiftedUsers(absLift float64, ci Interval, reach, spend float64) Impact {
	if !(reach >= 0) || math.IsInf(reach, 0) || !(spend >= 0) || math.IsInf(spend, 0) {
		panic(fmt.Sprintf("stats: reach %v and spend %v must be finite and non-negative", reach, spend))
	}
	im := Impact{
		LiftedUsers:   absLift * reach,
		LiftedUsersCI: ci.Scale(reach),
	}
	if im.LiftedUsers > 0 {
		im.CostPerLiftedUser = spend / im.LiftedUsers
		im.CostPerLiftedUserDefined = true
	} else {
		im.Reason = "no positive lift: cost per lifted user undefined"
	}
	if lo := im.LiftedUsersCI.Lo; lo > 0 {
		im.CostPerLiftedUserCI = Interval{Lo: spend / im.LiftedUsersCI.Hi, Hi: spend / lo}
		im.CostPerLiftedUserCIDefined = true
	} else {
		im.Reason = note(im.Reason, "interval of lifted users includes 0: cost per lifted user has no upper bound")
	}
	return im
}
