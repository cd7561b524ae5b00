package api

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
)

// planTableRow matches a row of the planner page's tables: label, the
// two-sided count, the one-sided count.
var planTableRow = regexp.MustCompile(`<tr><th scope="row">([^<]+)</th><td class="num"[^>]*>([^<]+)</td><td class="num"[^>]*>([^<]+)</td></tr>`)

// planTables reads the planner page's tables by their data-plan name.
func planTables(t *testing.T, body string) map[string][][]string {
	t.Helper()
	out := map[string][][]string{}
	for _, name := range []string{"completes", "invitations"} {
		start := strings.Index(body, `data-plan="`+name+`"`)
		if start < 0 {
			continue
		}
		end := strings.Index(body[start:], "</table>")
		for _, m := range planTableRow.FindAllStringSubmatch(body[start:start+end], -1) {
			out[name] = append(out[name], []string{html.UnescapeString(m[1]), html.UnescapeString(m[2]), html.UnescapeString(m[3])})
		}
	}
	return out
}

// TestDashPlanPage fills the planner page as a marketer would, in percent
// and points, and finds the API's numbers for the same plan in its tables;
// bad values are named next to their inputs and nothing is calculated.
func TestDashPlanPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		for _, lang := range []string{"ru", "en"} {
			pc := app.signIn(survey.RoleMarketer, lang)
			empty := pc.page("/dashboard/plan")
			if !strings.Contains(empty, `id="pl-baseline" name="baseline" value="20"`) || strings.Contains(empty, `id="plan"`) {
				t.Errorf("%s: the empty planner has no default baseline or already a plan", lang)
			}
			if !strings.Contains(empty, `href="/dashboard/plan" aria-current="page"`) {
				t.Errorf("%s: the planner is not the current page in the navigation", lang)
			}

			var api planReply
			app.do("POST", "/api/v1/plan", survey.RoleMarketer, map[string]any{"baseline_rate": 0.2, "lift": 0.03, "control_share": 0.3,
				"cells": 2, "response_rate": 0.05, "reach": 0.8, "completes": map[string]any{"control": 400, "per_cell": 300}}).
				status(http.StatusOK).decode(&api)
			q := url.Values{"baseline": {"20"}, "lift": {"3"}, "confidence": {"90"}, "power": {"80"}, "control": {"30"}, "cells": {"2"},
				"response": {"5"}, "reach": {"80"}, "n_control": {"400"}, "n_cell": {"300"}}
			if lang == "ru" {
				q.Set("lift", "3,0") // a Russian decimal comma
			}
			body := pc.page("/dashboard/plan?" + q.Encode())
			tables := planTables(t, body)
			n := func(x int64) string { return frontend.Int(lang, x) }
			want := map[string][][]string{
				"completes": {
					{frontend.T(lang, "pl_row_control"), n(api.TwoSided.Control), n(api.OneSided.Control)},
					{frontend.T(lang, "pl_row_cell"), n(api.TwoSided.PerCell), n(api.OneSided.PerCell)},
					{frontend.T(lang, "pl_row_total"), n(api.TwoSided.Total), n(api.OneSided.Total)}},
				"invitations": {
					{frontend.T(lang, "pl_row_control"), n(api.TwoSided.Invitations.Control), n(api.OneSided.Invitations.Control)},
					{frontend.T(lang, "pl_row_cell"), n(api.TwoSided.Invitations.PerCell), n(api.OneSided.Invitations.PerCell)},
					{frontend.T(lang, "pl_row_total"), n(api.TwoSided.Invitations.Total), n(api.OneSided.Invitations.Total)}},
			}
			for name, rows := range want {
				if got := tables[name]; strings.Join(flat(got), "|") != strings.Join(flat(rows), "|") {
					t.Errorf("%s: the %s table is %q, want %q (the API's)", lang, name, got, rows)
				}
			}
			if api.TwoSided.Control != 2737 || api.TwoSided.PerCell != 3193 {
				t.Errorf("the API's plan moved: %+v", api.TwoSided)
			}
			mde := strings.TrimPrefix(frontend.PP(lang, *api.MDE.TwoSided), "+")
			if !strings.Contains(body, mde) || !strings.Contains(body, `data-plan="mde"`) {
				t.Errorf("%s: the page does not give the API's detectable lift %s", lang, mde)
			}
			if !strings.Contains(body, `"baseline_rate":0.2,"lift":0.03`) {
				t.Errorf("%s: the page's API body is not the plan's request", lang)
			}

			bad := pc.get("/dashboard/plan?baseline=abc&lift=0&cells=9&response=0&n_control=100")
			if bad.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s: bad plan values: %d", lang, bad.Code)
			}
			text := html.UnescapeString(bad.Body.String())
			for id, key := range map[string]string{"pl-baseline": "pl_err_number", "pl-cells": "pl_err_cells",
				"pl-response": "pl_err_response", "pl-n_cell": "pl_err_pair"} {
				if !strings.Contains(text, `id="`+id+`"`) || !strings.Contains(text, `<p class="field-error" id="`+id+`-err">`+frontend.T(lang, key)+`</p>`) {
					t.Errorf("%s: %s does not say %q", lang, id, frontend.T(lang, key))
				}
			}
			if strings.Contains(text, `id="plan"`) {
				t.Errorf("%s: a plan was calculated from bad values", lang)
			}
			if zero := html.UnescapeString(pc.get("/dashboard/plan?baseline=20&lift=0").Body.String()); !strings.Contains(zero, frontend.T(lang, "pl_err_lift")) {
				t.Errorf("%s: a zero lift is not named", lang)
			}
		}
		if res := app.signIn(survey.RoleAnalyst, "ru").get("/dashboard/plan"); res.Code != http.StatusForbidden {
			t.Errorf("an analyst opened the planner: %d", res.Code)
		}
	})
}

func flat(rows [][]string) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r...)
	}
	return out
}

// TestDashProjection reads a live study's projected fill on its results
// page: the quota, the date the report projects in the study's time zone,
// and the lift detectable at the quota, as the report JSON says.
func TestDashProjection(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["target_per_group"] = 500 })
		answerArm(t, app, st, "e", map[string]any{"group": "exposed"}, 12, 6)
		answerArm(t, app, st, "c", map[string]any{"group": "control"}, 8, 2)
		var rep struct {
			Health struct {
				Projection *struct {
					Target      int64
					Reached     bool
					Date        *time.Time
					MDEAtTarget *float64 `json:"mde_at_target"`
				}
			}
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&rep)
		p := rep.Health.Projection
		if p == nil || p.Reached || p.Date == nil || p.MDEAtTarget == nil || p.Target != 500 {
			t.Fatalf("the report's projection: %+v", p)
		}
		local := p.Date.In(st.Location())
		day := time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, time.UTC)
		for _, lang := range []string{"ru", "en"} {
			body := app.signIn(survey.RoleAnalyst, lang).page("/dashboard/studies/" + st.ID + "/results")
			i := strings.Index(body, "<p data-projection>")
			if i < 0 {
				t.Fatalf("%s: the results page has no projection", lang)
			}
			line := body[i : i+strings.Index(body[i:], "</p>")]
			for _, want := range []string{frontend.Int(lang, 500), frontend.Date(lang, day), frontend.T(lang, "group_control"),
				strings.TrimPrefix(frontend.PP(lang, *p.MDEAtTarget), "+")} {
				if !strings.Contains(line, want) {
					t.Errorf("%s: the projection %q lacks %q", lang, line, want)
				}
			}
		}
	})
}
