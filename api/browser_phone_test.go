package api

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestPhone drives the respondent page as a phone's owner does: touch at
// 360 and 320 px, the return key, reload, the language switch, the system
// Back, a lost connection at submit, one tap per answer, a slow script.
func TestPhone(t *testing.T) {
	b := newBrowser(t)
	t.Run("ReturnKey", b.testReturnKey)
	t.Run("KeepAnswers", b.testKeepAnswers)
	t.Run("OfflineRetry", b.testOfflineRetry)
	t.Run("OneTap", b.testOneTap)
	t.Run("NPSRow320", b.testNPSRow320)
	t.Run("NoLayoutShift", b.testNoLayoutShift)
	t.Run("EveryType360", b.testEveryType360)
	t.Logf("screenshots in %s", b.shots)
}

// openPhone opens the page of a token on a phone of the given width and
// waits for its script.
func (b *browser) openPhone(t *testing.T, st survey.Study, token, lang string, width int64) context.Context {
	t.Helper()
	ctx := b.tab(t, true)
	cdpDo(t, ctx, "phone viewport", phone(width))
	if status := cdpOpen(t, ctx, b.pageURL(st, token, lang)); status != http.StatusOK {
		t.Fatalf("survey page status %d", status)
	}
	cdpDo(t, ctx, "wait for the script", chromedp.Poll[chromedp.Void](`window.blSurvey === true`))
	return ctx
}

// answerTo taps the example study's first answers up to the step want.
func answerTo(t *testing.T, ctx context.Context, want string) {
	t.Helper()
	for _, s := range []struct{ step, sel string }{
		{"q-recall", `#q-recall input[value="no"]`}, {"q-nps", `input[name="q.nps"][value="7"]`}, {"q-csat", `input[name="q.csat"][value="2"]`},
	} {
		if s.step == want {
			cdpDo(t, ctx, "step "+want, waitStep(want))
			return
		}
		cdpDo(t, ctx, "tap on "+s.step, waitStep(s.step), tap(s.sel))
	}
	cdpDo(t, ctx, "step "+want, waitStep(want))
}

// testReturnKey: the phone keyboard's return key in the text answer is a
// new line; nothing is sent, and the keyboard hint is not shown on touch.
func (b *browser) testReturnKey(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 1)
	ctx := b.openPhone(t, st, tokens[0], "ru", 360)
	answerTo(t, ctx, "q-why")
	if active := cdpEval[string](t, ctx, `document.activeElement.tagName`); active == "TEXTAREA" {
		t.Error("the optional text box took the focus by itself (a phone would open its keyboard)")
	}
	cdpDo(t, ctx, "type two lines", tap(`textarea[name="q.why"]`),
		chromedp.KeyEvent("первая"), chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent("вторая"), chromedp.KeyEvent(kb.Enter))
	time.Sleep(300 * time.Millisecond)
	if got := cdpEval[string](t, ctx, `document.querySelector("textarea").value`); got != "первая\nвторая\n" {
		t.Fatalf("text %q, want two lines", got)
	}
	if got := visibleSteps(t, ctx); got != "q-why" || len(b.responses(t, st.ID)) != 0 {
		t.Fatalf("return sent the survey: step %q, %d responses", got, len(b.responses(t, st.ID)))
	}
	if cdpEval[bool](t, ctx, `document.querySelector(".keys").offsetParent !== null`) {
		t.Error("the keyboard shortcut hint shows on a touch screen")
	}
	cdpSubmitJS(t, ctx, tap("#send"))
	if got := b.responses(t, st.ID); len(got) != 1 || got[0].Answers["why"] != "первая\nвторая" {
		t.Fatalf("stored %+v, want the two lines (space after a text answer is trimmed)", got)
	}
}

// testKeepAnswers: at question 3, a reload, the system Back and Forward
// and the language switch keep every answer and the step.
func (b *browser) testKeepAnswers(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 1)
	ctx := b.openPhone(t, st, tokens[0], "ru", 360)
	answerTo(t, ctx, "q-csat")
	kept := func(when string) {
		t.Helper()
		if r, n := checkedValues(t, ctx, "q.recall"), checkedValues(t, ctx, "q.nps"); r != "no" || n != "7" {
			t.Fatalf("%s: recall %q, nps %q: answers lost", when, r, n)
		}
	}
	cdpDo(t, ctx, "reload", chromedp.Reload())
	cdpWait(t, ctx, "the page after a reload", `window.blSurvey === true`)
	cdpDo(t, ctx, "the step after a reload", waitStep("q-csat"))
	kept("after a reload")
	b.shot(t, ctx, "ru-360-reload-at-q3")

	cdpDo(t, ctx, "system Back", chromedp.NavigateBack(), waitStep("q-nps"))
	kept("after Back")
	cdpDo(t, ctx, "system Forward", chromedp.NavigateForward(), waitStep("q-csat"))
	kept("after Forward")

	cdpDo(t, ctx, "switch to English", tap(`.langs a[hreflang="en"]`))
	cdpWait(t, ctx, "the English page", `document.documentElement.lang === "en" && window.blSurvey === true`)
	cdpDo(t, ctx, "the step in English", waitStep("q-csat"))
	kept("after the language switch")
	if h := cdpEval[float64](t, ctx, `document.querySelector(".langs a").getBoundingClientRect().height`); h < 44 {
		t.Errorf("the language switch is %.0f px tall, want at least 44", h)
	}
	b.shot(t, ctx, "en-360-after-language-switch")
	cdpDo(t, ctx, "answer and go on", tap(`input[name="q.csat"][value="5"]`), waitStep("q-why"))
	cdpSubmitJS(t, ctx, tap("#send"))
	got := b.responses(t, st.ID)
	if len(got) != 1 || got[0].Answers["recall"] != "no" || got[0].Answers["nps"] != 7.0 || got[0].Answers["csat"] != 5.0 {
		t.Fatalf("stored %+v", got)
	}
	// Confirmed answers are no longer kept in the browser.
	if n := cdpEval[int](t, ctx, `sessionStorage.length`); n != 0 {
		t.Errorf("%d entries kept after the server confirmed", n)
	}
}

// testOfflineRetry: a submit while the server is gone, or while the
// phone is offline, stays on the page with a message in the respondent's
// language and goes through once the server or the connection is back,
// by the button or by itself, storing exactly one response.
func (b *browser) testOfflineRetry(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 3)
	for i, how := range []string{"server gone, retried by the button", "phone offline, retried when back online"} {
		ctx := b.openPhone(t, st, tokens[i], "ru", 360)
		answerTo(t, ctx, "q-why")
		b.gate.down.Store(true)
		if i == 1 {
			if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: true, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
				t.Fatal(err)
			}
		}
		cdpDo(t, ctx, "submit while away", tap("#send"), chromedp.WaitVisible(chromedp.ID("retry")))
		if msg := cdpEval[string](t, ctx, `document.getElementById("retry").textContent`); !strings.Contains(msg, frontend.T("ru", "retry_title")) {
			t.Errorf("%s: message %q", how, msg)
		}
		if got := visibleSteps(t, ctx); got != "q-why" {
			t.Errorf("%s: left the question: %q", how, got)
		}
		if i == 0 {
			b.shot(t, ctx, "ru-360-offline-retry")
		}
		n := len(b.responses(t, st.ID))
		b.gate.down.Store(false)
		if i == 0 {
			cdpSubmitJS(t, ctx, tap("#retry-send"))
		} else {
			if _, err := chromedp.Call(ctx, network.OverrideNetworkState, network.OverrideNetworkStateParams{Offline: false, DownloadThroughput: -1, UploadThroughput: -1}); err != nil {
				t.Fatal(err)
			}
			cdpSubmitJS(t, ctx) // the "online" event sends by itself
		}
		if got := len(b.responses(t, st.ID)); got != n+1 {
			t.Fatalf("%s: %d responses stored, want %d", how, got, n+1)
		}
	}
	// A brief 503 (the database away for a moment): the page says so and
	// tries again after Retry-After by itself.
	ctx := b.openPhone(t, st, tokens[2], "en", 360)
	answerTo(t, ctx, "q-why")
	n := len(b.responses(t, st.ID))
	b.gate.busy.Store(2)
	cdpDo(t, ctx, "submit into a 503", tap("#send"), chromedp.WaitVisible(chromedp.ID("retry")))
	if msg := cdpEval[string](t, ctx, `document.getElementById("retry").textContent`); !strings.Contains(msg, frontend.T("en", "retry_title")) {
		t.Errorf("503: message %q", msg)
	}
	cdpSubmitJS(t, ctx) // twice 503, then through, with no tap
	if got := len(b.responses(t, st.ID)); got != n+1 {
		t.Fatalf("after 503s: %d responses stored, want %d", got, n+1)
	}
}

// testOneTap: single choice, NPS and rating move on with one tap after a
// visible moment; Back shows the answer and changes it; the last step
// never sends by itself.
func (b *browser) testOneTap(t *testing.T) {
	body := exampleStudy(t)
	qs := body["questions"].([]any)
	body["questions"] = []any{qs[1], qs[2], qs[0]} // nps, rating, then single choice last
	st, tokens := b.launch(t, body, 1)
	ctx := b.openPhone(t, st, tokens[0], "en", 360)
	cdpDo(t, ctx, "tap 9", tap(`input[name="q.nps"][value="9"]`))
	if got := visibleSteps(t, ctx); got != "q-nps" {
		t.Errorf("the tapped answer was not shown before moving on: %q", got)
	}
	cdpDo(t, ctx, "moves on", waitStep("q-csat"))
	cdpDo(t, ctx, "back", tap("#back"), waitStep("q-nps"))
	if got := checkedValues(t, ctx, "q.nps"); got != "9" {
		t.Fatalf("Back shows nps %q", got)
	}
	cdpDo(t, ctx, "change to 10", tap(`input[name="q.nps"][value="10"]`), waitStep("q-csat"),
		tap(`input[name="q.csat"][value="4"]`), waitStep("q-recall"), tap(`#q-recall input[value="yes"]`))
	time.Sleep(time.Second)
	if got := visibleSteps(t, ctx); got != "q-recall" || len(b.responses(t, st.ID)) != 0 {
		t.Fatalf("the last step sent by itself: %q", got)
	}
	cdpSubmitJS(t, ctx, tap("#send"))
	if got := b.responses(t, st.ID); len(got) != 1 || got[0].Answers["nps"] != 10.0 || got[0].Answers["csat"] != 4.0 {
		t.Fatalf("stored %+v", got)
	}
}

// testNPSRow320: the 0-10 scale is one row at 320 px, every cell at least
// 44 px tall, the end labels under its ends, and nothing wider than the screen.
func (b *browser) testNPSRow320(t *testing.T) {
	st, tokens := b.launch(t, exampleStudy(t), 1)
	for _, lang := range []string{"ru", "en"} {
		ctx := b.openPhone(t, st, tokens[0], lang, 320)
		answerTo(t, ctx, "q-nps")
		rows := cdpEval[int](t, ctx, `new Set([...document.querySelectorAll("#q-nps .pt")].map(p => Math.round(p.getBoundingClientRect().top))).size`)
		short := cdpEval[int](t, ctx, `[...document.querySelectorAll("#q-nps .pt")].filter(p => p.getBoundingClientRect().height < 44).length`)
		if rows != 1 || short != 0 {
			t.Errorf("%s: the NPS scale is %d rows with %d cells under 44 px", lang, rows, short)
		}
		if w := cdpEval[int](t, ctx, `document.documentElement.scrollWidth`); w > 320 {
			t.Errorf("%s: %d px wide at 320", lang, w)
		}
		ends := cdpEval[bool](t, ctx, `(() => { const pts = document.querySelectorAll("#q-nps .pt"), a = document.querySelectorAll("#q-nps .anchors span");
			return Math.abs(a[0].getBoundingClientRect().left - pts[0].getBoundingClientRect().left) < 2 &&
				Math.abs(a[1].getBoundingClientRect().right - pts[10].getBoundingClientRect().right) < 2 })()`)
		if !ends {
			t.Errorf("%s: the end labels are not under the ends of the scale", lang)
		}
		b.shot(t, ctx, lang+"-320-nps")
	}
}

// clsObserver adds up layout shifts from the first paint on.
const clsObserver = `window.__cls = 0; window.__shifts = [];
new PerformanceObserver(l => { for (const e of l.getEntries()) if (!e.hadRecentInput) { __cls += e.value; __shifts.push(e.value); } })
  .observe({type: "layout-shift", buffered: true});`

// testNoLayoutShift: with the script 1.5 s late, as on a slow phone
// network, the page already shows its first step and its buttons, and
// nothing moves when the script arrives.
func (b *browser) testNoLayoutShift(t *testing.T) {
	body := exampleStudy(t)
	body["consent"] = map[string]any{"ru": "Я согласен на обработку данных.", "en": "I agree to the processing of my data."}
	st, tokens := b.launch(t, body, 2)
	b.gate.delayJS.Store(1500)
	defer b.gate.delayJS.Store(0)
	for i, lang := range []string{"ru", "en"} {
		ctx := b.tab(t, true)
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: clsObserver}); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			t.Fatal(err) // the script must come from the slow server, not the cache
		}
		cdpDo(t, ctx, "phone viewport", phone(360))
		// Navigate without waiting for the load event, which waits for the script.
		if _, err := chromedp.Call(ctx, page.Navigate, page.NavigateParams{URL: b.pageURL(st, tokens[i], lang)}); err != nil {
			t.Fatal(err)
		}
		cdpWait(t, ctx, "the page's body", `!!document.getElementById("send") && location.pathname.startsWith("/s/")`)
		time.Sleep(500 * time.Millisecond)
		if cdpEval[bool](t, ctx, `window.blSurvey === true`) {
			t.Fatal("the script was not late: the test proves nothing")
		}
		if got := visibleSteps(t, ctx); got != "consent" {
			t.Errorf("%s: before the script, steps %q on screen, want the first step alone", lang, got)
		}
		before := cdpEval[string](t, ctx, `[...document.querySelectorAll("button")].filter(b => b.offsetParent !== null).map(b => b.id).join(",")`)
		cdpDo(t, ctx, "the script arrives", chromedp.Poll[chromedp.Void](`window.blSurvey === true`))
		time.Sleep(300 * time.Millisecond)
		after := cdpEval[string](t, ctx, `[...document.querySelectorAll("button")].filter(b => b.offsetParent !== null).map(b => b.id).join(",")`)
		if before != after || after != "next" {
			t.Errorf("%s: buttons %q before the script, %q after", lang, before, after)
		}
		if cls := cdpEval[float64](t, ctx, `__cls`); cls >= 0.01 {
			t.Errorf("%s: layout shift %.4f (%v), want under 0.01", lang, cls, cdpEval[[]float64](t, ctx, `__shifts`))
		}
	}
}

// testEveryType360 takes each question type at 360 px in both languages,
// the consent step included, for a person to look at.
func (b *browser) testEveryType360(t *testing.T) {
	body := exampleStudy(t)
	body["consent"] = map[string]any{
		"ru": strings.Repeat("Я даю согласие ООО «Акме» на обработку моих персональных данных в целях маркетингового исследования. ", 6),
		"en": strings.Repeat("I consent to Acme LLC processing my personal data for marketing research. ", 6),
	}
	body["questions"] = append([]any{map[string]any{"key": "channels", "type": "multi_choice", "metric": "ad_recall",
		"text": map[string]any{"ru": "Где вы видели рекламу Acme?", "en": "Where have you seen Acme ads?"},
		"options": []any{
			map[string]any{"key": "tv", "text": map[string]any{"ru": "По телевизору", "en": "On TV"}, "positive": true},
			map[string]any{"key": "web", "text": map[string]any{"ru": "В интернете", "en": "Online"}, "positive": true},
			map[string]any{"key": "none", "text": map[string]any{"ru": "Нигде не видел(а)", "en": "Nowhere"}, "exclusive": true},
		}}}, body["questions"].([]any)...)
	body["end_url"] = "https://acme.example/after?src=survey"
	st, tokens := b.launch(t, body, 2)
	for i, lang := range []string{"ru", "en"} {
		ctx := b.openPhone(t, st, tokens[i], lang, 360)
		b.shot(t, ctx, lang+"-360-consent")
		if scrolls := cdpEval[bool](t, ctx, `(d => d.scrollHeight > d.clientHeight)(document.querySelector(".doc"))`); !scrolls {
			t.Errorf("%s: the long consent text does not scroll in its box (the test's premise)", lang)
		}
		cdpDo(t, ctx, "consent", tap(`input[name="consent"]`), tap("#next"), waitStep("q-channels"))
		cdpDo(t, ctx, "channels", tap(`input[value="tv"]`), tap(`input[value="web"]`))
		b.shot(t, ctx, lang+"-360-multi_choice")
		if p := cdpEval[float64](t, ctx, `document.getElementById("progress").value`); p != 0.2 {
			t.Errorf("%s: progress %v on question 1 of 5, want 0.2 (consent is outside)", lang, p)
		}
		cdpDo(t, ctx, "next", tap("#next"), waitStep("q-recall"))
		b.shot(t, ctx, lang+"-360-single_choice")
		cdpDo(t, ctx, "recall", tap(`#q-recall input[value="yes"]`), waitStep("q-nps"))
		b.shot(t, ctx, lang+"-360-nps")
		cdpDo(t, ctx, "nps", tap(`input[name="q.nps"][value="9"]`), waitStep("q-csat"))
		b.shot(t, ctx, lang+"-360-rating")
		cdpDo(t, ctx, "csat", tap(`input[name="q.csat"][value="4"]`), waitStep("q-why"))
		b.shot(t, ctx, lang+"-360-text")
		cdpSubmitJS(t, ctx, tap("#send"))
		b.shot(t, ctx, lang+"-360-thanks")
		// The thank-you page leads on to the marketer's site, in the respondent's language.
		if href := cdpEval[string](t, ctx, `(document.querySelector(".msg .end a") || {}).href || ""`); href != "https://acme.example/after?lang="+lang+"&src=survey" {
			t.Errorf("%s: thank-you page links to %q", lang, href)
		}
		noProblems(t, ctx)
	}
}
