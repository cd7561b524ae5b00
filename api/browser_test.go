package api

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestBrowser drives the respondent page in real headless Chromium: with
// the keyboard only, without JavaScript, with a missing answer, with a
// consent step, and on a 360 px wide phone screen. It skips itself when
// Chromium is missing; .ci/browser installs it.
func TestBrowser(t *testing.T) {
	start := time.Now()
	b := newBrowser(t)
	t.Run("Keyboard", b.testKeyboard)
	t.Run("NoScript", b.testNoScript)
	t.Run("RequiredError", b.testRequiredError)
	t.Run("Consent", b.testConsent)
	t.Run("Narrow", b.testNarrow)
	t.Run("EnglishDesktop", b.testEnglishDesktop)
	t.Logf("browser tests took %v; screenshots in %s", time.Since(start).Round(10*time.Millisecond), b.shots)
}

// testKeyboard answers every question of the example study with keys
// alone, submits with Enter, and sees the thanks page; the same link then
// says the survey is already answered.
func (b *browser) testKeyboard(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 3)
	ctx := b.tab(t, true)
	u := b.pageURL(st, tokens[0], "ru")
	if status := cdpOpen(t, ctx, u); status != http.StatusOK {
		t.Fatalf("survey page status %d", status)
	}
	cdpDo(t, ctx, "wait for the script", chromedp.WaitReady(chromedp.CSS("html.js")))
	if got := visibleSteps(t, ctx); got != "q-recall" {
		t.Fatalf("visible steps %q, want only the first question", got)
	}

	// Single choice: the digit 2 picks the second option as shown.
	second := cdpEval[string](t, ctx, `document.querySelectorAll("#q-recall input")[1].value`)
	cdpDo(t, ctx, "answer recall", chromedp.KeyEvent("2"))
	if got := checkedValues(t, ctx, "q.recall"); got != second {
		t.Fatalf("recall %q after typing 2, want %q", got, second)
	}
	cdpDo(t, ctx, "next", pressEnter)
	if got := visibleSteps(t, ctx); got != "q-nps" {
		t.Fatalf("after Enter visible steps %q, want q-nps", got)
	}
	if p := cdpEval[float64](t, ctx, `document.getElementById("progress").value`); p != 0.5 {
		t.Errorf("progress %v on question 2 of 4, want 0.5", p)
	}

	// NPS: "1" then "0" typed quickly is 10.
	cdpDo(t, ctx, "answer nps", chromedp.KeyEvent("10"))
	if got := checkedValues(t, ctx, "q.nps"); got != "10" {
		t.Fatalf("nps %q after typing 10", got)
	}
	cdpDo(t, ctx, "next", pressEnter)

	// Rating: the digit 3, then the right arrow moves to 4.
	cdpDo(t, ctx, "answer csat", chromedp.KeyEvent("3"), chromedp.KeyEvent(kb.ArrowRight))
	if got := checkedValues(t, ctx, "q.csat"); got != "4" {
		t.Fatalf("csat %q after 3 and ArrowRight, want 4", got)
	}
	cdpDo(t, ctx, "next", pressEnter)

	// Text: the focus is on the question, not in the optional text box
	// (on a phone that would open the keyboard). In the box, Enter is a
	// new line and submits nothing; Ctrl+Enter goes on, here: submits.
	if got := cdpEval[string](t, ctx, `document.activeElement.id`); got != "q-why-text" {
		t.Fatalf("focus on %q on the text question, want its heading", got)
	}
	cdpDo(t, ctx, "type why", chromedp.Click(chromedp.CSS(`textarea[name="q.why"]`)),
		chromedp.KeyEvent("Реклама"), chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent("понятная"))
	if got := cdpEval[string](t, ctx, `document.querySelector("textarea").value`); got != "Реклама\nпонятная" {
		t.Fatalf("textarea %q after Enter, want two lines", got)
	}
	if got := visibleSteps(t, ctx); got != "q-why" || len(b.responses(t, st.ID)) != 0 {
		t.Fatalf("Enter in the text box left the page or stored something: %q", got)
	}
	noProblems(t, ctx)
	cdpSubmitJS(t, ctx, pressCtrlEnter)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if !strings.Contains(loc, "/s/"+st.PublicKey+"/thanks?lang=ru") {
		t.Errorf("landed on %s", loc)
	}
	if h := cdpEval[string](t, ctx, `document.querySelector("h1").textContent`); h != frontend.T("ru", "msg_thanks_title") {
		t.Errorf("thanks heading %q", h)
	}
	b.shot(t, ctx, "thanks-ru")

	got := b.responses(t, st.ID)
	if len(got) != 1 {
		t.Fatalf("%d responses stored, want 1", len(got))
	}
	want := map[string]any{"recall": second, "nps": 10.0, "csat": 4.0, "why": "Реклама\nпонятная"}
	for k, v := range want {
		if got[0].Answers[k] != v {
			t.Errorf("stored %s = %#v, want %#v (all: %v)", k, got[0].Answers[k], v, got[0].Answers)
		}
	}

	if status := cdpOpen(t, ctx, u); status != http.StatusConflict {
		t.Fatalf("second visit status %d, want 409", status)
	}
	if h := cdpEval[string](t, ctx, `document.querySelector("h1").textContent`); h != frontend.T("ru", "msg_already_answered_title") {
		t.Errorf("second visit heading %q", h)
	}
}

// testNoScript answers with JavaScript off: every question on one page,
// plain clicks, one submit button, a plain form post.
func (b *browser) testNoScript(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 3)
	ctx := b.tab(t, false)
	u := b.pageURL(st, tokens[1], "en")
	if status := cdpOpen(t, ctx, u); status != http.StatusOK {
		t.Fatalf("survey page status %d", status)
	}
	if got := visibleSteps(t, ctx); got != "q-recall,q-nps,q-csat,q-why" {
		t.Fatalf("visible steps %q, want every question", got)
	}
	if cdpEval[bool](t, ctx, `document.documentElement.classList.contains("js")`) {
		t.Fatal("the script ran with JavaScript disabled")
	}
	if n := cdpEval[int](t, ctx, `[...document.querySelectorAll("button")].filter(b => b.offsetParent !== null).length`); n != 1 {
		t.Fatalf("%d visible buttons, want the one submit button", n)
	}
	cdpDo(t, ctx, "answer",
		chromedp.Click(chromedp.CSS(`input[name="q.recall"][value="no"]`)),
		chromedp.Click(chromedp.CSS(`input[name="q.nps"][value="7"]`)),
		chromedp.Click(chromedp.CSS(`input[name="q.csat"][value="5"]`)),
		chromedp.Click(chromedp.CSS(`textarea[name="q.why"]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="q.why"]`), "Nice <b>ads</b>"),
	)
	if status := cdpSubmit(t, ctx, chromedp.Click(chromedp.ID("send"))); status != http.StatusOK {
		t.Fatalf("thanks page status %d", status)
	}
	cdpDo(t, ctx, "thanks page", chromedp.WaitVisible(chromedp.CSS(".msg-thanks")))
	if h := cdpEval[string](t, ctx, `document.querySelector("h1").textContent`); h != frontend.T("en", "msg_thanks_title") {
		t.Errorf("thanks heading %q", h)
	}
	got := b.responses(t, st.ID)
	if len(got) != 1 {
		t.Fatalf("%d responses stored, want 1", len(got))
	}
	want := map[string]any{"recall": "no", "nps": 7.0, "csat": 5.0, "why": "Nice <b>ads</b>"}
	for k, v := range want {
		if got[0].Answers[k] != v {
			t.Errorf("stored %s = %#v, want %#v", k, got[0].Answers[k], v)
		}
	}
}

// testRequiredError leaves a required question empty: the script keeps
// the respondent on it with a localized message; without the script the
// server answers 422 with the same message; nothing is stored.
func (b *browser) testRequiredError(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 2)
	msg := frontend.T("ru", "err_required")

	ctx := b.tab(t, true)
	cdpOpen(t, ctx, b.pageURL(st, tokens[0], "ru"))
	cdpDo(t, ctx, "wait for the script", chromedp.WaitReady(chromedp.CSS("html.js")))
	cdpDo(t, ctx, "next without an answer", chromedp.Click(chromedp.ID("next")))
	if got := visibleSteps(t, ctx); got != "q-recall" {
		t.Fatalf("visible steps %q after Next without an answer", got)
	}
	if got := cdpEval[string](t, ctx, `document.getElementById("q-recall-err").textContent`); got != msg {
		t.Fatalf("error %q, want %q", got, msg)
	}
	if got := cdpEval[string](t, ctx, `document.getElementById("q-recall").getAttribute("aria-describedby")`); got != "q-recall-err" {
		t.Errorf("aria-describedby %q", got)
	}
	cdpDo(t, ctx, "announced", chromedp.Poll[chromedp.Void](`document.getElementById("live").textContent === `+jsString(msg)))
	// The "!" badge is drawn, not read: its alternative text is empty.
	if c := cdpEval[string](t, ctx, `getComputedStyle(document.getElementById("q-recall-err"), "::before").content`); c != `"!" / ""` {
		t.Errorf("error badge content %s, want one with empty alternative text", c)
	}
	b.shot(t, ctx, "error-js-ru")
	cdpDo(t, ctx, "answer", chromedp.KeyEvent("1"))
	if n := cdpEval[int](t, ctx, `document.querySelectorAll("#q-recall-err").length`); n != 0 {
		t.Errorf("the error stays after answering")
	}

	ctx = b.tab(t, false)
	cdpOpen(t, ctx, b.pageURL(st, tokens[1], "ru"))
	cdpDo(t, ctx, "answer one", chromedp.Click(chromedp.CSS(`input[name="q.recall"][value="yes"]`)))
	if status := cdpSubmit(t, ctx, chromedp.Click(chromedp.ID("send"))); status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", status)
	}
	cdpDo(t, ctx, "summary", chromedp.WaitVisible(chromedp.ID("summary")))
	for _, key := range []string{"nps", "csat"} {
		if got := cdpEval[string](t, ctx, `document.getElementById("q-`+key+`-err").textContent`); got != msg {
			t.Errorf("%s error %q, want %q", key, got, msg)
		}
	}
	if n := cdpEval[int](t, ctx, `document.querySelectorAll("#q-why-err, #q-recall-err").length`); n != 0 {
		t.Errorf("errors on answered or optional questions")
	}
	if got := checkedValues(t, ctx, "q.recall"); got != "yes" {
		t.Errorf("the answer given is lost: %q", got)
	}
	b.shot(t, ctx, "error-nojs-ru")
	if got := b.responses(t, st.ID); len(got) != 0 {
		t.Fatalf("%d responses stored, want none", len(got))
	}
}

// testConsent: the consent step comes first and Next waits for its box;
// "none of these" unticks the other options and the other way round.
func (b *browser) testConsent(t *testing.T) {
	body := exampleStudy(t)
	body["consent"] = map[string]any{
		"ru": "Я даю согласие ООО «Акме» на обработку моих персональных данных (ответов на вопросы и идентификатора браузера) в целях маркетингового исследования. Согласие действует 1 год и может быть отозвано письмом на privacy@acme.example.",
		"en": "I consent to Acme LLC processing my personal data (answers and browser identifier) for marketing research. The consent is valid for 1 year and may be withdrawn by writing to privacy@acme.example.",
	}
	body["questions"] = []any{
		map[string]any{"key": "channels", "type": "multi_choice", "metric": "ad_recall",
			"text": map[string]any{"ru": "Где вы видели рекламу Acme?", "en": "Where have you seen Acme ads?"},
			"options": []any{
				map[string]any{"key": "tv", "text": map[string]any{"ru": "По телевизору", "en": "On TV"}, "positive": true},
				map[string]any{"key": "web", "text": map[string]any{"ru": "В интернете", "en": "Online"}, "positive": true},
				map[string]any{"key": "outdoor", "text": map[string]any{"ru": "На улице", "en": "Outdoors"}, "positive": true},
				map[string]any{"key": "none", "text": map[string]any{"ru": "Нигде не видел(а)", "en": "Nowhere"}, "exclusive": true},
			}},
		body["questions"].([]any)[0],
	}
	st, tokens := b.launch(t, body, 1)
	ctx := b.tab(t, true)
	cdpOpen(t, ctx, b.pageURL(st, tokens[0], "ru"))
	cdpDo(t, ctx, "wait for the script", chromedp.WaitReady(chromedp.CSS("html.js")))
	if got := visibleSteps(t, ctx); got != "consent" {
		t.Fatalf("visible steps %q, want the consent step first", got)
	}
	if got := checkedValues(t, ctx, "consent"); got != "" {
		t.Fatal("the consent box is ticked before the respondent ticks it")
	}
	b.shot(t, ctx, "consent-ru")
	cdpDo(t, ctx, "next without consent", chromedp.Click(chromedp.ID("next")))
	if got := visibleSteps(t, ctx); got != "consent" {
		t.Fatalf("Next left the consent step without consent: %q", got)
	}
	if got := cdpEval[string](t, ctx, `document.getElementById("consent-err").textContent`); got != frontend.T("ru", "err_consent") {
		t.Fatalf("consent error %q", got)
	}
	cdpDo(t, ctx, "consent", chromedp.Click(chromedp.CSS(`input[name="consent"]`)), chromedp.Click(chromedp.ID("next")))
	if got := visibleSteps(t, ctx); got != "q-channels" {
		t.Fatalf("after consent visible steps %q", got)
	}

	click := func(key string) {
		t.Helper()
		cdpDo(t, ctx, "tick "+key, chromedp.Click(chromedp.CSS(`input[name="q.channels"][value="`+key+`"]`)))
	}
	sorted := func() string {
		t.Helper()
		v := strings.Split(checkedValues(t, ctx, "q.channels"), ",")
		slices.Sort(v)
		return strings.Join(v, ",")
	}
	click("tv")
	click("web")
	if got := sorted(); got != "tv,web" {
		t.Fatalf("ticked %q, want tv,web", got)
	}
	click("none")
	if got := sorted(); got != "none" {
		t.Fatalf("after ticking none: %q", got)
	}
	click("web")
	if got := sorted(); got != "web" {
		t.Fatalf("after ticking web again: %q", got)
	}
	// The arrow keys move between checkboxes; the space bar ticks one.
	cdpDo(t, ctx, "arrow down", chromedp.KeyEvent(kb.ArrowDown))
	if got := cdpEval[string](t, ctx, `document.activeElement.value`); got != "outdoor" {
		t.Fatalf("ArrowDown from web went to %q, want outdoor", got)
	}
	cdpDo(t, ctx, "tick with space", chromedp.KeyEvent(" "))
	if got := sorted(); got != "outdoor,web" {
		t.Fatalf("after the space bar: %q", got)
	}
	// Back returns to the consent step, which keeps its tick.
	cdpDo(t, ctx, "back", chromedp.Click(chromedp.ID("back")))
	if got := visibleSteps(t, ctx); got != "consent" || checkedValues(t, ctx, "consent") != "yes" {
		t.Fatalf("Back shows %q", got)
	}
	cdpDo(t, ctx, "next", chromedp.Click(chromedp.ID("next")))
	noProblems(t, ctx)
	cdpDo(t, ctx, "next", pressEnter, chromedp.KeyEvent("1"))
	cdpSubmitJS(t, ctx, pressEnter)
	got := b.responses(t, st.ID)
	if len(got) != 1 || got[0].ConsentHash != survey.ConsentHash(body["consent"].(map[string]any)["ru"].(string)) {
		t.Fatalf("stored %+v, want one response with the Russian consent's hash", got)
	}
	if ch := fmt.Sprint(got[0].Answers["channels"]); ch != "[web outdoor]" && ch != "[outdoor web]" {
		t.Errorf("channels stored as %s, want web and outdoor", ch)
	}
}

// testNarrow checks that a 360 px wide phone never scrolls sideways, with
// and without the script, answers with one tap per single answer, and
// takes the Russian phone screenshots.
func (b *browser) testNarrow(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 2)
	ctx := b.tab(t, true)
	cdpDo(t, ctx, "phone viewport", phone(360))
	cdpOpen(t, ctx, b.pageURL(st, tokens[0], "ru"))
	cdpDo(t, ctx, "wait for the script", chromedp.WaitReady(chromedp.CSS("html.js")))
	taps := map[string]string{"q-recall": `#q-recall input[value="yes"]`, "q-nps": `input[name="q.nps"][value="8"]`,
		"q-csat": `input[name="q.csat"][value="3"]`}
	for _, step := range []string{"q-recall", "q-nps", "q-csat", "q-why"} {
		cdpDo(t, ctx, "step "+step, waitStep(step))
		if w := cdpEval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("%s: page is %d px wide at a 360 px viewport", step, w)
		}
		b.shot(t, ctx, "ru-360-"+step)
		if sel, ok := taps[step]; ok {
			cdpDo(t, ctx, "one tap", tap(sel)) // the page moves on by itself
		}
	}
	cdpSubmitJS(t, ctx, tap("#send"))
	if w := cdpEval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("the thanks page is %d px wide at a 360 px viewport", w)
	}
	b.shot(t, ctx, "thanks-ru-360")
	got := b.responses(t, st.ID)
	if len(got) != 1 || got[0].Answers["recall"] != "yes" || got[0].Answers["nps"] != 8.0 || got[0].Answers["csat"] != 3.0 {
		t.Fatalf("stored %+v, want the tapped answers", got)
	}

	ctx = b.tab(t, false)
	cdpDo(t, ctx, "phone viewport", phone(360))
	cdpOpen(t, ctx, b.pageURL(st, tokens[1], "ru"))
	if w := cdpEval[int](t, ctx, `document.documentElement.scrollWidth`); w > 360 {
		t.Errorf("without the script the page is %d px wide at a 360 px viewport", w)
	}
	b.shot(t, ctx, "ru-360-noscript")
}

// testEnglishDesktop takes the English page at desktop width.
func (b *browser) testEnglishDesktop(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 1)
	ctx := b.tab(t, true)
	cdpDo(t, ctx, "desktop viewport", chromedp.EmulateViewport(1280, 800))
	cdpOpen(t, ctx, b.pageURL(st, tokens[0], "en"))
	cdpDo(t, ctx, "wait for the script", chromedp.WaitReady(chromedp.CSS("html.js")))
	if lang := cdpEval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Fatalf("lang %q", lang)
	}
	if got := cdpEval[string](t, ctx, `document.getElementById("next").textContent`); got != "Next" {
		t.Errorf("Next button says %q", got)
	}
	cdpDo(t, ctx, "answer", chromedp.KeyEvent("1"))
	b.shot(t, ctx, "en-desktop")
	cdpDo(t, ctx, "answer", pressEnter, chromedp.KeyEvent("9"))
	b.shot(t, ctx, "en-desktop-nps")
	noProblems(t, ctx)
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: "dark"}, {Name: "prefers-reduced-motion", Value: "reduce"}},
	}); err != nil {
		t.Fatal(err)
	}
	b.shot(t, ctx, "en-desktop-nps-dark")
}

// TestSurveyPageWeight renders the example study's page and adds up the
// bytes a respondent downloads, as a browser asks for them (compressed):
// the HTML, the stylesheet and the script under 12 KB, and every asset,
// the icon included, under 50 KB even uncompressed.
func TestSurveyPageWeight(t *testing.T) {
	app := newTestApp(t, surveytest.New(t, store.SQLite))
	b := &browser{app: app}
	st, tokens := b.launch(t, exampleStudy(t), 1)
	for _, enc := range []string{"br", "gzip", ""} {
		accept := map[string]string{"br": "gzip, deflate, br", "gzip": "gzip, deflate", "": "identity"}[enc]
		page := app.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(tokens[0]), "", nil, "Accept-Encoding", accept).status(http.StatusOK)
		// The page itself comes gzipped from its precompressed plan even
		// to a browser that takes brotli (public_page_plan.go); the
		// assets, compressed once, in brotli.
		pageEnc := map[string]string{"br": "gzip"}[enc]
		if pageEnc == "" {
			pageEnc = enc
		}
		if got := page.Header().Get("Content-Encoding"); got != pageEnc || page.Header().Get("Vary") != "Accept-Encoding" {
			t.Fatalf("Accept-Encoding %q: page encoded %q, want %q; Vary %q", accept, got, pageEnc, page.Header().Get("Vary"))
		}
		html := decodeBody(t, pageEnc, page.Body.Bytes())
		text := page.Body.Len() // HTML, CSS and JS as sent
		total := page.Body.Len()
		sizes := map[string]int{"html": page.Body.Len()}
		for _, m := range regexp.MustCompile(`(?:href|src)="(/static/[^"]+)"`).FindAllStringSubmatch(html, -1) {
			res := app.do("GET", m[1], "", nil, "Accept-Encoding", accept).status(http.StatusOK)
			body, _ := io.ReadAll(res.Body)
			if !strings.HasSuffix(m[1], ".svg") {
				text += len(body)
			}
			if strings.HasSuffix(m[1], ".js") || strings.HasSuffix(m[1], ".css") {
				if got := res.Header().Get("Content-Encoding"); got != enc {
					t.Errorf("%s with %q: encoded %q", m[1], accept, got)
				}
				decodeBody(t, res.Header().Get("Content-Encoding"), body) // it decodes
			}
			total += len(body)
			sizes[m[1]] = len(body)
		}
		if len(sizes) < 4 {
			t.Fatalf("the page links %d assets, want the stylesheet, the script and the icon: %v", len(sizes)-1, sizes)
		}
		t.Logf("encoding %q: HTML+CSS+JS %d bytes, everything %d: %v", enc, text, total, sizes)
		if enc != "" && text > 12*1024 {
			t.Errorf("compressed (%s) HTML, CSS and JS weigh %d bytes, more than 12 KB: %v", enc, text, sizes)
		}
		if total > 50*1024 {
			t.Errorf("the survey page weighs %d bytes, more than 50 KB: %v", total, sizes)
		}
	}
}

// decodeBody undoes a content encoding.
func decodeBody(t *testing.T, enc string, b []byte) string {
	t.Helper()
	var r io.Reader = bytes.NewReader(b)
	switch enc {
	case "br":
		r = brotli.NewReader(r)
	case "gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	return string(out)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`", "$", "\\$").Replace(s) + "`"
}
