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
		for i := range 3 {
			if _, err := s.Submit(ctx, survey.SubmitRequest{Token: token(st, fmt.Sprint(i), survey.GroupExposed), Answers: goodAnswers()}); err != nil {
				t.Fatal(err)
			}
		}
		moscowDay := time.Now().In(time.FixedZone("MSK", 3*3600)).Format("2006-01-02")
		tr, err := s.ResultsTrend(ctx, st.ID, "day", results.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if tr.Timezone != "Europe/Moscow" || len(tr.Periods) != 1 || tr.Periods[0].Period != moscowDay || tr.Periods[0].Counts.Exposed != 3 {
			t.Fatalf("trend %s %+v, want the Moscow day %s", tr.Timezone, tr.Periods, moscowDay)
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
