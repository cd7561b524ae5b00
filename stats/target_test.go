package stats

import (
	"math"
	"testing"
)

func TestProbAboveAndTarget(t *testing.T) {
	checkNum(t, "at target", ProbAbove(3, 1, 3), 0.5, 1e-15)
	checkNum(t, "one SE above", ProbAbove(4, 1, 3), 0.8413447460685429, 1e-12)
	if ProbAbove(4, 0, 3) != 1 || ProbAbove(2, 0, 3) != 0 || ProbAbove(3, 0, 3) != 0.5 {
		t.Error("se = 0")
	}
	for _, tc := range []struct {
		est, se, target float64
		want            string
	}{
		{0.05, 0.01, 0.03, TargetAchieved},
		{0.01, 0.01, 0.03, TargetMissed},
		{0.03, 0.01, 0.03, TargetUncertain},
	} {
		s := CheckTarget(tc.est, tc.se, tc.target, 0.9)
		if s.Status != tc.want || s.Target != tc.target {
			t.Errorf("%+v: %+v", tc, s)
		}
	}
	// With a Lift: probability that the true lift beats 2 points.
	l := CompareProportions(Count{700, 2000}, Count{600, 2000}, 0.9)
	s := CheckTarget(l.AbsLift, l.AbsLiftSE, 0.02, 0.9)
	if s.Status != TargetAchieved || !(s.ProbAbove > 0.9) {
		t.Errorf("lift target: %+v (lift %v se %v)", s, l.AbsLift, l.AbsLiftSE)
	}
	checkNum(t, "abs lift se", l.AbsLiftSE, math.Sqrt(0.35*0.65/2000+0.3*0.7/2000), 1e-12)
}

func TestLiftedUsers(t *testing.T) {
	im := LiftedUsers(0.04, Interval{0.02, 0.06}, 1_000_000, 200_000)
	checkNum(t, "users", im.LiftedUsers, 40_000, 1e-12)
	checkIv(t, "users ci", im.LiftedUsersCI, Interval{20_000, 60_000}, 1e-12)
	checkNum(t, "cost", im.CostPerLiftedUser, 5, 1e-12)
	checkIv(t, "cost ci", im.CostPerLiftedUserCI, Interval{200_000.0 / 60_000, 10}, 1e-12)
	if !im.CostPerLiftedUserDefined || !im.CostPerLiftedUserCIDefined || im.Reason != "" {
		t.Errorf("%+v", im)
	}
	// Lower bound not positive: no cost interval.
	im = LiftedUsers(0.01, Interval{-0.01, 0.03}, 1_000_000, 200_000)
	if !im.CostPerLiftedUserDefined || im.CostPerLiftedUserCIDefined || im.CostPerLiftedUserCI != (Interval{}) || im.Reason == "" {
		t.Errorf("%+v", im)
	}
	// No lift: no cost at all.
	im = LiftedUsers(-0.01, Interval{-0.03, 0.01}, 1_000_000, 200_000)
	if im.CostPerLiftedUserDefined || im.CostPerLiftedUser != 0 || im.CostPerLiftedUserCIDefined {
		t.Errorf("%+v", im)
	}
	assertJSON(t, im)
}

func TestEnoughData(t *testing.T) {
	if EnoughData(49, 500) || EnoughData(500, 0) || !EnoughData(50, 50) {
		t.Error("EnoughData threshold")
	}
}
