package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
)

// lineAfter is the rest of the first line of out that contains label,
// trimmed.
func lineAfter(out, label string) string {
	for _, line := range strings.Split(out, "\n") {
		if _, rest, ok := strings.Cut(line, label); ok {
			return strings.TrimSpace(rest)
		}
	}
	return ""
}

// TestDemoFindsTheTruth seeds the demo and reads its report as a user
// would: every known true lift lies inside its interval, the lifts that
// are zero are not significant, and the NPS tracker has six months.
func TestDemoFindsTheTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 24,200 responses")
	}
	ctx := context.Background()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "demo.db")
	start := time.Now()
	var out, errOut strings.Builder
	if err := cmdDemo([]string{"--db", dsn, "--seed-only"}, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	t.Logf("seeded in %s:\n%s", time.Since(start), out.String())
	s, err := openStore(ctx, dsn, testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// The dashboard's address and a demo admin who can sign in with the
	// password printed once.
	email, password := lineAfter(out.String(), "email:"), lineAfter(out.String(), "password:")
	password, _, _ = strings.Cut(password, " ")
	if !strings.Contains(out.String(), "Dashboard: http://127.0.0.1:8080/login") || email != demoAdminEmail || len(password) < 20 {
		t.Fatalf("the demo does not print the dashboard, its admin and a password:\n%s", out.String())
	}
	if u, err := s.CheckPassword(ctx, email, password); err != nil || u.Role != survey.RoleAdmin {
		t.Fatalf("the demo admin cannot sign in with the printed password: %v %+v", err, u)
	}
	t.Run("Dashboard", func(t *testing.T) { checkDemoDashboard(t, s, email, password) })
	byName := map[string]string{}
	studies, _, err := s.Studies(ctx, store.StudyFilter{})
	if want := 4 + len(demoArchiveLifts); err != nil || len(studies) != want {
		t.Fatalf("studies: %v %d, want %d", err, len(studies), want)
	}
	for _, st := range studies {
		byName[st.Name] = st.ID
	}
	var seeded []struct{ id string }
	for _, spec := range []string{demoBrandLift, demoNPS} {
		seeded = append(seeded, struct{ id string }{byName[specName(t, spec)]})
	}
	t.Run("Cells", func(t *testing.T) { checkDemoCells(t, s, byName[specName(t, demoCells)]) })
	t.Run("Archive", func(t *testing.T) { checkDemoArchive(t, s) })
	t.Run("Waves", func(t *testing.T) { checkDemoWaves(t, s, byName[specName(t, demoWaves)]) })
	r, err := s.Results(ctx, seeded[0].id, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts.Exposed < 5000 || r.Counts.Control < 5000 || r.Counts.FlaggedBy[survey.FlagSpeeder] == 0 {
		t.Fatalf("counts %+v", r.Counts)
	}
	checked := 0
	for _, m := range r.Metrics {
		l, ok := m.(*results.LiftMetric)
		if !ok {
			continue
		}
		key := l.Question
		if l.Option != "" {
			key += "/" + l.Option
		}
		truth, known := demoTrueLifts[key]
		if !known {
			continue
		}
		checked++
		t.Logf("%-14s true %+.3f  estimate %+.4f  90%% CI [%+.4f, %+.4f]  p %.3g", key, truth, l.AbsLift, l.AbsLiftCI.Lo, l.AbsLiftCI.Hi, l.PValue)
		if !l.AbsLiftCI.Contains(truth) {
			t.Errorf("%s: true lift %v outside %v", key, truth, l.AbsLiftCI)
		}
		if truth == 0 && l.Significant {
			t.Errorf("%s: no true lift, but significant (p %v)", key, l.PValue)
		}
		if truth >= 0.03 && !l.Significant {
			t.Errorf("%s: true lift %v not detected with %d per group", key, truth, l.Exposed.N)
		}
	}
	if checked != len(demoTrueLifts) {
		t.Errorf("checked %d of %d known lifts", checked, len(demoTrueLifts))
	}
	if len(r.Frequency) == 0 {
		t.Error("no frequency curve")
	}
	trend, err := s.ResultsTrend(ctx, seeded[1].id, "week", results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(trend.Periods) < 26 || len(trend.Periods) > 28 {
		t.Errorf("tracker has %d weeks", len(trend.Periods))
	}
	first := trend.Periods[0].Metrics[0].(*results.NPSMetric).All.NPS
	last := trend.Periods[len(trend.Periods)-1].Cumulative[0].(*results.NPSMetric).All.NPS
	if first >= last+10 {
		t.Errorf("tracker NPS from %v to %v", first, last)
	}
}
