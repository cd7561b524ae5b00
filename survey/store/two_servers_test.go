package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestTwoServersExactlyOnce: two stores on one PostgreSQL database, as two
// `brandlift serve` replicas behind a load balancer, each with its own
// group commit and pixel batches. Every respondent submits once through
// each of them at the same time, in a study with a quota of 40 per group
// that closes itself when full, while both count impressions of the same
// respondents: each respondent is stored once, no group passes its quota,
// the study closes, the running counts equal a recount, and every answered
// impression is counted exactly once.
func TestTwoServersExactlyOnce(t *testing.T) {
	if surveytest.Dialects()[len(surveytest.Dialects())-1] != store.Postgres {
		t.Skip("replicas share a PostgreSQL database; set " + surveytest.EnvPostgres)
	}
	dsn := surveytest.DSN(t, store.Postgres)
	a := surveytest.OpenMigrated(t, dsn)
	b := surveytest.OpenMigrated(t, dsn)
	const target = 40
	st := newLiveStudy(t, a, func(in *survey.StudyInput) {
		n, yes := int64(target), true
		in.TargetPerGroup, in.AutoClose = &n, &yes
	})
	ctx := context.Background()
	stB, err := b.Study(ctx, st.ID)
	if err != nil {
		t.Fatal(err)
	}
	var created, duplicate, full, closed atomic.Int64
	var wg sync.WaitGroup
	const respondents = 120 // three times what the quotas take
	for i := range respondents {
		g := survey.GroupExposed
		if i%2 == 1 {
			g = survey.GroupControl
		}
		rid := fmt.Sprint("r-", i)
		for _, s := range []*store.Store{a, b} {
			wg.Go(func() {
				res, err := s.Submit(ctx, survey.SubmitRequest{Token: token(st, rid, g), Answers: goodAnswers()})
				var ce *survey.ConflictError
				switch {
				case err == nil && res.Duplicate:
					duplicate.Add(1)
				case err == nil:
					created.Add(1)
				case errors.Is(err, survey.ErrGroupFull):
					full.Add(1)
				case errors.As(err, &ce) && ce.Status == survey.StatusClosed:
					closed.Add(1)
				default:
					t.Errorf("%s: %v", rid, err)
				}
			})
		}
		for k, s := range []*store.Store{a, b} {
			wg.Go(func() {
				if err := s.RecordImpression(ctx, []*survey.Study{st, stB}[k], survey.Impression{RID: fmt.Sprint("v-", i%7)}); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	if created.Load() != 2*target {
		t.Errorf("%d responses created, want exactly %d (the two quotas): %d duplicates, %d full, %d closed",
			created.Load(), 2*target, duplicate.Load(), full.Load(), closed.Load())
	}
	if total := created.Load() + duplicate.Load() + full.Load() + closed.Load(); total != 2*respondents {
		t.Errorf("%d answers for %d submissions", total, 2*respondents)
	}
	check, err := a.VerifyResponses(ctx, st.ID, nil)
	if err != nil || check.Stored != 2*target || check.Respondents != 2*target {
		t.Errorf("stored %+v %v, want %d once each", check, err, 2*target)
	}
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl} {
		var n int64
		a.DB().Table("responses").Where("study_id = ? AND grp = ?", st.ID, g).Count(&n)
		if n != target {
			t.Errorf("%s: %d responses, quota %d", g, n, target)
		}
	}
	if got, _ := b.Study(ctx, st.ID); got.Status != survey.StatusClosed {
		t.Errorf("the study is %s, want closed by its quotas", got.Status)
	}
	if err := a.VerifyTallies(ctx, st.ID); err != nil {
		t.Error(err)
	}
	want := map[string]int64{}
	for i := range respondents {
		want[fmt.Sprint("v-", i%7)] += 2
	}
	if c, err := b.VerifyImpressions(ctx, st.ID, want); err != nil || len(c.Wrong) != 0 || c.Extra != 0 || c.Stored != 2*respondents {
		t.Errorf("impressions through two servers: %+v %v", c, err)
	}
}
