package api

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/chromedp"
)

// TestDashCommentsBrowser filters a study's comments in Chromium, in both
// languages at 360 and 1280 px: picking "detractor" and sending the form
// leaves the detractors' comments only, nothing sticks out sideways, and
// each view is a screenshot (BRANDLIFT_SHOTS).
func TestDashCommentsBrowser(t *testing.T) {
	b := newBrowser(t)
	a := b.as(t)
	st := a.launched(nil)
	for i, score := range []int{10, 2, 6, 8, 9, 0} {
		l := a.links(st, map[string]any{"rid": "r" + strconv.Itoa(i), "group": "exposed", "attrs": map[string]string{"plan": []string{"pro", "free"}[i%2]}})
		a.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l[0].Token,
			"answers": map[string]any{"recall": "yes", "nps": score, "csat": 3, "why": "Комментарий номер " + strconv.Itoa(i) + ": поддержка отвечает долго, а тарифы непонятные"}}).status(http.StatusCreated)
	}
	for _, lang := range []string{"ru", "en"} {
		for _, width := range []int64{1280, 360} {
			suffix := "-" + lang + "-" + strconv.FormatInt(width, 10)
			ctx := b.tab(t, true)
			b.signInBrowser(t, ctx, survey.RoleAnalyst, lang)
			if width == 360 {
				cdpDo(t, ctx, "phone", phone(360))
			} else {
				cdpDo(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900))
			}
			if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+st.ID+"/text/why"); status != http.StatusOK {
				t.Fatalf("comments: %d", status)
			}
			if n := cdpEval[int](t, ctx, `document.querySelectorAll("[data-answer]").length`); n != 6 {
				t.Errorf("%s: %d comments, want 6", lang, n)
			}
			cdpDo(t, ctx, "pick detractors", chromedp.SetValue("#text-nps", "detractor"))
			if status := cdpSubmit(t, ctx, chromedp.Click(`form.filters button[type=submit]`)); status != http.StatusOK {
				t.Fatalf("filter: %d", status)
			}
			noProblems(t, ctx)
			if n := cdpEval[int](t, ctx, `document.querySelectorAll("[data-answer][data-category=detractor]").length + 100*document.querySelectorAll("[data-answer]:not([data-category=detractor])").length`); n != 3 {
				t.Errorf("%s: after the filter %d (detractors + 100 × others), want 3", lang, n)
			}
			if got := cdpEval[string](t, ctx, `document.querySelector("[data-export]").textContent`); got != frontend.T(lang, "rs_text_export") {
				t.Errorf("%s: export link %q", lang, got)
			}
			if over := cdpEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("the comments at %d px (%s) are %d px too wide: %v", width, lang, over, cdpEval[[]string](t, ctx, sticksOut))
			}
			b.shot(t, ctx, "comments"+suffix)
		}
	}
}
