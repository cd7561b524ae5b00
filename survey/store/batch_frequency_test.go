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

// TestFrequencyReadInTheBatch: in a signed-link study the pixel's counts
// are read by the writer, once per batch. Respondents answering together
// each get their own frequency and the cell of its bucket, and the running
// counts by cell equal a recount.
func TestFrequencyReadInTheBatch(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, nil) // signed links
		seen := map[string]int{}
		for i := range 12 {
			rid := fmt.Sprint("r-", i)
			seen[rid] = i % 6 // 0 (never seen), 1, 2, 3, 4, 5
			for range seen[rid] {
				if err := s.RecordImpression(ctx, st, survey.Impression{RID: rid}); err != nil {
					t.Fatal(err)
				}
			}
		}
		var wg sync.WaitGroup
		for rid := range seen {
			wg.Go(func() {
				tok := st.SignToken(&survey.Token{RID: rid, Group: survey.GroupExposed})
				if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: goodAnswers()}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		type row struct {
			Respondent string
			Frequency  *int
			Bucket     string
		}
		var rows []row
		s.DB().Raw(`SELECT r.respondent, r.frequency, c.frequency_bucket AS bucket FROM responses r
			JOIN cells c ON c.study_id = r.study_id AND c.id = r.cell_id WHERE r.study_id = ?`, st.ID).Scan(&rows)
		if len(rows) != len(seen) {
			t.Fatalf("%d responses, want %d", len(rows), len(seen))
		}
		byHash := map[string]row{}
		for _, r := range rows {
			byHash[r.Respondent] = r
		}
		for rid, n := range seen {
			r := byHash[st.RespondentHash(rid)]
			var want *int
			if n > 0 {
				want = &n
			}
			if (r.Frequency == nil) != (want == nil) || (want != nil && *r.Frequency != n) || r.Bucket != survey.FrequencyBucket(want) {
				t.Errorf("%s seen %d times: frequency %v, bucket %q", rid, n, r.Frequency, r.Bucket)
			}
		}
		if err := s.VerifyTallies(ctx, st.ID); err != nil {
			t.Error(err)
		}
	})
}
