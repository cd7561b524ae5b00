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
			{"targets", func() map[string]any {
				b := exampleStudy(t)
				ts := make([]map[string]any, survey.MaxTargets+1)
				for i := range ts {
					ts[i] = map[string]any{"question": "nps", "measure": "nps", "target": 10, "deadline": "2030-01-01T00:00:00Z"}
				}
				b["targets"] = ts
				return b
			}()},
			{"frame_ancestors", func() map[string]any {
				b := exampleStudy(t)
				fa := make([]string, survey.MaxFrameAncestors+1)
				for i := range fa {
					fa[i] = fmt.Sprintf("https://p%d.example", i)
				}
				b["frame_ancestors"] = fa
				return b
			}()},
			{"weighting.attributes", func() map[string]any {
				b := exampleStudy(t)
				attrs := make([]string, survey.MaxWeightAttrs+1)
				for i := range attrs {
					attrs[i] = fmt.Sprintf("a%d", i)
				}
				b["weighting"] = map[string]any{"attributes": attrs}
				return b
			}()},
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
