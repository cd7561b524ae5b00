package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestRakingSurvivesOddData: an exposed respondent with a level no control
// respondent has does not stop the raking, and a study with no exposed
// respondents is reported unweighted instead of failing.
func TestRakingSurvivesOddData(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	ctx := context.Background()
	st := newLiveStudy(t, s, func(in *survey.StudyInput) {
		in.Weighting = &survey.Weighting{Attributes: []string{"age", "gender"}}
	})
	submit := func(rid string, g survey.Group, attrs map[string]string) {
		t.Helper()
		tok := st.SignToken(&survey.Token{RID: rid, Group: g, Attrs: attrs})
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: goodAnswers()}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 20; i++ {
		submit(fmt.Sprint("c", i), survey.GroupControl, map[string]string{"age": []string{"18-34", "35+"}[i%2], "gender": "f"})
	}
	r, err := s.Results(ctx, st.ID, results.Options{Weighting: "rake"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Weights.Converged || r.Weights.Notes == "" {
		t.Errorf("no exposed: %+v", r.Weights)
	}
	for i := 0; i < 20; i++ {
		submit(fmt.Sprint("e", i), survey.GroupExposed, map[string]string{"age": []string{"18-34", "35+", "18-34"}[i%3], "gender": "f"})
	}
	submit("no-gender", survey.GroupExposed, map[string]string{"age": "18-34"})
	r, err = s.Results(ctx, st.ID, results.Options{Weighting: "rake"})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Weights.Converged || r.Weights.MaxWeight <= 1 || r.Weights.Notes == "" {
		t.Errorf("one exposed respondent without gender: %+v", r.Weights)
	}
}
