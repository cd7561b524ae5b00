package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestConcurrentImpressions sends the pixel's impressions of a few
// respondents from many clients at once, some of whom hang up before the
// answer: batched together, every impression still adds up exactly, per
// respondent, with the latest label and a first sighting before the last.
func TestConcurrentImpressions(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, func(in *survey.StudyInput) {
			a := survey.AssignExposure
			in.Assignment = &a
		})
		const clients, each, respondents = 48, 40, 5
		var wg sync.WaitGroup
		errs := make(chan error, clients*each)
		for c := range clients {
			wg.Go(func() {
				for i := range each {
					ctx := context.Background()
					if i%4 == 0 { // a browser that navigated away before the answer
						var cancel context.CancelFunc
						ctx, cancel = context.WithCancel(ctx)
						cancel()
					}
					rid := fmt.Sprint("r-", (c+i)%respondents)
					if err := s.RecordImpression(ctx, st, survey.Impression{RID: rid, Creative: "cr", Placement: fmt.Sprint("p-", c)}); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("impression: %v", err)
		}
		var total int64
		for r := range respondents {
			exp, err := s.Exposure(context.Background(), st, fmt.Sprint("r-", r))
			if err != nil {
				t.Fatal(err)
			}
			if exp.Count != clients*each/respondents || exp.Creative != "cr" || exp.Placement == "" || exp.FirstSeen.After(exp.LastSeen) {
				t.Errorf("r-%d: %+v, want %d impressions", r, exp, clients*each/respondents)
			}
			total += exp.Count
		}
		if total != clients*each {
			t.Errorf("%d impressions stored, want %d", total, clients*each)
		}
		// What a load run checks: the same counts, and nobody else.
		want := map[string]int64{}
		for r := range respondents {
			want[fmt.Sprint("r-", r)] = clients * each / respondents
		}
		check, err := s.VerifyImpressions(context.Background(), st.ID, want)
		if err != nil || check.Stored != clients*each || len(check.Wrong) != 0 || check.Extra != 0 {
			t.Errorf("verify: %+v %v", check, err)
		}
		want["r-0"]++
		delete(want, "r-1")
		if check, _ := s.VerifyImpressions(context.Background(), st.ID, want); len(check.Wrong) != 1 || check.Wrong[0] != "r-0" || check.Extra != 1 {
			t.Errorf("verify of wrong counts: %+v", check)
		}
	})
}

// TestImpressionsOfAClosedStudy: the pixel of a closed study, and one
// without a valid respondent id, records nothing and fails nothing.
func TestImpressionsOfAClosedStudy(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, nil)
		if err := s.RecordImpression(ctx, st, survey.Impression{RID: ""}); err != nil {
			t.Fatal(err)
		}
		closed, err := s.Transition(ctx, st.ID, survey.Close)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordImpression(ctx, closed, survey.Impression{RID: "late"}); err != nil {
			t.Fatal(err)
		}
		if check, err := s.VerifyImpressions(ctx, st.ID, nil); err != nil || check.Stored != 0 || check.Extra != 0 {
			t.Errorf("closed study: %+v %v", check, err)
		}
	})
}
