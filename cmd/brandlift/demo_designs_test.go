package main

import (
	"context"
	"encoding/json"
	"math"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
)

// specName is the name in a demo study's JSON.
func specName(t *testing.T, spec string) string {
	t.Helper()
	var in survey.StudyInput
	if err := json.Unmarshal([]byte(spec), &in); err != nil || in.Name == nil {
		t.Fatalf("demo spec: %v", err)
	}
	return *in.Name
}

// checkDemoCells reads the two-cell study as an analyst would: each
// cell's lift is its true lift (the study is seeded with exact counts),
// and the 30-second video is significantly better than the 15-second one.
func checkDemoCells(t *testing.T, s *store.Store, id string) {
	r, err := s.Results(context.Background(), id, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Cells == nil || len(r.Cells.Cells) != 2 {
		t.Fatalf("cells %+v", r.Cells)
	}
	for _, c := range r.Cells.Cells {
		for _, m := range c.Metrics {
			l := m.(*results.LiftMetric)
			truth := demoCellTruth[c.Cell][l.Question] - demoCellTruth["control"][l.Question]
			t.Logf("%s %-13s true %+.3f estimate %+.4f CI [%+.4f, %+.4f] Holm p %.3g", c.Cell, l.Question, truth, l.AbsLift, l.AbsLiftCI.Lo, l.AbsLiftCI.Hi, *l.PValueAdjusted)
			if math.Abs(l.AbsLift-truth) > 1e-9 || !l.AbsLiftCI.Contains(truth) {
				t.Errorf("%s %s: true lift %v outside %v", c.Cell, l.Question, truth, l.AbsLiftCI)
			}
		}
	}
	pair := r.Cells.Pairs[0]
	for _, m := range pair.Metrics {
		if m.Question != "recall" {
			continue
		}
		t.Logf("recall %s - %s: %+.4f CI [%+.4f, %+.4f] Holm p %.3g", pair.B, pair.A, m.Diff, m.DiffCI.Lo, m.DiffCI.Hi, m.PValueAdjusted)
		if pair.A != "video_15s" || pair.B != "video_30s" || !m.Significant || m.Diff <= 0 {
			t.Errorf("the better creative is not found: %+v", m)
		}
	}
}

// checkDemoWaves: the pre/post study shows the campaign's
// difference-in-differences, 7 points, significant.
func checkDemoWaves(t *testing.T, s *store.Store, id string) {
	r, err := s.Results(context.Background(), id, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Waves == nil || r.Waves.Main != "post" || len(r.Waves.Comparisons) != 1 {
		t.Fatalf("waves %+v", r.Waves)
	}
	cmp := r.Waves.Comparisons[0]
	if len(cmp.DiffInDiff) != 1 || len(cmp.Change) != 1 {
		t.Fatalf("comparison %+v", cmp)
	}
	did, change := cmp.DiffInDiff[0], cmp.Change[0]
	wantDiD := (demoWaveTruth["post"][survey.GroupExposed] - demoWaveTruth["post"][survey.GroupControl]) -
		(demoWaveTruth["pre"][survey.GroupExposed] - demoWaveTruth["pre"][survey.GroupControl])
	t.Logf("diff-in-diff true %+.3f estimate %+.4f CI [%+.4f, %+.4f] p %.3g; whole-wave change %+.4f", wantDiD, did.Diff, did.DiffCI.Lo, did.DiffCI.Hi, did.PValue, change.Diff)
	if math.Abs(did.Diff-wantDiD) > 1e-9 || did.PValue >= 0.1 {
		t.Errorf("diff-in-diff %+v, true %v", did, wantDiD)
	}
	if change.Diff <= 0 {
		t.Errorf("whole-wave change %+v", change)
	}
}

// checkDemoArchive: the six closed archive studies make the fmcg norms,
// whose ad recall quartiles are those of their true lifts (2, 3, 4, 5, 6
// and 8 points, seeded exactly): numpy.quantile gives 3.25, 4.5, 5.75.
func checkDemoArchive(t *testing.T, s *store.Store) {
	pool, err := s.NormStudies(context.Background(), "fmcg")
	if err != nil {
		t.Fatal(err)
	}
	n := results.Summarize(pool, survey.AdRecall)
	if n.Studies != len(demoArchiveLifts) || n.AbsLift == nil {
		t.Fatalf("fmcg ad recall norm %+v", n)
	}
	for name, got := range map[string][2]float64{"q1": {n.AbsLift.Q1, 0.0325}, "median": {n.AbsLift.Median, 0.045}, "q3": {n.AbsLift.Q3, 0.0575}} {
		if math.Abs(got[0]-got[1]) > 1e-12 {
			t.Errorf("fmcg ad recall %s %v, want %v", name, got[0], got[1])
		}
	}
}
