package survey

import (
	"strings"
	"testing"
	"time"
)

// TestLocalDayAroundMoscowMidnight: a Moscow study's day turns at 21:00
// UTC, a UTC study's at midnight.
func TestLocalDayAroundMoscowMidnight(t *testing.T) {
	moscow := Spec{Settings: Settings{Timezone: "Europe/Moscow"}}
	utc := Spec{}
	for _, c := range []struct {
		at          string
		moscow, utc string
	}{
		{"2026-11-30T20:59:59Z", "2026-11-30", "2026-11-30"},
		{"2026-11-30T21:00:00Z", "2026-12-01", "2026-11-30"},
		{"2026-11-30T23:59:59Z", "2026-12-01", "2026-11-30"},
		{"2026-12-01T00:00:00Z", "2026-12-01", "2026-12-01"},
	} {
		at, _ := time.Parse(time.RFC3339, c.at)
		if got := moscow.LocalDay(at); got != c.moscow {
			t.Errorf("Moscow %s: %s, want %s", c.at, got, c.moscow)
		}
		if got := utc.LocalDay(at); got != c.utc {
			t.Errorf("UTC %s: %s, want %s", c.at, got, c.utc)
		}
	}
	if moscow.Location().String() != "Europe/Moscow" || utc.Location() != time.UTC {
		t.Errorf("locations %v %v", moscow.Location(), utc.Location())
	}
}

// TestAnalysisSettingsAreValidated names each bad setting.
func TestAnalysisSettingsAreValidated(t *testing.T) {
	for _, c := range []struct {
		set   func(s *Settings)
		field string
	}{
		{func(s *Settings) { s.MinPerGroup = 10001 }, "min_per_group"},
		{func(s *Settings) { s.MinPerGroup = -1 }, "min_per_group"},
		{func(s *Settings) { s.Significance = "bayesian" }, "significance"},
		{func(s *Settings) { s.Timezone = "Mars/Olympus" }, "timezone"},
		{func(s *Settings) { s.Timezone = "Local" }, "timezone"},
		{func(s *Settings) { s.Timezone = "Europe/Moscow\x00" }, "timezone"},
	} {
		s := Spec{}
		c.set(&s.Settings)
		v := &ValidationError{}
		s.validateAnalysis(v)
		if len(v.Errors) != 1 || v.Errors[0].Field != c.field {
			t.Errorf("%+v: errors %+v, want one on %s", s.Settings, v.Errors, c.field)
		}
	}
	ok := Spec{Settings: Settings{MinPerGroup: 20, Significance: SignificanceSequential, Timezone: "Asia/Vladivostok"}}
	v := &ValidationError{}
	ok.validateAnalysis(v)
	if v.Err() != nil || ok.MinGroupSize() != 20 || ok.SignificanceRule() != SignificanceSequential {
		t.Errorf("valid settings refused: %v", v.Err())
	}
	if (&Spec{}).MinGroupSize() != DefaultMinPerGroup || (&Spec{}).SignificanceRule() != SignificanceFixed {
		t.Error("defaults")
	}
}

// TestExpectedSplit: holdout always, signed links when declared, exposure
// never, each with its reason.
func TestExpectedSplit(t *testing.T) {
	share := 0.2
	signed := DefaultSpec()
	(&StudyInput{}).Apply(&signed)
	if _, ok, why := signed.ExpectedSplit(); ok || !strings.Contains(why, "planned split") {
		t.Errorf("signed link without control_share: %v %q", ok, why)
	}
	(&StudyInput{ControlShare: &share}).Apply(&signed)
	if got, ok, _ := signed.ExpectedSplit(); !ok || got != 0.2 || !signed.PlannedSplit {
		t.Errorf("signed link with control_share: %v %v", got, ok)
	}
	off := false
	(&StudyInput{PlannedSplit: &off}).Apply(&signed)
	if _, ok, _ := signed.ExpectedSplit(); ok {
		t.Error("planned_split: false still checks")
	}
	holdout, exposure := DefaultSpec(), DefaultSpec()
	holdout.Assignment, exposure.Assignment = AssignHoldout, AssignExposure
	if _, ok, _ := holdout.ExpectedSplit(); !ok {
		t.Error("holdout unchecked")
	}
	if _, ok, why := exposure.ExpectedSplit(); ok || !strings.Contains(why, "exposure") {
		t.Errorf("exposure: %v %q", ok, why)
	}
}

// TestTimezoneIsFrozenOnceLive: the daily counts are kept per local day.
func TestTimezoneIsFrozenOnceLive(t *testing.T) {
	old := DefaultSpec()
	updated := old
	updated.Timezone = "Europe/Moscow"
	if got := FrozenChanges(&old, &updated); len(got) != 1 || got[0] != "timezone" {
		t.Errorf("frozen %v", got)
	}
	updated.Timezone = "UTC" // the default spelled out is no change
	if got := FrozenChanges(&old, &updated); len(got) != 0 {
		t.Errorf("frozen %v", got)
	}
}
