package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"testing"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// seedKnown answers the example study with known counts through the public
// API: in each group the first `yes` of n say yes to recall; NPS and CSAT
// cycle through fixed values.
func seedKnown(t *testing.T, app *testApp, st survey.Study, g string, n, yes int) {
	t.Helper()
	resp := make([]map[string]any, n)
	for i := range resp {
		resp[i] = map[string]any{"rid": fmt.Sprintf("%s-%d", g, i), "group": g,
			"attrs": map[string]string{"age": []string{"18-34", "35+"}[i%2]}}
	}
	for i, l := range app.links(st, resp...) {
		recall := "no"
		if i < yes {
			recall = "yes"
		}
		answers := map[string]any{"recall": recall, "nps": i % 11, "csat": 1 + i%5}
		if i%4 == 0 {
			answers["why"] = fmt.Sprintf("<b>%s %d</b>", g, i)
		}
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token, "answers": answers}).status(http.StatusCreated)
	}
}

// reportJSON is the report as a client reads it.
type reportJSON struct {
	Counts   results.Counts
	Health   results.Health
	Metrics  []map[string]any
	Weights  *results.WeightInfo
	Segments []struct {
		Level   string
		Metrics []map[string]any
	}
	Frequency []results.FrequencyCurve
}

func metric(r reportJSON, question string) map[string]any {
	for _, m := range r.Metrics {
		if m["question"] == question {
			return m
		}
	}
	return nil
}

func TestResultsAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) {
			b["weighting"] = map[string]any{"attributes": []string{"age"}}
			// 90/60 does not fit the example's 10% control share; this
			// test reads the statistics, TestSignedLinkSplitIsChecked the
			// sample ratio check.
			b["planned_split"] = false
		})
		seedKnown(t, app, st, "exposed", 90, 36)
		seedKnown(t, app, st, "control", 60, 15)
		var r reportJSON
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if r.Counts.Exposed != 90 || r.Counts.Control != 60 {
			t.Fatalf("counts %+v", r.Counts)
		}
		want := stats.CompareProportions(stats.Count{Positive: 36, N: 90}, stats.Count{Positive: 15, N: 60}, 0.9)
		recall := metric(r, "recall")
		ci := recall["abs_lift_ci"].([]any)
		if recall["type"] != "lift" || math.Abs(recall["abs_lift"].(float64)-want.AbsLift) > 1e-12 ||
			math.Abs(ci[0].(float64)-want.AbsLiftCI.Lo) > 1e-12 || math.Abs(recall["p_value"].(float64)-want.PValue) > 1e-12 ||
			math.Abs(recall["p_value_fisher"].(float64)-want.PValueFisher) > 1e-12 || recall["significant"] != want.Significant {
			t.Errorf("recall %v\nwant %+v", recall, want)
		}
		for _, field := range []string{"q_value", "prob_positive", "rel_lift", "rel_lift_ci", "headroom_lift",
			"lifted_users", "cost_per_lifted_user", "mde", "n_needed_per_group", "sequential"} {
			if _, ok := recall[field]; !ok {
				t.Errorf("recall lacks %s", field)
			}
		}
		if m := metric(r, "nps"); m["type"] != "nps" || m["exposed"] == nil || m["diff"] == nil {
			t.Errorf("nps %v", m)
		}
		if m := metric(r, "csat"); m["type"] != "rating" || m["control"].(map[string]any)["top2box"] == nil {
			t.Errorf("csat %v", m)
		}
		text := metric(r, "why")
		latest := text["latest"].([]any)
		if len(latest) != 10 || latest[0].(map[string]any)["text"] != "<b>control 56</b>" {
			t.Errorf("text latest %v", latest[0])
		}

		// Options.
		var seg reportJSON
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?segment=age&confidence=0.95", survey.RoleAnalyst, nil).
			status(http.StatusOK).decode(&seg)
		if len(seg.Segments) != 2 || seg.Segments[0].Level != "18-34" {
			t.Errorf("segments %+v", seg.Segments)
		}
		var w reportJSON
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?weighting=rake", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&w)
		if w.Weights == nil || !w.Weights.Converged || w.Weights.EffectiveN[survey.GroupControl] <= 0 || w.Weights.MaxWeight < 1 {
			t.Errorf("weights %+v", w.Weights)
		}
		if metric(w, "recall")["exposed"].(map[string]any)["effective_n"] == nil {
			t.Error("weighted lift lacks effective n")
		}
		for _, bad := range []string{"confidence=0.5", "confidence=x", "weighting=magic", "include_flagged=maybe", "segment=Bad%20Name", "format=pdf"} {
			p := app.do("GET", "/api/v1/studies/"+st.ID+"/results?"+bad, survey.RoleAnalyst, nil).status(http.StatusBadRequest).problem()
			if len(p.Errors) == 0 {
				t.Errorf("%s: %+v", bad, p)
			}
		}
		app.do("GET", "/api/v1/studies/nope/results", survey.RoleAnalyst, nil).status(http.StatusNotFound)

		// Trend and text pages.
		var trend results.Trend
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/trend?interval=day", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&trend)
		if len(trend.Periods) != 1 || trend.Periods[0].Counts.Exposed != 90 {
			t.Errorf("trend %+v", trend)
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/trend?interval=year", survey.RoleAnalyst, nil).status(http.StatusBadRequest)
		seen := 0
		cursor := ""
		for pages := 0; pages < 10; pages++ {
			var page TextPage
			app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/why?limit=20&cursor="+cursor, survey.RoleAnalyst, nil).
				status(http.StatusOK).decode(&page)
			seen += len(page.Answers)
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if seen != 23+15 {
			t.Errorf("paged through %d text answers, want 38", seen)
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/recall", survey.RoleAnalyst, nil).status(http.StatusNotFound)
		raw := app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/why?limit=1", survey.RoleAnalyst, nil).Body.String()
		var check TextPage
		json.Unmarshal([]byte(raw), &check)
		if check.Answers[0].Text[0] != '<' {
			t.Errorf("text answers must be returned verbatim in JSON: %s", raw)
		}
	})
}
