package survey

import (
	"fmt"
	"time"

	// The binary carries its own time zone database so that a study's
	// timezone works on machines and containers without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// Significance rules: which p-value decides a metric's "significant".
const (
	// SignificanceFixed uses the fixed-sample test (the z-test, Fisher's
	// exact test below min_per_group): right for a study read once, at the
	// end.
	SignificanceFixed = "fixed"
	// SignificanceSequential uses the always-valid sequential p-value:
	// right for a study read while it is live, as often as one likes.
	SignificanceSequential = "sequential"
)

// Limits and defaults of the analysis settings.
const (
	DefaultMinPerGroup = 50
	MaxMinPerGroup     = 10000
	DefaultTimezone    = "UTC"
)

// MinGroupSize is the number of responses per group below which a metric
// is marked low_sample (DefaultMinPerGroup unless the study sets one).
func (s *Spec) MinGroupSize() int64 {
	if s.MinPerGroup > 0 {
		return s.MinPerGroup
	}
	return DefaultMinPerGroup
}

// SignificanceRule is the study's significance setting or the default.
func (s *Spec) SignificanceRule() string {
	if s.Significance != "" {
		return s.Significance
	}
	return SignificanceFixed
}

// Location is the study's time zone, the one its days, weeks and months
// are counted in. A validated study always has a valid one.
func (s *Spec) Location() *time.Location {
	if s.Timezone == "" || s.Timezone == DefaultTimezone {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// LocalDay is the day, YYYY-MM-DD in the study's time zone, that a moment
// falls on: the key of the daily counts behind the trend.
func (s *Spec) LocalDay(t time.Time) string {
	return t.In(s.Location()).Format("2006-01-02")
}

// ExpectedSplit returns the planned share of each group, control first,
// and whether the study has one: holdout studies always (control_share),
// signed-link studies when they declare it (planned_split), exposure
// studies never. The reason says why there is none.
func (s *Spec) ExpectedSplit() (control float64, ok bool, reason string) {
	switch {
	case !s.HasGroups():
		return 0, false, "an nps study has one population"
	case s.Assignment == AssignHoldout:
		return s.ControlShare, true, ""
	case s.Assignment == AssignSignedLink && s.PlannedSplit:
		return s.ControlShare, true, ""
	case s.Assignment == AssignSignedLink:
		return 0, false, "the study declares no planned split: set control_share (planned_split: true) to check the groups' sizes against it"
	}
	return 0, false, "in an exposure study the groups follow who saw the ad, so there is no planned split to check"
}

func (s *Spec) validateAnalysis(v *ValidationError) {
	if s.MinPerGroup < 0 || s.MinPerGroup > MaxMinPerGroup {
		v.Add("min_per_group", "must be from 1 to %d responses per group, got %d", MaxMinPerGroup, s.MinPerGroup)
	}
	switch s.Significance {
	case "", SignificanceFixed, SignificanceSequential:
	default:
		v.Add("significance", "must be fixed or sequential, got %q", s.Significance)
	}
	if s.Timezone != "" {
		if TextProblem(s.Timezone) != "" || len(s.Timezone) > 64 {
			v.Add("timezone", "must be an IANA time zone name such as Europe/Moscow or UTC")
		} else if _, err := time.LoadLocation(s.Timezone); err != nil || s.Timezone == "Local" {
			v.Add("timezone", "%s", fmt.Sprintf("unknown time zone %q; use an IANA name such as Europe/Moscow or UTC", s.Timezone))
		}
	}
}
