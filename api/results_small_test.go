package api

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// smallRefs are the small-sample reference values of
// stats/testdata/gen_small.py (scipy and statsmodels).
type smallRefs struct {
	Origin string
	Cases  []struct {
		N                int64     `json:"n"`
		XExposed         int64     `json:"x_exposed"`
		XControl         int64     `json:"x_control"`
		PValue           *float64  `json:"p_value"`
		PValueFisher     float64   `json:"p_value_fisher"`
		ExposedWilson90  []float64 `json:"exposed_wilson_90"`
		ControlWilson90  []float64 `json:"control_wilson_90"`
		DiffCINewcombe90 []float64 `json:"diff_ci_newcombe_90"`
	}
}

func readSmallRefs(t *testing.T) smallRefs {
	t.Helper()
	raw, err := os.ReadFile("../stats/testdata/refs_small.json")
	if err != nil {
		t.Fatal(err)
	}
	var r smallRefs
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Cases) == 0 || r.Origin == "" {
		t.Fatal("refs_small.json has no cases or no origin")
	}
	return r
}

// TestSmallSamplesAreReported submits n = 5, 10, 25 and 40 respondents per
// group (x = 0, x = n and values between) through the public API on both
// databases and reads every lift back from the report: numbers at every
// sample size, marked low_sample, with Fisher's exact test deciding
// significance, equal to scipy's and statsmodels' values.
func TestSmallSamplesAreReported(t *testing.T) {
	refs := readSmallRefs(t)
	byN := map[int64][]int{}
	for i, c := range refs.Cases {
		byN[c.N] = append(byN[c.N], i)
	}
	forEachDB(t, func(t *testing.T, app *testApp) {
		for _, n := range []int64{5, 10, 25, 40} {
			cases := byN[n]
			// One multi-choice option per case: option k is chosen by the
			// first x_exposed exposed and x_control control respondents.
			var options []map[string]any
			for k := range cases {
				options = append(options, map[string]any{"key": fmt.Sprintf("o%d", k), "text": map[string]string{"ru": "В", "en": "O"}, "positive": k == 0})
			}
			st := app.launched(func(b map[string]any) {
				b["control_share"] = 0.5
				b["questions"] = []map[string]any{{"key": "brands", "type": "multi_choice", "metric": "awareness", "required": false,
					"text": map[string]string{"ru": "Какие знаете?", "en": "Which do you know?"}, "options": options}}
			})
			for _, g := range []string{"exposed", "control"} {
				resp := make([]map[string]any, n)
				for i := range resp {
					resp[i] = map[string]any{"rid": fmt.Sprintf("%s-%d", g, i), "group": g}
				}
				for i, l := range app.links(st, resp...) {
					chosen := []string{}
					for k, ci := range cases {
						x := refs.Cases[ci].XExposed
						if g == "control" {
							x = refs.Cases[ci].XControl
						}
						if int64(i) < x {
							chosen = append(chosen, fmt.Sprintf("o%d", k))
						}
					}
					answers := map[string]any{}
					if len(chosen) > 0 {
						answers["brands"] = chosen
					} else {
						answers["brands"] = []string{}
					}
					app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token, "answers": answers}).status(http.StatusCreated)
				}
			}
			var r reportJSON
			app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
			if r.Health.EnoughData || len(r.Health.LowSample) != len(cases) {
				t.Errorf("n=%d: health %+v", n, r.Health)
			}
			for k, ci := range cases {
				c := refs.Cases[ci]
				name := fmt.Sprintf("n=%d x_e=%d x_c=%d", n, c.XExposed, c.XControl)
				m := optionMetric(r, "brands", fmt.Sprintf("o%d", k))
				if m == nil || m["type"] != "lift" {
					t.Errorf("%s: metric %v", name, m)
					continue
				}
				if m["low_sample"] != true || m["significant_by"] != "fisher_exact" || m["notes"] == nil {
					t.Errorf("%s: low_sample %v significant_by %v notes %v", name, m["low_sample"], m["significant_by"], m["notes"])
				}
				near(t, name+" p_value_fisher", m["p_value_fisher"], c.PValueFisher)
				near(t, name+" abs_lift_ci", m["abs_lift_ci"], c.DiffCINewcombe90...)
				near(t, name+" exposed.ci", m["exposed"].(map[string]any)["ci"], c.ExposedWilson90...)
				near(t, name+" control.ci", m["control"].(map[string]any)["ci"], c.ControlWilson90...)
				if c.PValue != nil {
					near(t, name+" p_value", m["p_value"], *c.PValue)
				} else if reasons, _ := m["reasons"].(map[string]any); m["p_value"] != 1.0 || m["notes"] == "" {
					t.Errorf("%s: undefined z-test shows p %v without a note (%v)", name, m["p_value"], reasons)
				}
				if sig := c.PValueFisher < 0.1; m["significant"] != sig {
					t.Errorf("%s: significant %v, Fisher p %v", name, m["significant"], c.PValueFisher)
				}
			}
		}
	})
}

// optionMetric finds the lift metric of one option of a question.
func optionMetric(r reportJSON, question, option string) map[string]any {
	for _, m := range r.Metrics {
		if m["question"] == question && m["option"] == option {
			return m
		}
	}
	return nil
}

// near compares a JSON number or pair with reference values to 1e-9
// relative.
func near(t *testing.T, name string, got any, want ...float64) {
	t.Helper()
	var vals []float64
	switch g := got.(type) {
	case float64:
		vals = []float64{g}
	case []any:
		for _, v := range g {
			f, _ := v.(float64)
			vals = append(vals, f)
		}
	}
	if len(vals) != len(want) {
		t.Errorf("%s: got %v, want %v", name, got, want)
		return
	}
	for i := range want {
		if math.Abs(vals[i]-want[i]) > 1e-9*math.Max(1, math.Abs(want[i])) {
			t.Errorf("%s: got %v, want %v", name, got, want)
			return
		}
	}
}
