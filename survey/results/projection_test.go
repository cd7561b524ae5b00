package results

import (
	"testing"
	"time"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// liveRecallStudy is recallStudy live for ten days before the report's
// time (buildArms reports at the Unix epoch).
func liveRecallStudy(quota int64) *survey.Study {
	st := recallStudy()
	launched := time.Unix(0, 0).Add(-10 * 24 * time.Hour)
	st.Status, st.LaunchedAt, st.TargetPerGroup = survey.StatusLive, &launched, quota
	return st
}

// TestProjection: 100 exposed and 50 control completes in ten days fill
// at 10 and 5 a day; to 200 each, control is the furthest (150 to go at
// 5 a day: 30 days), and 200 per group at a 20% control rate detect the
// lift stats.MinDetectableLift gives.
func TestProjection(t *testing.T) {
	arms := []armCount{{survey.GroupExposed, 100, 30}, {survey.GroupControl, 50, 10}}
	p := buildArms(t, liveRecallStudy(200), arms).Health.Projection
	if p == nil {
		t.Fatal("no projection for a live study with a quota")
	}
	mde, _ := stats.MinDetectableLift(0.2, 200, 200, 0.1, 0.8, stats.TwoSided)
	want := time.Unix(0, 0).Add(30 * 24 * time.Hour).UTC()
	if p.Basis != BasisQuota || p.Target != 200 || p.Reached || p.Group != survey.GroupControl || p.Date == nil || !p.Date.Equal(want) ||
		p.MDEAtTarget == nil {
		t.Fatalf("projection %+v", p)
	}
	near(t, "days", p.Days, 10)
	near(t, "per_day", p.PerDay, 5)
	near(t, "mde_at_target", *p.MDEAtTarget, mde)

	// Without a quota the target is the sample the target lift needs: the
	// smaller group plus n_needed_per_group.
	r := buildArms(t, liveRecallStudy(0), arms)
	head, p := headlineLift(r.Metrics), r.Health.Projection
	if head == nil || head.NeededPerGroup == nil || p == nil {
		t.Fatalf("headline %+v, projection %+v", head, p)
	}
	target := 50 + *head.NeededPerGroup
	want = time.Unix(0, 0).Add(time.Duration(float64(target-50) / 5 * 24 * float64(time.Hour))).UTC()
	if p.Basis != BasisTargetLift || p.Target != target || p.Date == nil || !p.Date.Equal(want) {
		t.Errorf("target-lift projection %+v, want target %d by %v", p, target, want)
	}

	// A quota reached has no date; a group without completes has none
	// either, and says why; a study that is not live has no projection.
	if p := buildArms(t, liveRecallStudy(50), arms).Health.Projection; p == nil || !p.Reached || p.Date != nil {
		t.Errorf("reached quota: %+v", p)
	}
	empty := []armCount{{survey.GroupExposed, 100, 30}, {survey.GroupControl, 0, 0}}
	if p := buildArms(t, liveRecallStudy(200), empty).Health.Projection; p == nil || p.Date != nil || p.Reason == "" {
		t.Errorf("a group without completes: %+v", p)
	}
	closed := liveRecallStudy(200)
	closed.Status = survey.StatusClosed
	if p := buildArms(t, closed, arms).Health.Projection; p != nil {
		t.Errorf("closed study projects %+v", p)
	}
}

// TestFieldingStart: answers backdated before launch (an import, the
// demo) start the fill rate's clock at their first day; answers from the
// launch day on leave it at the launch.
func TestFieldingStart(t *testing.T) {
	st := recallStudy()
	launched := time.Date(2026, 12, 3, 15, 0, 0, 0, time.UTC)
	st.LaunchedAt = &launched
	for day, want := range map[string]time.Time{
		"2026-11-20": time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC),
		"2026-12-03": launched,
		"":           launched,
	} {
		if got := fieldingStart(st, day); got == nil || !got.Equal(want) {
			t.Errorf("first day %q: start %v, want %v", day, got, want)
		}
	}
	st.LaunchedAt = nil
	if got := fieldingStart(st, "2026-11-20"); got != nil {
		t.Errorf("a draft starts at %v", got)
	}
}
