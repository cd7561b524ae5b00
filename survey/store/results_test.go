package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// known is a fixture with counts fixed in advance.
type known struct {
	recallYes, n map[survey.Group]int
	acme         map[survey.Group]int
	nps          map[survey.Group][11]int
	csat         map[survey.Group][5]int
}

// fill submits responses that realise the known counts: in group g, the
// first recallYes[g] say yes, the first acme[g] name acme, NPS and CSAT
// answers follow the per-score counts.
func (k *known) fill(t *testing.T, s *store.Store, st *survey.Study) {
	t.Helper()
	ctx := context.Background()
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl} {
		var npsScores, csatLevels []int
		for score, c := range k.nps[g] {
			for i := 0; i < c; i++ {
				npsScores = append(npsScores, score)
			}
		}
		for level, c := range k.csat[g] {
			for i := 0; i < c; i++ {
				csatLevels = append(csatLevels, level+1)
			}
		}
		for i := 0; i < k.n[g]; i++ {
			a := goodAnswers()
			a["recall"] = map[bool]string{true: "yes", false: "no"}[i < k.recallYes[g]]
			if i < k.acme[g] {
				a["brands"] = []any{"acme"}
			} else {
				a["brands"] = []any{"rival"}
			}
			a["nps"] = json.Number(fmt.Sprint(npsScores[i]))
			a["r1"] = json.Number(fmt.Sprint(csatLevels[i]))
			a["r2"], a["r3"] = json.Number("3"), json.Number("7") // never one line: 3 of 5 and 7 of 7 differ
			age := []string{"18-24", "25-34", "35-44"}[i%3]
			tok := st.SignToken(&survey.Token{RID: fmt.Sprintf("%s-%d", g, i), Group: g, Attrs: map[string]string{"age": age}})
			if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: a}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func fixtureCounts() *known {
	return &known{
		n:         map[survey.Group]int{survey.GroupExposed: 120, survey.GroupControl: 100},
		recallYes: map[survey.Group]int{survey.GroupExposed: 54, survey.GroupControl: 30},
		acme:      map[survey.Group]int{survey.GroupExposed: 80, survey.GroupControl: 55},
		nps: map[survey.Group][11]int{
			survey.GroupExposed: {5, 5, 5, 5, 5, 5, 10, 15, 15, 25, 25},
			survey.GroupControl: {5, 5, 5, 5, 5, 10, 10, 15, 15, 10, 15},
		},
		csat: map[survey.Group][5]int{
			survey.GroupExposed: {10, 10, 20, 40, 40},
			survey.GroupControl: {15, 15, 20, 25, 25},
		},
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

// TestReportEqualsStatsOnKnownCounts builds a study with known counts and
// checks every reported number against the stats package applied to those
// counts, on both databases.
func TestReportEqualsStatsOnKnownCounts(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, func(in *survey.StudyInput) {
			reach, spend := int64(1000000), 500000.0
			in.Reach, in.Spend = &reach, &spend
		})
		k := fixtureCounts()
		k.fill(t, s, st)
		r, err := s.Results(ctx, st.ID, results.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Counts.Exposed != 120 || r.Counts.Control != 100 || !r.Health.EnoughData || r.Confidence != 0.9 {
			t.Fatalf("counts %+v health %+v", r.Counts, r.Health)
		}
		lifts := map[string]*results.LiftMetric{}
		var npsM *results.NPSMetric
		var csat *results.RatingMetric
		for _, m := range r.Metrics {
			switch m := m.(type) {
			case *results.LiftMetric:
				lifts[m.Question+"/"+m.Option] = m
			case *results.NPSMetric:
				npsM = m
			case *results.RatingMetric:
				if m.Question == "r1" {
					csat = m
				}
			}
		}
		recall := lifts["recall/"]
		want := stats.CompareProportions(stats.Count{Positive: 54, N: 120}, stats.Count{Positive: 30, N: 100}, 0.9)
		if recall == nil || recall.Exposed.Positive != 54 || recall.Control.N != 100 ||
			!near(recall.AbsLift, want.AbsLift) || recall.AbsLiftCI != want.AbsLiftCI || !near(*recall.RelLift, want.RelLift) ||
			*recall.RelLiftCI != want.RelLiftCI || !near(recall.PValue, want.PValue) || !near(recall.PValueFisher, want.PValueFisher) ||
			!near(recall.ProbPositive, want.ProbPositive) || recall.Significant != want.Significant ||
			!near(*recall.HeadroomLift, want.HeadroomLift) {
			t.Fatalf("recall\n got %+v\nwant %+v", recall, want)
		}
		im := stats.LiftedUsers(want.AbsLift, want.AbsLiftCI, 1e6, 5e5)
		if !near(*recall.LiftedUsers, im.LiftedUsers) || !near(*recall.CostPerLiftedUser, im.CostPerLiftedUser) {
			t.Errorf("impact %v %v, want %+v", *recall.LiftedUsers, *recall.CostPerLiftedUser, im)
		}
		seq := stats.SequentialLift(stats.Count{Positive: 54, N: 120}, stats.Count{Positive: 30, N: 100}, 0.9, 0)
		if recall.Sequential != seq {
			t.Errorf("sequential %+v want %+v", recall.Sequential, seq)
		}
		mde, _ := stats.MinDetectableLift(0.3, 120, 100, 0.1, 0.8, stats.TwoSided)
		need, _ := stats.StillNeededPerGroup(0.3, 0.02, 120, 100, 0.1, 0.8, stats.TwoSided)
		if !near(*recall.MDE, mde) || *recall.NeededPerGroup != need {
			t.Errorf("mde %v need %v, want %v %v", *recall.MDE, *recall.NeededPerGroup, mde, need)
		}
		acme := lifts["brands/acme"]
		wantAcme := stats.CompareProportions(stats.Count{Positive: 80, N: 120}, stats.Count{Positive: 55, N: 100}, 0.9)
		if acme == nil || !near(acme.AbsLift, wantAcme.AbsLift) || acme.AbsLiftCI != wantAcme.AbsLiftCI {
			t.Errorf("acme %+v", acme)
		}
		rival := lifts["brands/rival"]
		if rival == nil || rival.Exposed.Positive != 40 || rival.Control.Positive != 45 {
			t.Errorf("rival %+v", rival)
		}
		if lifts["brands/none"] != nil {
			t.Error("an exclusive option got a lift")
		}
		// q-values: Benjamini-Hochberg over every test of the report, in
		// report order: the lifts, the NPS and the rating differences.
		var ps, got []float64
		for _, m := range r.Metrics {
			switch m := m.(type) {
			case *results.LiftMetric:
				ps, got = append(ps, m.PValue), append(got, m.QValue)
			case *results.NPSMetric:
				ps, got = append(ps, *m.PValue), append(got, *m.QValue)
			case *results.RatingMetric:
				ps, got = append(ps, *m.PValue), append(got, *m.QValue)
			}
		}
		qs := stats.BenjaminiHochberg(ps)
		if len(ps) != 7 {
			t.Errorf("%d tests, want 3 lifts, 1 NPS and 3 ratings", len(ps))
		}
		for i := range qs {
			if !near(got[i], qs[i]) {
				t.Errorf("q-values %v, want %v", got, qs)
				break
			}
		}
		toCounts := func(a [11]int) (c [11]int64) {
			for i, v := range a {
				c[i] = int64(v)
			}
			return c
		}
		ne := stats.NPSFromCounts(toCounts(k.nps[survey.GroupExposed]), 0.9)
		nc := stats.NPSFromCounts(toCounts(k.nps[survey.GroupControl]), 0.9)
		cmp := stats.CompareNPS(ne, nc, 0.9)
		if npsM == nil || !near(npsM.Exposed.NPS, ne.NPS) || npsM.Control.CI != nc.CI || !near(*npsM.Diff, cmp.Diff) || !near(*npsM.PValue, cmp.PValue) {
			t.Errorf("nps %+v", npsM)
		}
		re := stats.RatingSummary(120, 10*1+10*2+20*3+40*4+40*5, 10*1+10*4+20*9+40*16+40*25, []int64{10, 10, 20, 40, 40}, 0.9)
		rc := stats.RatingSummary(100, 15*1+15*2+20*3+25*4+25*5, 15*1+15*4+20*9+25*16+25*25, []int64{15, 15, 20, 25, 25}, 0.9)
		rcmp := stats.CompareRatings(re, rc, 0.9)
		if csat == nil || !near(csat.Exposed.Mean, re.Mean) || csat.Exposed.Top2BoxCI != re.Top2BoxCI || !near(*csat.PValue, rcmp.PValue) ||
			!near(csat.Control.Mean, rc.Mean) {
			t.Errorf("csat %+v", csat)
		}
		// The same report at 95%.
		r95, err := s.Results(ctx, st.ID, results.Options{Confidence: 0.95})
		if err != nil {
			t.Fatal(err)
		}
		want95 := stats.CompareProportions(stats.Count{Positive: 54, N: 120}, stats.Count{Positive: 30, N: 100}, 0.95)
		if r95.Metrics[0].(*results.LiftMetric).AbsLiftCI != want95.AbsLiftCI {
			t.Error("confidence option ignored")
		}
		// Segments by age: the three levels sum to the whole.
		seg, err := s.Results(ctx, st.ID, results.Options{Segment: "age"})
		if err != nil {
			t.Fatal(err)
		}
		if len(seg.Segments) != 3 {
			t.Fatalf("segments %+v", seg.Segments)
		}
		var sumE int64
		for _, l := range seg.Segments {
			sumE += l.Counts.Exposed
		}
		if sumE != 120 {
			t.Errorf("segment counts add to %d", sumE)
		}
	})
}

func TestReportWithholdsSmallGroupsAndCountsFlags(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	ctx := context.Background()
	st := newLiveStudy(t, s, nil)
	for i := 0; i < 10; i++ {
		a := goodAnswers()
		if i < 3 {
			a["check"] = "a"
		}
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: token(st, fmt.Sprint(i), survey.GroupExposed), Answers: a}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := s.Results(ctx, st.ID, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Health.EnoughData || r.Counts.Exposed != 7 || r.Counts.Flagged != 3 || r.Counts.FlaggedBy[survey.FlagAttention] != 3 {
		t.Fatalf("counts %+v health %+v", r.Counts, r.Health)
	}
	for _, m := range r.Metrics {
		switch m := m.(type) {
		case *results.WithheldMetric:
			if m.Status != "not_enough_data" || m.N[survey.GroupExposed] != 7 {
				t.Errorf("%+v", m)
			}
		case *results.TextMetric:
			if len(m.Latest) != 10 || m.Latest[0].Text != "потому что" {
				t.Errorf("text %+v", m)
			}
		default:
			t.Errorf("numbers shown below 50 per group: %T", m)
		}
	}
	all, _ := s.Results(ctx, st.ID, results.Options{IncludeFlagged: true})
	if all.Counts.Exposed != 10 || all.Counts.Flagged != 3 {
		t.Errorf("include_flagged: %+v", all.Counts)
	}
	if _, err := s.Results(ctx, st.ID, results.Options{Weighting: "rake"}); err == nil {
		t.Error("raking without attributes should be refused")
	}
	if _, err := s.Results(ctx, st.ID, results.Options{Confidence: 0.5}); err == nil {
		t.Error("confidence 0.5 accepted")
	}
	tr, err := s.ResultsTrend(ctx, st.ID, "week", results.Options{})
	if err != nil || len(tr.Periods) != 1 || tr.Periods[0].Counts.Exposed != 7 {
		t.Fatalf("trend %+v %v", tr, err)
	}
	_ = time.Now
}
