package api

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/chromedp"
)

// TestDashJourney is a marketer's first study, start to first answer, in
// one browser: a study from the full template in Russian, a mistake shown
// next to its field and fixed, the launch behind its confirmation, links
// from a pasted list, one link answered as a respondent would on the
// survey page, and the count moving on the study page meanwhile.
func TestDashJourney(t *testing.T) {
	b := newBrowser(t)
	a := b.as(t)
	ctx := b.tab(t, true)
	b.signInBrowser(t, ctx, survey.RoleMarketer, "ru")

	cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/new")
	cdpDo(t, ctx, "name the brand", chromedp.SendKeys("#c-brand", "Acme"))
	cdpSubmit(t, ctx, chromedp.Click(`button[name=template][value=full6]`))
	cdpWait(t, ctx, "the builder from the full template", `!!document.querySelector("#q-5-key")`)
	cdpDo(t, ctx, "name the study", chromedp.SendKeys("#f-name", "Путь маркетолога"))
	cdpEval[string](t, ctx, `document.querySelector("#q-0-text-ru").value = ""`)
	if status := cdpSubmit(t, ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusUnprocessableEntity {
		t.Fatalf("save without a question's text: %d, want 422", status)
	}
	cdpWait(t, ctx, "the error next to the field", `document.querySelector("#q-0-text-ru").getAttribute("aria-invalid") === "true" && !!document.querySelector("#q-0-text-ru-err")`)
	cdpDo(t, ctx, "fix it", chromedp.SendKeys("#q-0-text-ru", "Какие бренды кофе вы знаете?"))
	if status := cdpSubmit(t, ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusOK {
		t.Fatalf("save: %d", status)
	}
	cdpWait(t, ctx, "the study page", `/^\/dashboard\/studies\/[^/]+$/.test(location.pathname)`)
	id := regexp.MustCompile(`[^/]+$`).FindString(cdpEval[string](t, ctx, `location.pathname`))
	noProblems(t, ctx)

	cdpDo(t, ctx, "ask to launch", chromedp.Click(`a.button.primary[href$="/confirm/launch"]`))
	cdpWait(t, ctx, "the confirmation", `location.pathname.endsWith("/confirm/launch") && document.body.innerText.includes("Вопросы после запуска менять нельзя")`)
	cdpDo(t, ctx, "confirm", chromedp.Click(`form button.primary`))
	cdpWait(t, ctx, "live", `document.readyState === "complete" && !!document.querySelector(".badge.live") && !!document.querySelector(".notice")`)
	if st := apiStudy(a, id); st.Status != survey.StatusLive || len(st.Questions) != 6 {
		t.Fatalf("after the launch: %s with %d questions", st.Status, len(st.Questions))
	}

	cdpDo(t, ctx, "open the integration panel", chromedp.Click(`nav.tabs a[href$="/integration"]`))
	cdpWait(t, ctx, "the links form", `!!document.querySelector("#rids")`)
	cdpDo(t, ctx, "paste the respondents", chromedp.SendKeys("#rids", "journey-1\njourney-2"), chromedp.SetValue("#group", "exposed"))
	// The answer is a download, out of a headless browser's reach: the
	// page posts the same form with fetch and reads what would be saved.
	csv, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const f = document.querySelector("form.links-form");
		const r = await fetch(f.action, {method: "POST", body: new FormData(f), credentials: "same-origin"});
		return await r.text();
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("post the links form: %v", err)
	}
	link := regexp.MustCompile(`journey-1,exposed,(\S+)`).FindStringSubmatch(csv)
	if link == nil {
		t.Fatalf("no link for journey-1 in %q", csv)
	}
	surveyURL := strings.Replace(link[1], b.app.srv.cfg.BaseURL, b.srv.URL, 1)

	respondent := b.tab(t, false) // the plain form, as a phone without the script sends it
	if status := cdpOpen(t, respondent, surveyURL); status != http.StatusOK {
		t.Fatalf("the link from the CSV: %d", status)
	}
	// A person reads before answering: faster than the speeder floor the
	// response would be flagged and left out of the count (survey.QualityFlags).
	time.Sleep(time.Duration(len(apiStudy(a, id).Questions))*survey.SpeederFloorPerQuestion + 500*time.Millisecond)

	// The marketer's tab has been open for a while: a fresh one (a tab has 20 s).
	ctx = b.tab(t, true)
	b.signInBrowser(t, ctx, survey.RoleMarketer, "ru")
	cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+id)
	cdpWait(t, ctx, "the study page, nothing yet", `document.querySelector('[data-field="n_exposed"]').textContent === "0"`)
	cdpEval[bool](t, respondent, `(() => {
		const groups = new Set([...document.querySelectorAll("input[type=radio]")].map(i => i.name));
		groups.forEach(n => document.querySelector('input[name="' + n + '"]').checked = true);
		const box = document.querySelector("input[type=checkbox]:not([data-exclusive])");
		if (box) box.checked = true;
		document.querySelectorAll("textarea").forEach(t => t.value = "Acme и другие");
		return true;
	})()`)
	if status := cdpSubmit(t, respondent, chromedp.Click("#send")); status != http.StatusOK {
		t.Fatalf("the respondent's answers: %d", status)
	}
	cdpWait(t, respondent, "thanks", `location.pathname.endsWith("/thanks")`)
	cdpWait(t, ctx, "the count moves on the study page", `document.querySelector('[data-field="n_exposed"]').textContent === "1"`)
	noProblems(t, ctx)
}
