package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// widgetLimit is the most the widget's script may weigh as served,
// uncompressed.
const widgetLimit = 10240

// TestWidget drives the NPS widget in real headless Chromium on a
// customer's page on another origin, whose CSS is hostile and whose CSP is
// strict: answered with the keyboard alone (stored once, counted by the
// tracker, not asked again on the next visit), dismissed with Escape,
// closed at the comment step (the score is kept), sent again after the
// server was away, and silent on a page whose origin the study does not
// list. It skips itself when Chromium is missing.
func TestWidget(t *testing.T) {
	start := time.Now()
	b := newBrowser(t)
	w := b.newWidgetShop(t)
	t.Run("Script", w.testScript)
	t.Run("Keyboard", w.testKeyboard)
	t.Run("Dismiss", w.testDismiss)
	t.Run("CloseAtComment", w.testCloseAtComment)
	t.Run("Retry", w.testRetry)
	t.Run("ForeignOrigin", w.testForeignOrigin)
	t.Logf("widget tests took %v; screenshots in %s", time.Since(start).Round(10*time.Millisecond), b.shots)
}

// widgetShop is a customer's shop on its own origin (the study lists it)
// and a second shop on an origin the study does not list.
type widgetShop struct {
	*browser
	shop, foreign *httptest.Server
	st            survey.Study
}

// shopPage is the customer's page: the widget's script tag, nothing else
// of ours.
var shopPage = template.Must(template.New("shop").Parse(`<!doctype html>
<html lang="{{.Locale}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shop</title><link rel="stylesheet" href="/hostile.css"><script src="/watch.js"></script></head>
<body><h1>Магазин / Shop</h1>
<p>Товары дня</p>
<button id="own" type="button">Buy</button>
<script src="{{.App}}/w/nps.js" data-study="{{.Study}}" data-token="{{.Token}}" data-locale="{{.Locale}}" async></script>
</body></html>`))

// hostileCSS would wreck any widget drawn in the page's own DOM.
const hostileCSS = `* { font: 40px/1 serif !important; color: red !important; box-sizing: content-box !important; }
html { font-size: 40px !important; }
button { display: none !important; }
div, p, h2, textarea { margin: 50px !important; padding: 30px !important; border: 5px dotted green !important; background: yellow !important; }
brandlift-nps, [role="dialog"] { display: none !important; position: static !important; }
body { background: #fde; }`

// watchRejections adds promise rejections nobody handled to the page's
// problems (see watchProblems).
const watchRejections = `addEventListener("unhandledrejection", e => (window.__problems || []).push("unhandled rejection: " + e.reason));`

func (b *browser) newWidgetShop(t *testing.T) *widgetShop {
	t.Helper()
	w := &widgetShop{browser: b}
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/hostile.css":
			rw.Header().Set("Content-Type", "text/css")
			io.WriteString(rw, hostileCSS)
		case "/watch.js":
			rw.Header().Set("Content-Type", "text/javascript")
			io.WriteString(rw, watchRejections)
		case "/":
			rw.Header().Set("Content-Type", "text/html; charset=utf-8")
			// A strict policy: no inline style or script; the widget may
			// only load from and talk to the app.
			rw.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self' "+b.srv.URL+"; connect-src "+b.srv.URL+"; style-src 'self'")
			q := r.URL.Query()
			shopPage.Execute(rw, map[string]string{"App": b.srv.URL, "Study": q.Get("study"), "Token": q.Get("t"), "Locale": q.Get("locale")})
		default:
			http.NotFound(rw, r)
		}
	})
	w.shop = httptest.NewServer(h)
	t.Cleanup(w.shop.Close)
	w.foreign = httptest.NewServer(h)
	t.Cleanup(w.foreign.Close)
	w.st = npsProgram(b.as(t), func(body map[string]any) {
		body["widget_origins"] = []string{w.shop.URL}
	})
	return w
}

// token mints a respondent's signed token.
func (w *widgetShop) token(t *testing.T, rid, locale string) string {
	t.Helper()
	return w.as(t).links(w.st, map[string]any{"rid": rid, "locale": locale})[0].Token
}

// open opens the shop's page for a token at a width (360: a phone) and
// waits until the widget has decided whether to ask.
func (w *widgetShop) open(t *testing.T, srv *httptest.Server, token, locale string, width int64) context.Context {
	t.Helper()
	ctx := w.tab(t, true)
	if width < 600 {
		cdpDo(t, ctx, "phone viewport", phone(width))
	} else {
		cdpDo(t, ctx, "desktop viewport", chromedp.EmulateViewport(width, 800))
	}
	u := srv.URL + "/?study=" + url.QueryEscape(w.st.PublicKey) + "&t=" + url.QueryEscape(token) + "&locale=" + locale
	if status := cdpOpen(t, ctx, u); status != http.StatusOK {
		t.Fatalf("shop page status %d", status)
	}
	waitDecided(t, ctx)
	return ctx
}

// waitDecided waits until the widget has asked the API and acted on the
// answer.
func waitDecided(t *testing.T, ctx context.Context) {
	t.Helper()
	cdpWait(t, ctx, "the widget's decision", `window.BrandliftNPS && !["idle", "loading"].includes(BrandliftNPS.state)`)
}

// widgetState is the widget's state, and its host element's content.
func widgetState(t *testing.T, ctx context.Context) (state string, shown bool) {
	t.Helper()
	v := cdpEval[[]any](t, ctx, `[window.BrandliftNPS ? BrandliftNPS.state : "no script",
		!!document.querySelector("brandlift-nps") || document.querySelectorAll("[role=dialog]").length > 0]`)
	return v[0].(string), v[1].(bool)
}

// inWidget evaluates a JavaScript expression with R, the widget's shadow
// root (null when there is none).
func inWidget[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return cdpEval[T](t, ctx, `(() => { const W = document.querySelector("brandlift-nps"), R = W && W.shadowRoot; return `+expr+`; })()`)
}

// focused is the text of the widget's focused control ("" when the focus
// is elsewhere).
func focused(t *testing.T, ctx context.Context) string {
	t.Helper()
	return inWidget[string](t, ctx, `R && document.activeElement === W && R.activeElement ? R.activeElement.tagName + ":" + R.activeElement.textContent : ""`)
}

// pointAt taps (on a phone) or clicks the widget's element sel.
func pointAt(t *testing.T, ctx context.Context, sel string, touch bool) {
	t.Helper()
	xy := inWidget[[]float64](t, ctx, `(r => [r.x + r.width / 2, r.y + r.height / 2])(R.querySelector(`+jsString(sel)+`).getBoundingClientRect())`)
	a := chromedp.MouseClickXY(xy[0], xy[1])
	if touch {
		a = chromedp.TapXY(xy[0], xy[1])
	}
	cdpDo(t, ctx, "point at "+sel, a)
}

// checkWidgetLayout fails the test when the host page's CSS reaches the
// widget or the widget does not fit the screen: the page's own button is
// hidden by its CSS, the widget's are all there, in our type, inside the
// viewport and large enough to hit; a phone gets the full width at the
// bottom, a desktop a card at the bottom right.
func checkWidgetLayout(t *testing.T, ctx context.Context, step string) {
	t.Helper()
	problems := inWidget[[]string](t, ctx, `(() => {
		const p = [], vw = innerWidth, vh = innerHeight;
		if (getComputedStyle(document.getElementById("own")).display !== "none") p.push("the page's hostile CSS is not in force");
		if (!R) return p.concat("no shadow root");
		const hs = getComputedStyle(W);
		if (hs.position !== "fixed" || hs.display !== "block") p.push("host is " + hs.position + " " + hs.display);
		const c = R.querySelector(".c").getBoundingClientRect();
		if (c.left < 0 || c.right > vw + 0.5 || c.bottom > vh + 0.5 || c.top < 0) p.push("card outside the viewport: " + JSON.stringify(c));
		if (vw <= 480 ? (Math.abs(c.width - vw) > 1 || Math.abs(c.bottom - vh) > 1) : (c.width < 380 || c.width > 460 || vw - c.right > 24 || vh - c.bottom > 24))
			p.push("card " + Math.round(c.width) + "x" + Math.round(c.height) + " at " + Math.round(c.left) + "," + Math.round(c.top) + " on " + vw + "x" + vh);
		for (const b of R.querySelectorAll("button, textarea, h2, p")) {
			const s = getComputedStyle(b), r = b.getBoundingClientRect(), name = b.tagName + " " + JSON.stringify(b.textContent);
			if (s.display === "none" || r.width === 0) { if (b.tagName !== "P" && !b.hidden) p.push(name + " not shown"); continue; }
			if (s.color === "rgb(255, 0, 0)" || /serif/.test(s.fontFamily) && !/sans-serif/.test(s.fontFamily) || parseFloat(s.fontSize) > 26 || s.borderStyle === "dotted")
				p.push(name + " styled by the page: " + s.color + " " + s.fontSize + " " + s.fontFamily + " " + s.borderStyle);
			if (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.bottom > c.bottom + 0.5) p.push(name + " outside the card");
			if (b.tagName === "BUTTON" && (r.width < 28 || r.height < 32)) p.push(name + " is " + Math.round(r.width) + "x" + Math.round(r.height));
		}
		return p;
	})()`)
	for _, p := range problems {
		t.Errorf("%s: %s", step, p)
	}
}

// widgetResponse is one stored response with its quality fields.
type widgetResponse struct {
	Answers    map[string]any
	Flags      string
	DurationMs *int64
}

func (w *widgetShop) stored(t *testing.T) []widgetResponse {
	t.Helper()
	rows, err := w.app.store.DB().Raw("SELECT answers, flags, duration_ms FROM responses WHERE study_id = ? ORDER BY completed_at", w.st.ID).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []widgetResponse
	for rows.Next() {
		var raw string
		var r widgetResponse
		if err := rows.Scan(&raw, &r.Flags, &r.DurationMs); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(raw), &r.Answers); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// touches lists the study's prompt and answer events, in order.
func (w *widgetShop) touches(t *testing.T) []string {
	t.Helper()
	var kinds []string
	if err := w.app.store.DB().Raw("SELECT kind FROM touches WHERE study_id = ? ORDER BY at, kind", w.st.ID).Scan(&kinds).Error; err != nil {
		t.Fatal(err)
	}
	return kinds
}

// eventually polls cond until it holds, for at most 10 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not so after 10 s", what)
		}
	}
}

// testScript: /w/nps.js is small, JavaScript, cached for five minutes,
// loadable from any page; compressed when asked.
func (w *widgetShop) testScript(t *testing.T) {
	get := func(enc string) (*http.Response, []byte) {
		req, err := http.NewRequest("GET", w.srv.URL+"/w/nps.js", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", enc) // set by hand, so Go does not decompress
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, err := io.ReadAll(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET /w/nps.js (%s): %d", enc, res.StatusCode)
		}
		return res, body
	}
	res, plain := get("identity")
	for k, want := range map[string]string{
		"Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "public, max-age=300",
		"Access-Control-Allow-Origin": "*", "Cross-Origin-Resource-Policy": "cross-origin", "X-Content-Type-Options": "nosniff",
	} {
		if got := res.Header.Get(k); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
	if res.Header.Get("Content-Encoding") != "" {
		t.Errorf("identity asked, got %s", res.Header.Get("Content-Encoding"))
	}
	if len(plain) >= widgetLimit {
		t.Errorf("the served script is %d bytes, want under %d", len(plain), widgetLimit)
	}
	if !bytes.Contains(plain, []byte("'use strict'")) || !bytes.Contains(plain, []byte("attachShadow")) {
		t.Errorf("not the widget: %.200s", plain)
	}
	src, err := os.ReadFile("../frontend/static/nps-widget.js")
	if err != nil {
		t.Fatal(err)
	}
	res, zipped := get("gzip")
	if res.Header.Get("Content-Encoding") != "gzip" || res.Header.Get("Cache-Control") != "public, max-age=300" {
		t.Errorf("gzip asked: %v", res.Header)
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	if unzipped, err := io.ReadAll(zr); err != nil || !bytes.Equal(unzipped, plain) {
		t.Errorf("the gzip body is not the plain one (%v)", err)
	}
	t.Logf("widget: source %d bytes, served %d, gzip %d", len(src), len(plain), len(zipped))

	// After five minutes a cache revalidates: the same script is a 304.
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	for tag, want := range map[string]int{etag: http.StatusNotModified, strings.TrimPrefix(etag, "W/"): http.StatusNotModified, `"nps-widget.0000000000"`: http.StatusOK} {
		req, err := http.NewRequest("GET", w.srv.URL+"/w/nps.js", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("If-None-Match", tag)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != want || res.Header.Get("Cache-Control") != "public, max-age=300" || res.Header.Get("ETag") != etag ||
			(want == http.StatusNotModified) != (len(body) == 0) {
			t.Errorf("If-None-Match %s: %d, %v, %d bytes; want %d", tag, res.StatusCode, res.Header, len(body), want)
		}
	}
}

// testKeyboard: a Russian visitor on a desktop answers with keys alone:
// Tab to the scale, arrows to 9, Enter; the comment; Tab to Send, Enter.
// One response is stored, the tracker counts it, and the next visit asks
// nothing and stores nothing.
func (w *widgetShop) testKeyboard(t *testing.T) {
	ctx := w.open(t, w.shop, w.token(t, "kb-1", "ru"), "ru", 1280)
	if state, shown := widgetState(t, ctx); state != "open" || !shown {
		t.Fatalf("widget %q, shown %v; want it open", state, shown)
	}
	opened := time.Now()
	noProblems(t, ctx)
	checkWidgetLayout(t, ctx, "ru 1280 scale")
	w.shot(t, ctx, "widget-ru-1280-scale")

	a11y := inWidget[map[string]any](t, ctx, `(() => {
		const d = R.querySelector("[role=dialog]"), g = R.querySelector("[role=group]"), bs = [...g.querySelectorAll("button")];
		return {label: R.getElementById(d.getAttribute("aria-labelledby")).textContent,
			group: R.getElementById(g.getAttribute("aria-labelledby")).textContent,
			buttons: bs.map(b => b.textContent).join(","), first: bs[0].getAttribute("aria-label"), last: bs[10].getAttribute("aria-label"),
			close: R.querySelector(".x").getAttribute("aria-label"), live: R.querySelector("[aria-live]").getAttribute("aria-live"),
			anchors: R.querySelector(".a").textContent};
	})()`)
	question := "Насколько вероятно, что вы порекомендуете Acme друзьям?"
	for k, want := range map[string]any{"label": question, "group": question, "buttons": "0,1,2,3,4,5,6,7,8,9,10",
		"first": "0 — точно нет", "last": "10 — обязательно", "close": "Закрыть", "live": "polite", "anchors": "0 — точно нет10 — обязательно"} {
		if a11y[k] != want {
			t.Errorf("%s: %q, want %q", k, a11y[k], want)
		}
	}
	if got := focused(t, ctx); got != "H2:"+question {
		t.Errorf("focus on opening: %q, want the question's heading", got)
	}

	cdpDo(t, ctx, "Tab to the scale", chromedp.KeyEvent(kb.Tab))
	if got := focused(t, ctx); got != "BUTTON:0" {
		t.Fatalf("after Tab: %q, want the score 0", got)
	}
	cdpDo(t, ctx, "arrows to 9", chromedp.KeyEvent(strings.Repeat(kb.ArrowRight, 10)), chromedp.KeyEvent(kb.ArrowLeft))
	if got := focused(t, ctx); got != "BUTTON:9" {
		t.Fatalf("after the arrows: %q, want the score 9", got)
	}
	if ring := inWidget[string](t, ctx, `(s => s.outlineStyle + " " + s.outlineWidth)(getComputedStyle(R.activeElement))`); ring != "solid 3px" {
		t.Errorf("focus ring %q, want a visible one", ring)
	}
	cdpDo(t, ctx, "Enter on 9", chromedp.KeyEvent(kb.Enter))
	cdpWait(t, ctx, "the comment step", `(W => W && W.shadowRoot.activeElement && W.shadowRoot.activeElement.tagName === "TEXTAREA")(document.querySelector("brandlift-nps"))`)
	if got := inWidget[string](t, ctx, `R.querySelector("h2").textContent + "|" + R.querySelector(".m").textContent + "|" + R.querySelector("textarea").value`); got != "Почему?|Ваша оценка: 9|" {
		t.Errorf("comment step: %q", got)
	}
	comment := "Быстрая доставка"
	cdpDo(t, ctx, "type the comment", chromedp.KeyEvent(comment))
	checkWidgetLayout(t, ctx, "ru 1280 comment")
	w.shot(t, ctx, "widget-ru-1280-comment")
	cdpDo(t, ctx, "Tab to Send", chromedp.KeyEvent(kb.Tab))
	if got := focused(t, ctx); got != "BUTTON:Отправить" {
		t.Fatalf("after Tab from the comment: %q, want Send", got)
	}
	if n := len(w.stored(t)); n != 0 {
		t.Fatalf("%d responses before Send", n)
	}
	// A person takes a few seconds; faster than 1.5 s per answer is a
	// speeder, whom the tracker leaves out. This pause is the visitor's,
	// not a check.
	time.Sleep(time.Until(opened.Add(3500 * time.Millisecond)))
	cdpDo(t, ctx, "Enter on Send", chromedp.KeyEvent(kb.Enter))
	cdpWait(t, ctx, "the thank-you", `(W => W && W.shadowRoot.querySelector("[aria-live]").textContent.startsWith("Спасибо!"))(document.querySelector("brandlift-nps"))`)
	if state, _ := widgetState(t, ctx); state != "answered" {
		t.Errorf("state after the answer: %q", state)
	}
	w.shot(t, ctx, "widget-ru-1280-thanks")
	cdpWait(t, ctx, "the widget closing by itself", `BrandliftNPS.state === "answered" && !document.querySelector("brandlift-nps")`)
	noProblems(t, ctx)

	got := w.stored(t)
	if len(got) != 1 || got[0].Answers["nps"] != 9.0 || got[0].Answers["why"] != comment {
		t.Fatalf("stored %+v, want one response with 9 and the comment", got)
	}
	if got[0].Flags != "" || got[0].DurationMs == nil || *got[0].DurationMs < 3000 {
		t.Errorf("flags %q, duration %v: want a plain response with the widget's duration", got[0].Flags, got[0].DurationMs)
	}
	var tr struct {
		Periods []struct {
			Counts struct{ All, Exposed int64 }
		}
	}
	w.as(t).do("GET", "/api/v1/studies/"+w.st.ID+"/results/trend?interval=day", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&tr)
	var counted int64
	for _, p := range tr.Periods {
		counted += p.Counts.All
	}
	if counted != 1 {
		t.Errorf("the tracker counts %d responses, want 1: %+v", counted, tr)
	}
	touches := w.touches(t)
	if strings.Join(touches, ",") != "shown,answered" && strings.Join(touches, ",") != "answered,shown" {
		t.Errorf("touches %v, want shown and answered", touches)
	}

	// The next visit, inside the window: nothing shown, nothing stored.
	cdpDo(t, ctx, "reload", chromedp.Reload())
	cdpWait(t, ctx, "the decision after a reload", `window.BrandliftNPS && BrandliftNPS.state === "hidden"`)
	if state, shown := widgetState(t, ctx); shown {
		t.Errorf("shown again on the next visit (%s)", state)
	}
	if r := cdpEval[string](t, ctx, `BrandliftNPS.reason`); r != "throttled" {
		t.Errorf("reason %q, want throttled", r)
	}
	if n, k := len(w.stored(t)), w.touches(t); n != 1 || len(k) != len(touches) {
		t.Errorf("after the second visit: %d responses, touches %v", n, k)
	}
	noProblems(t, ctx)
}

// testDismiss: an English visitor on a phone presses Escape. A dismissal
// is recorded, no response, and the next visit asks nothing.
func (w *widgetShop) testDismiss(t *testing.T) {
	before := len(w.stored(t))
	ctx := w.open(t, w.shop, w.token(t, "dismiss-1", "en"), "en", 360)
	if state, shown := widgetState(t, ctx); state != "open" || !shown {
		t.Fatalf("widget %q, shown %v; want it open", state, shown)
	}
	checkWidgetLayout(t, ctx, "en 360 scale")
	if got := inWidget[string](t, ctx, `R.querySelector(".a").textContent + "|" + R.querySelector(".x").getAttribute("aria-label")`); got != "0 — not likely10 — extremely likely|Close" {
		t.Errorf("English anchors and close: %q", got)
	}
	w.shot(t, ctx, "widget-en-360-scale")
	dismissed := func() int {
		var n int64
		if err := w.app.store.DB().Raw("SELECT COUNT(*) FROM touches WHERE study_id = ? AND kind = 'dismissed'", w.st.ID).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
	if n := dismissed(); n != 0 {
		t.Fatalf("%d dismissals before Escape", n)
	}
	cdpDo(t, ctx, "Escape", chromedp.KeyEvent(kb.Escape))
	if state, shown := widgetState(t, ctx); state != "dismissed" || shown {
		t.Errorf("after Escape: %q, shown %v", state, shown)
	}
	eventually(t, "a dismissed touch", func() bool { return dismissed() == 1 })
	if n := len(w.stored(t)); n != before {
		t.Errorf("%d responses after a dismissal, want %d", n, before)
	}
	cdpDo(t, ctx, "reload", chromedp.Reload())
	cdpWait(t, ctx, "the decision after a reload", `window.BrandliftNPS && BrandliftNPS.state === "hidden" && BrandliftNPS.reason === "throttled"`)
	if _, shown := widgetState(t, ctx); shown {
		t.Error("shown again after a dismissal")
	}
	if n := len(w.stored(t)); n != before || dismissed() != 1 {
		t.Errorf("after the second visit: %d responses, %d dismissals", n, dismissed())
	}
	noProblems(t, ctx)
}

// testCloseAtComment: a visitor clicks 3, starts a comment and closes the
// widget: the score is stored without the comment, once.
func (w *widgetShop) testCloseAtComment(t *testing.T) {
	before := len(w.stored(t))
	ctx := w.open(t, w.shop, w.token(t, "close-1", "en"), "en", 1280)
	checkWidgetLayout(t, ctx, "en 1280 scale")
	w.shot(t, ctx, "widget-en-1280-scale")
	pointAt(t, ctx, `.s button:nth-child(4)`, false)
	cdpWait(t, ctx, "the comment step", `(W => W && !!W.shadowRoot.querySelector("textarea"))(document.querySelector("brandlift-nps"))`)
	if got := focused(t, ctx); got != "TEXTAREA:" {
		t.Errorf("focus at the comment step: %q", got)
	}
	if got := inWidget[string](t, ctx, `R.querySelector("h2").textContent + "|" + R.querySelector(".m").textContent + "|" + [...R.querySelectorAll(".b button")].map(b => b.textContent).join(",")`); got != "Why?|Your score: 3|Send,Skip" {
		t.Errorf("comment step: %q", got)
	}
	cdpDo(t, ctx, "type a draft", chromedp.KeyEvent("draft"))
	checkWidgetLayout(t, ctx, "en 1280 comment")
	w.shot(t, ctx, "widget-en-1280-comment")
	pointAt(t, ctx, ".x", false)
	cdpWait(t, ctx, "the widget gone", `!document.querySelector("brandlift-nps")`)
	eventually(t, "the score stored", func() bool { return len(w.stored(t)) == before+1 })
	cdpWait(t, ctx, "the state", `BrandliftNPS.state === "answered"`)
	got := w.stored(t)
	if last := got[len(got)-1]; last.Answers["nps"] != 3.0 || last.Answers["why"] != nil {
		t.Errorf("stored %+v, want the score 3 without the comment", last.Answers)
	}
	noProblems(t, ctx)
}

// testRetry: a Russian visitor on a phone taps 10, writes a comment and
// sends while the server is away: the widget keeps the answer and offers
// to send it again, which stores it once.
func (w *widgetShop) testRetry(t *testing.T) {
	before := len(w.stored(t))
	ctx := w.open(t, w.shop, w.token(t, "retry-1", "ru"), "ru", 360)
	checkWidgetLayout(t, ctx, "ru 360 scale")
	w.shot(t, ctx, "widget-ru-360-scale")
	pointAt(t, ctx, `.s button:last-child`, true)
	cdpWait(t, ctx, "the comment step", `(W => W && !!W.shadowRoot.querySelector("textarea"))(document.querySelector("brandlift-nps"))`)
	pointAt(t, ctx, "textarea", true)
	comment := "Всё отлично"
	cdpDo(t, ctx, "type the comment", chromedp.KeyEvent(comment))
	checkWidgetLayout(t, ctx, "ru 360 comment")
	w.shot(t, ctx, "widget-ru-360-comment")

	w.gate.down.Store(true)
	pointAt(t, ctx, ".b .p", true)
	cdpWait(t, ctx, "the retry offer", `BrandliftNPS.state === "error" && (W => !!W && !!W.shadowRoot.querySelector(".b .p"))(document.querySelector("brandlift-nps"))`)
	if got := inWidget[string](t, ctx, `R.querySelector("[aria-live]").textContent + "|" + R.querySelector(".b .p").textContent`); got != "Ответ не отправлен. Проверьте подключение к интернету.|Отправить ещё раз" {
		t.Errorf("retry offer: %q", got)
	}
	checkWidgetLayout(t, ctx, "ru 360 retry")
	w.shot(t, ctx, "widget-ru-360-retry")
	if n := len(w.stored(t)); n != before {
		t.Fatalf("%d responses stored while the server was away", n-before)
	}
	w.gate.down.Store(false)
	pointAt(t, ctx, ".b .p", true)
	cdpWait(t, ctx, "the thank-you", `BrandliftNPS.state === "answered" && (W => !!W && W.shadowRoot.querySelector("[aria-live]").textContent.startsWith("Спасибо!"))(document.querySelector("brandlift-nps"))`)
	if c := inWidget[string](t, ctx, `getComputedStyle(R.querySelector("[aria-live]")).color`); c != "rgb(27, 31, 42)" {
		t.Errorf("the thank-you after a retry is in %s, want the text colour (not the error's)", c)
	}
	w.shot(t, ctx, "widget-ru-360-thanks")
	got := w.stored(t)
	if len(got) != before+1 || got[len(got)-1].Answers["nps"] != 10.0 || got[len(got)-1].Answers["why"] != comment {
		t.Fatalf("stored %+v, want one more with 10 and the comment", got[before:])
	}
	noProblems(t, ctx)
}

// testForeignOrigin: the same page on an origin the study does not list:
// the API refuses it, the widget shows nothing and nothing is stored.
func (w *widgetShop) testForeignOrigin(t *testing.T) {
	n, k := len(w.stored(t)), len(w.touches(t))
	ctx := w.open(t, w.foreign, w.token(t, "foreign-1", "ru"), "ru", 1280)
	if state, shown := widgetState(t, ctx); state != "error" || shown {
		t.Errorf("on a foreign origin: %q, shown %v", state, shown)
	}
	if got, touches := len(w.stored(t)), len(w.touches(t)); got != n || touches != k {
		t.Errorf("a foreign origin stored %d responses and %d touches", got-n, touches-k)
	}
	noProblems(t, ctx)
}
