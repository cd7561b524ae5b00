package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestDaysInTheStudysTimezone: a Europe/Moscow study counts its days in
// Moscow on both databases: the trend's day is the Moscow date of the
// answers (which differs from the UTC date between 21:00 and 24:00 UTC),
// the recount from the stored responses agrees, erasing a respondent takes
// them off the same day, and the timezone cannot change once live.
func TestDaysInTheStudysTimezone(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, func(in *survey.StudyInput) {
			tz := "Europe/Moscow"
			in.Timezone = &tz
		})
		// Two answers a minute either side of Moscow's midnight (21:00 UTC),
		// one the next afternoon: the UTC date of all three is the same
		// for the first two and the next day for the third.
		evening := time.Date(2026, 11, 30, 20, 59, 0, 0, time.UTC)
		for i, at := range []time.Time{evening, evening.Add(2 * time.Minute), evening.Add(18 * time.Hour)} {
			if _, err := s.Submit(ctx, survey.SubmitRequest{Token: token(st, fmt.Sprint(i), survey.GroupExposed), Answers: goodAnswers(), At: at}); err != nil {
				t.Fatal(err)
			}
		}
		tr, err := s.ResultsTrend(ctx, st.ID, "day", results.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Timezone != "Europe/Moscow" || len(tr.Periods) != 2 ||
			tr.Periods[0].Period != "2026-11-30" || tr.Periods[0].Counts.Exposed != 1 ||
			tr.Periods[1].Period != "2026-12-01" || tr.Periods[1].Counts.Exposed != 2 {
			t.Fatalf("trend %s %+v, want 1 answer on 30 Nov and 2 on 1 Dec, Moscow time", tr.Timezone, tr.Periods)
		}
		if err := s.VerifyTallies(ctx, st.ID); err != nil {
			t.Fatalf("recount: %v", err)
		}
		if _, err := s.EraseRespondent(ctx, st.ID, "0"); err != nil {
			t.Fatal(err)
		}
		if err := s.VerifyTallies(ctx, st.ID); err != nil {
			t.Fatalf("recount after erasure: %v", err)
		}
		tz := "UTC"
		if _, err := s.UpdateStudy(ctx, st.ID, &survey.StudyInput{Timezone: &tz}); err == nil {
			t.Error("the timezone of a live study changed")
		}
	})
}
