package results

import "github.com/brandlift/brandlift/stats"

// reasonNoLift is why the cost per lifted user is not shown when the lift
// could be zero: dividing the spend by a number of lifted users that may
// be 0 has no upper bound, and a point value alone would look like a
// finding.
const reasonNoLift = "lift not distinguishable from zero: the lifted users' interval reaches 0, so the cost per lifted user has no upper bound"

// impact fills lifted users (reach × lift, with its interval) and the cost
// per lifted user, which is shown only with its interval: when the lifted
// users' interval is above zero.
func (b *builder) impact(m *LiftMetric, l stats.Lift, why reasons) {
	im := stats.LiftedUsers(l.AbsLift, l.AbsLiftCI, float64(b.st.Reach), b.st.Spend)
	m.LiftedUsers, m.LiftedUsersCI = ptr(im.LiftedUsers), ptr(im.LiftedUsersCI)
	if b.st.Spend <= 0 {
		return // the reason was set with the missing spend
	}
	switch {
	case !im.CostPerLiftedUserDefined:
		why.set("cost_per_lifted_user", "the lift is not positive: no one was lifted, so there is no cost per lifted user")
		why.set("cost_per_lifted_user_ci", "the lift is not positive: no one was lifted, so there is no cost per lifted user")
	case !im.CostPerLiftedUserCIDefined:
		why.set("cost_per_lifted_user", reasonNoLift)
		why.set("cost_per_lifted_user_ci", reasonNoLift)
	default:
		m.CostPerLiftedUser, m.CostPerLiftedUserCI = ptr(im.CostPerLiftedUser), ptr(im.CostPerLiftedUserCI)
	}
}
