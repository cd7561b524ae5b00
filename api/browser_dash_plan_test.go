package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/chromedp"
)

// TestDashPlanBrowser fills the planner in Chromium as a marketer would
// (typing percent and points, pressing the button), in both languages at
// 360 and 1280 px: the plan's tables show the API's counts, a bad value is
// named next to its input, nothing sticks out sideways, and each view is a
// screenshot (BRANDLIFT_SHOTS). It also shoots a live study's projected
// fill on its results page.
func TestDashPlanBrowser(t *testing.T) {
	b := newBrowser(t)
	a := b.as(t)
	var api planReply
	a.do("POST", "/api/v1/plan", survey.RoleMarketer, map[string]any{"baseline_rate": 0.2, "lift": 0.03, "control_share": 0.3,
		"cells": 2, "response_rate": 0.05}).status(http.StatusOK).decode(&api)
	live := a.launched(func(body map[string]any) { body["target_per_group"] = 500 })
	answerArm(t, a, live, "e", map[string]any{"group": "exposed"}, 12, 6)
	answerArm(t, a, live, "c", map[string]any{"group": "control"}, 8, 2)

	for _, lang := range []string{"ru", "en"} {
		for _, width := range []int64{1280, 360} {
			suffix := "-" + lang + "-" + strconv.FormatInt(width, 10)
			ctx := b.tab(t, true)
			b.signInBrowser(t, ctx, survey.RoleMarketer, lang)
			if width == 360 {
				cdpDo(t, ctx, "phone", phone(360))
			} else {
				cdpDo(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900))
			}
			p := &pageTab{t: t, b: b, ctx: ctx}
			wide := func(what string) {
				noProblems(t, ctx)
				if over := cdpEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
					t.Errorf("%s at %d px (%s) is %d px too wide: %v", what, width, lang, over, cdpEval[[]string](t, ctx, sticksOut))
				}
			}
			if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard"); status != http.StatusOK {
				t.Fatalf("dashboard: %d", status)
			}
			// The planner is one click from the studies list.
			if status := cdpSubmit(t, ctx, chromedp.Click(`a[href="/dashboard/plan"]`)); status != http.StatusOK {
				t.Fatalf("planner: %d", status)
			}
			wide("the empty planner")
			b.shot(t, ctx, "plan-empty"+suffix)
			lift := "3"
			if lang == "ru" {
				lift = "3,0"
			}
			cdpDo(t, ctx, "fill", chromedp.SetValue("#pl-lift", lift),
				chromedp.SetValue("#pl-control", "30"), chromedp.SetValue("#pl-cells", "2"),
				chromedp.SendKeys("#pl-response", "5"))
			if status := cdpSubmit(t, ctx, chromedp.Click(`.pl-form button[type=submit]`)); status != http.StatusOK {
				t.Fatalf("calculate: %d", status)
			}
			wide("the plan")
			p.cellIs(`table[data-plan="completes"] tbody tr:nth-child(1) td:nth-of-type(1)`, frontend.Int(lang, api.TwoSided.Control))
			p.cellIs(`table[data-plan="completes"] tbody tr:nth-child(2) td:nth-of-type(1)`, frontend.Int(lang, api.TwoSided.PerCell))
			p.cellIs(`table[data-plan="completes"] tbody tr:nth-child(3) td:nth-of-type(2)`, frontend.Int(lang, api.OneSided.Total))
			p.cellIs(`table[data-plan="invitations"] tbody tr:nth-child(3) td:nth-of-type(1)`, frontend.Int(lang, api.TwoSided.Invitations.Total))
			b.shot(t, ctx, "plan-result"+suffix)

			cdpDo(t, ctx, "bad", chromedp.SetValue("#pl-baseline", "abc"), chromedp.SetValue("#pl-cells", "12"))
			if status := cdpSubmit(t, ctx, chromedp.Click(`.pl-form button[type=submit]`)); status != http.StatusUnprocessableEntity {
				t.Fatalf("bad values: %d", status)
			}
			wide("the planner's errors")
			if got := p.text("#pl-cells-err"); got != frontend.T(lang, "pl_err_cells") {
				t.Errorf("%s: the cells error is %q", lang, got)
			}
			if got := cdpEval[string](t, ctx, `document.querySelector("#pl-baseline").getAttribute("aria-describedby")`); !strings.Contains(got, "pl-baseline-err") {
				t.Errorf("%s: the baseline input is not described by its error: %q", lang, got)
			}
			b.shot(t, ctx, "plan-errors"+suffix)

			if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+live.ID+"/results"); status != http.StatusOK {
				t.Fatalf("results: %d", status)
			}
			wide("the results with a projection")
			if !strings.Contains(p.text("[data-projection]"), frontend.Int(lang, 500)) {
				t.Errorf("%s: the projection does not name the quota: %q", lang, p.text("[data-projection]"))
			}
			b.shotOf(t, ctx, `section[aria-labelledby="health-h"]`, "plan-projection"+suffix)
		}
	}
}
