package stats

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestProbAbove(t *testing.T) {
	checkNum(t, "at target", ProbAbove(3, 1, 3), 0.5, 1e-15)
	checkNum(t, "one SE above", ProbAbove(4, 1, 3), 0.8413447460685429, 1e-12)
	if ProbAbove(4, 0, 3) != 1 || ProbAbove(2, 0, 3) != 0 || ProbAbove(3, 0, 3) != 0.5 {
		t.Error("se = 0")
	}
}

// TestCheckTargetRule: the one rule of KPI targets, case by case.
func TestCheckTargetRule(t *testing.T) {
	e := &Estimate{Value: 0.05, SE: 0.01, CI: Interval{0.0336, 0.0664}}
	for _, tc := range []struct {
		e      *Estimate
		target float64
		past   bool
		want   string
	}{
		{e, 0.03, false, TargetAchieved}, // the interval clears the target
		{e, 0.03, true, TargetAchieved},  // and stays achieved after the deadline
		{e, 0.04, false, TargetOnTrack},  // inside the interval, P(above) = 0.84
		{e, 0.06, false, TargetAtRisk},   // P(above) = 0.16
		{e, 0.04, true, TargetMissed},    // the deadline passed, not achieved
		{nil, 0.03, false, TargetNotEnoughData},
		{nil, 0.03, true, TargetMissed},
	} {
		s := CheckTarget(tc.e, tc.target, tc.past)
		if s.Status != tc.want || s.Target != tc.target || s.Defined != (tc.e != nil) {
			t.Errorf("%+v: %+v", tc, s)
		}
	}
	checkNum(t, "se from a symmetric interval", SEFromInterval(Interval{-1.6448536269514722, 1.6448536269514722}, 0.9), 1, 1e-12)
}

// TestTargetWorkedExample checks the KPI targets example of
// docs/METHODOLOGY.md against CheckTarget, and that the page shows these
// numbers.
func TestTargetWorkedExample(t *testing.T) {
	l := CompareProportions(Count{640, 2000}, Count{270, 1000}, 0.9)
	e := &Estimate{Value: l.AbsLift, SE: l.AbsLiftSE, CI: l.AbsLiftCI}
	checkNum(t, "abs lift se", l.AbsLiftSE, math.Sqrt(0.32*0.68/2000+0.27*0.73/1000), 1e-12)
	doc, err := os.ReadFile("../docs/METHODOLOGY.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		target float64
		past   bool
		status string
		shown  string // how the page writes P(above) and the status
	}{
		{0.02, false, TargetAchieved, "2 points: P = 0.957, achieved"},
		{0.03, false, TargetOnTrack, "3 points: P = 0.874, on_track"},
		{0.03, true, TargetMissed, "3 points after the deadline: missed"},
		{0.06, false, TargetAtRisk, "6 points: P = 0.284, at_risk"},
	} {
		s := CheckTarget(e, tc.target, tc.past)
		if s.Status != tc.status {
			t.Errorf("target %v (past %v): %s, want %s", tc.target, tc.past, s.Status, tc.status)
		}
		if !tc.past && !strings.Contains(tc.shown, strconv.FormatFloat(s.ProbAbove, 'f', 3, 64)) {
			t.Errorf("target %v: P(above) %.4f, the example says %q", tc.target, s.ProbAbove, tc.shown)
		}
		if !strings.Contains(string(doc), tc.shown) {
			t.Errorf("docs/METHODOLOGY.md does not show %q", tc.shown)
		}
	}
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
