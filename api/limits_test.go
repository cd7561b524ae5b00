package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// manyQuestions is a study of n single-choice questions of k options, or
// of n NPS questions when k is 0.
func manyQuestions(n, k int) map[string]any {
	qs := make([]map[string]any, n)
	for i := range qs {
		if k == 0 {
			qs[i] = map[string]any{"key": fmt.Sprintf("q%d", i), "type": "nps", "text": map[string]string{"ru": "?"}}
			continue
		}
		opts := make([]map[string]any, k)
		for j := range opts {
			opts[j] = map[string]any{"key": fmt.Sprintf("o%d", j), "text": map[string]string{"ru": "в"}}
		}
		qs[i] = map[string]any{"key": fmt.Sprintf("q%d", i), "type": "single_choice", "text": map[string]string{"ru": "?"}, "options": opts}
	}
	return map[string]any{"name": "big", "questions": qs}
}

// TestStudyLimits: what no real study reaches is a 422 naming the field
// on both databases, never a 500 from a driver's parameter limit; and a
// study at the limits (200 questions of 100 options: 20,000 option rows,
// past both drivers' limits in one statement) is stored whole.
func TestStudyLimits(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		with := func(key string, v any) map[string]any {
			b := exampleStudy(t)
			b[key] = v
			return b
		}
		refused := []struct {
			field string
			body  any
		}{
			{"questions", manyQuestions(10000, 0)},
			{"questions", manyQuestions(survey.MaxQuestions+1, 2)},
			{"questions[0].options", manyQuestions(1, survey.MaxOptions+1)},
			{"brand", map[string]any{"name": "x", "brand": strings.Repeat("b", survey.MaxBrandLength+1),
				"questions": manyQuestions(1, 2)["questions"]}},
			{"questions[0].text.ru", map[string]any{"name": "x", "questions": []map[string]any{
				{"key": "q", "type": "nps", "text": map[string]string{"ru": strings.Repeat("я", survey.MaxQuestionText+1)}}}}},
			{"targets", with("targets", times(survey.MaxTargets+1, func(int) any {
				return map[string]any{"question": "nps", "measure": "nps", "target": 10, "deadline": "2030-01-01T00:00:00Z"}
			}))},
			{"frame_ancestors", with("frame_ancestors", times(survey.MaxFrameAncestors+1, func(i int) any {
				return fmt.Sprintf("https://p%d.example", i)
			}))},
			{"weighting.attributes", with("weighting", map[string]any{"attributes": times(survey.MaxWeightAttrs+1, func(i int) any {
				return fmt.Sprintf("a%d", i)
			})})},
		}
		for _, c := range refused {
			res := app.do("POST", "/api/v1/studies", survey.RoleMarketer, c.body).status(http.StatusUnprocessableEntity)
			if missing := hasAll(res.problem().fields(), c.field); len(missing) > 0 {
				t.Errorf("refusal does not name %s: %s", c.field, res.Body.String()[:min(300, res.Body.Len())])
			}
		}
		big := app.createStudy(manyQuestions(survey.MaxQuestions, survey.MaxOptions))
		var got survey.Study
		app.do("GET", "/api/v1/studies/"+big.ID, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&got)
		if len(got.Questions) != survey.MaxQuestions || len(got.Questions[199].Options) != survey.MaxOptions {
			t.Fatalf("stored %d questions", len(got.Questions))
		}
		// Replacing them all works the same way.
		app.do("PATCH", "/api/v1/studies/"+big.ID, survey.RoleMarketer, map[string]any{"questions": manyQuestions(survey.MaxQuestions, survey.MaxOptions)["questions"]}).
			status(http.StatusOK)

		// Respondents: at most 20 attributes, and links per call.
		st := app.launched(nil)
		attrs := map[string]string{}
		for i := 0; i <= survey.MaxAttrs; i++ {
			attrs[fmt.Sprintf("a%d", i)] = "x"
		}
		res := app.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer,
			map[string]any{"respondents": []map[string]any{{"rid": "r", "group": "exposed", "attrs": attrs}}}).status(http.StatusUnprocessableEntity)
		if missing := hasAll(res.problem().fields(), "respondents[0].attrs"); len(missing) > 0 {
			t.Errorf("too many attributes: %s", res.Body.String())
		}
	})
}

// times lists n values made by f from their index.
func times(n int, f func(i int) any) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = f(i)
	}
	return out
}
