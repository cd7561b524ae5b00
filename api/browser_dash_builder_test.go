package api

import (
	"net/http"
	"regexp"
	"strconv"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/chromedp"
)

// TestDashBuilderBrowser drives the study builder in Chromium: a marketer
// reading Russian picks the full template, saves with a mistake, sees it
// next to its field, fixes it and lands on the study page; then the
// builder's pages are photographed at 1280 and 360 px in both languages.
func TestDashBuilderBrowser(t *testing.T) {
	b := newBrowser(t)
	t.Run("FromTemplateFixAndSave", b.testBuilderFlow)
	t.Run("Screens", b.testBuilderScreens)
	t.Run("AnalysisSettings", b.testBuilderAnalysis)
	t.Logf("screenshots in %s", b.shots)
}

// testBuilderAnalysis fills the analysis settings of issue 13 (a mistake
// in the time zone first) and takes their fieldset's screenshots.
func (b *browser) testBuilderAnalysis(t *testing.T) {
	a := b.as(t)
	for _, lang := range []string{"ru", "en"} {
		for _, width := range []int64{1280, 360} {
			ctx := b.tab(t, true)
			b.signInBrowser(t, ctx, survey.RoleMarketer, lang)
			if width == 360 {
				cdpDo(t, ctx, "phone", phone(360))
			} else {
				cdpDo(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900))
			}
			cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/new?template=yandex3&brand=Acme")
			cdpDo(t, ctx, "fill the analysis settings", chromedp.SendKeys("#f-name", "Analysis "+lang),
				chromedp.SendKeys("#f-min_per_group", "40"), chromedp.SetValue("#f-significance", "sequential"),
				chromedp.SendKeys("#f-timezone", "Europe/Moskva"), chromedp.Click("#f-planned_split"))
			if status := cdpSubmit(t, ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusUnprocessableEntity {
				t.Fatalf("an unknown time zone: %d, want 422", status)
			}
			cdpWait(t, ctx, "the time zone's error", `document.querySelector("#f-timezone").getAttribute("aria-invalid") === "true" && !!document.querySelector("#f-timezone-err")`)
			noProblems(t, ctx)
			if over := cdpEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("the builder at %d px (%s) is %d px too wide", width, lang, over)
			}
			name := "builder-analysis-" + lang + "-" + strconv.FormatInt(width, 10)
			b.shotOf(t, ctx, `fieldset:has(#f-min_per_group)`, name)
			cdpEval[string](t, ctx, `document.querySelector("#f-timezone").value = "Europe/Moscow"`)
			if status := cdpSubmit(t, ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusOK {
				t.Fatalf("save: %d", status)
			}
			cdpWait(t, ctx, "the study page", `/^\/dashboard\/studies\/[^/]+$/.test(location.pathname)`)
			id := regexp.MustCompile(`[^/]+$`).FindString(cdpEval[string](t, ctx, `location.pathname`))
			if st := apiStudy(a, id); st.MinPerGroup != 40 || st.Significance != "sequential" || st.Timezone != "Europe/Moscow" || !st.PlannedSplit {
				t.Errorf("saved min %d, %q, %q, planned split %v", st.MinPerGroup, st.Significance, st.Timezone, st.PlannedSplit)
			}
		}
	}
}

func (b *browser) testBuilderFlow(t *testing.T) {
	a := b.as(t)
	ctx := b.tab(t, true)
	b.signInBrowser(t, ctx, survey.RoleMarketer, "ru")
	if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/new"); status != http.StatusOK {
		t.Fatalf("new study page: %d", status)
	}
	cdpDo(t, ctx, "name the brand", chromedp.SendKeys("#c-brand", "Acme"))
	if status := cdpSubmit(t, ctx, chromedp.Click(`button[name=template][value=full6]`)); status != http.StatusOK {
		t.Fatalf("pick the full template: %d", status)
	}
	cdpWait(t, ctx, "the builder with six questions", `!!document.querySelector("#q-5-key") && !document.querySelector("#q-6-key")`)
	if got := cdpEval[string](t, ctx, `document.querySelector("#q-1-text-ru").value`); got != "Видели ли вы в последние две недели рекламу бренда Acme?" {
		t.Errorf("ad recall text %q", got)
	}
	noProblems(t, ctx)
	// A mistake: the study's name is there, but a question lost its Russian text.
	cdpDo(t, ctx, "fill the name", chromedp.SendKeys("#f-name", "Весенняя кампания"))
	cdpEval[string](t, ctx, `document.querySelector("#q-3-text-ru").value = ""`)
	if status := cdpSubmit(t, ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusUnprocessableEntity {
		t.Fatalf("save with a mistake: %d, want 422", status)
	}
	cdpWait(t, ctx, "the error next to its field", `document.querySelector("#q-3-text-ru").getAttribute("aria-invalid") === "true" &&
		document.querySelector("#q-3-text-ru").getAttribute("aria-describedby") === "q-3-text-ru-err" &&
		document.querySelector("#q-3-text-ru-err").textContent === "Нет текста на этом языке (ru)."`)
	if got := cdpEval[string](t, ctx, `document.querySelector("#f-name").value`); got != "Весенняя кампания" {
		t.Errorf("the name was lost: %q", got)
	}
	// The summary's link takes the keyboard to the field.
	cdpDo(t, ctx, "follow the summary's link", chromedp.Click(`.bld-summary a[href="#q-3-text-ru"]`))
	cdpWait(t, ctx, "the field focused", `document.activeElement && document.activeElement.id === "q-3-text-ru"`)
	noProblems(t, ctx)
	cdpDo(t, ctx, "fix the text", chromedp.SendKeys("#q-3-text-ru", "Какие из этих брендов вы знаете?"))
	if status := cdpSubmit(t, ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusOK {
		t.Fatalf("save: %d", status)
	}
	cdpWait(t, ctx, "the study page", `/^\/dashboard\/studies\/[^/]+$/.test(location.pathname) && !!document.querySelector(".notice")`)
	path := cdpEval[string](t, ctx, `location.pathname`)
	id := regexp.MustCompile(`[^/]+$`).FindString(path)
	st := apiStudy(a, id)
	if st.Name != "Весенняя кампания" || len(st.Questions) != 6 || st.Questions[3].Text["ru"] != "Какие из этих брендов вы знаете?" {
		t.Errorf("stored %q with %d questions", st.Name, len(st.Questions))
	}
	noProblems(t, ctx)
}

// testBuilderScreens photographs the chooser, the builder from a template,
// the builder with errors, the edit page of a live study and the preview.
func (b *browser) testBuilderScreens(t *testing.T) {
	live, _ := b.launch(t, exampleStudy(t), 1)
	for _, lang := range []string{"ru", "en"} {
		ctx := b.tab(t, true)
		b.signInBrowser(t, ctx, survey.RoleMarketer, lang)
		for _, width := range []int64{1280, 360} {
			if width == 360 {
				cdpDo(t, ctx, "phone", phone(360))
			}
			suffix := "-" + lang + "-" + itoa(int(width))
			shoot := func(name, path string) {
				t.Helper()
				if status := cdpOpen(t, ctx, b.srv.URL+path); status != http.StatusOK {
					t.Fatalf("%s: %d", path, status)
				}
				noProblems(t, ctx)
				b.shot(t, ctx, "builder-"+name+suffix)
			}
			shoot("chooser", "/dashboard/studies/new")
			shoot("new-full6", "/dashboard/studies/new?template=full6&brand=Acme")
			cdpDo(t, ctx, "make mistakes", chromedp.SetValue("#f-control_share", "2"), chromedp.SetValue("#q-2-key", "Bad Key"))
			if status := cdpSubmit(t, ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusUnprocessableEntity {
				t.Fatalf("save with mistakes: %d", status)
			}
			noProblems(t, ctx)
			b.shot(t, ctx, "builder-errors"+suffix)
			shoot("edit-live", "/dashboard/studies/"+live.ID+"/edit")
			for _, l := range live.Locales {
				shoot("preview-"+l, "/dashboard/studies/"+live.ID+"/preview?lang="+l)
			}
		}
	}
}
