package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium; .ci/browser installs it.
const chromiumPath = "/usr/bin/chromium"

// envShots names a folder that receives a copy of every screenshot the
// browser tests take, for a person to look at (for example
// BRANDLIFT_SHOTS=/tmp/brandlift-shots). The tests always write them to a
// temporary folder too.
const envShots = "BRANDLIFT_SHOTS"

// browser is one headless Chromium shared by the browser tests, and the
// real app on SQLite behind an httptest.Server.
type browser struct {
	ctx   context.Context // the browser; every test opens its own tab
	app   *testApp
	srv   *httptest.Server
	shots string
	gate  *gate
}

// gate stands between the browser and the app, to play a server that is
// gone (every connection dropped) or a slow network for the page's script.
type gate struct {
	down    atomic.Bool
	busy    atomic.Int64 // form posts still to answer 503, as a database that is briefly away
	delayJS atomic.Int64 // milliseconds before survey.js is answered
}

func (g *gate) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if g.down.Load() {
			if hj, ok := w.(http.Hijacker); ok {
				if conn, _, err := hj.Hijack(); err == nil {
					conn.Close() // as a stopped server: no answer at all
					return
				}
			}
		}
		if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/s/") && g.busy.Add(-1) >= 0 {
			w.Header().Set("Retry-After", "1")
			http.Error(w, "briefly away", http.StatusServiceUnavailable)
			return
		}
		if ms := g.delayJS.Load(); ms > 0 && strings.HasPrefix(r.URL.Path, "/static/survey.") && strings.HasSuffix(r.URL.Path, ".js") {
			time.Sleep(time.Duration(ms) * time.Millisecond)
		}
		next.ServeHTTP(w, r)
	})
}

// newBrowser starts Chromium and the app, or skips the test when Chromium
// is not installed.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if testing.Short() {
		// The race run (.ci/run) is -short: under the race detector a
		// browser test times Chromium, not our code, which the in-process
		// tests drive there.
		t.Skip("browser tests run in the plain run, not with -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("browser tests need Debian's chromium at %s (bash .ci/browser installs it)", chromiumPath)
	}
	app := newTestApp(t, surveytest.New(t, store.SQLite))
	g := &gate{}
	srv := httptest.NewServer(g.wrap(app.srv.Handler()))
	t.Cleanup(srv.Close)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-features", "Translate"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return &browser{ctx: ctx, app: app, srv: srv, shots: t.TempDir(), gate: g}
}

// tab opens a new tab, with JavaScript on or off, closed when t ends.
func (b *browser) tab(t *testing.T, script bool) context.Context {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	ctx, cancelTime := context.WithTimeout(ctx, 20*time.Second)
	t.Cleanup(cancelTime)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	// Transitions off, so that a screenshot shows the settled state.
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
	}); err != nil {
		t.Fatalf("emulate reduced motion: %v", err)
	}
	if script {
		if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchProblems}); err != nil {
			t.Fatalf("watch for errors: %v", err)
		}
	} else {
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
	}
	return ctx
}

// as returns the app with its checks reporting to t.
func (b *browser) as(t *testing.T) *testApp {
	a := *b.app
	a.t = t
	return &a
}

// launch creates and launches a study through the API and mints a link
// token for each of n respondents of the exposed group.
func (b *browser) launch(t *testing.T, body map[string]any, n int) (survey.Study, []string) {
	t.Helper()
	a := b.as(t)
	st := a.createStudy(body)
	a.do("POST", "/api/v1/studies/"+st.ID+"/launch", survey.RoleMarketer, nil).status(http.StatusOK)
	var req LinksRequest
	for i := range n {
		req.Respondents = append(req.Respondents, LinkRespondent{RID: "browser-" + st.ID + "-" + strconv.Itoa(i), Group: survey.GroupExposed})
	}
	var out struct{ Links []Link }
	a.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer, req).status(http.StatusOK).decode(&out)
	tokens := make([]string, len(out.Links))
	for i, l := range out.Links {
		tokens[i] = l.Token
	}
	return st, tokens
}

// pageURL is the respondent page of a token in a language.
func (b *browser) pageURL(st survey.Study, token, lang string) string {
	return b.srv.URL + "/s/" + st.PublicKey + "?t=" + url.QueryEscape(token) + "&lang=" + lang
}

// storedResponse is one response as the database holds it.
type storedResponse struct {
	Answers     map[string]any
	ConsentHash string
}

// responses reads a study's stored responses straight from the database.
func (b *browser) responses(t *testing.T, studyID string) []storedResponse {
	t.Helper()
	rows, err := b.app.store.DB().Raw("SELECT answers, consent_hash FROM responses WHERE study_id = ?", studyID).Rows()
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []storedResponse
	for rows.Next() {
		var raw, consent string
		if err := rows.Scan(&raw, &consent); err != nil {
			t.Fatal(err)
		}
		s := storedResponse{ConsentHash: consent}
		if err := json.Unmarshal([]byte(raw), &s.Answers); err != nil {
			t.Fatalf("answers %q: %v", raw, err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// shot saves a full-page PNG screenshot under name.png.
func (b *browser) shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dirs := []string{b.shots}
	if d := os.Getenv(envShots); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// cdpDo runs actions in the tab and fails the test on an error.
func cdpDo(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// cdpEval evaluates a JavaScript expression in the page.
func cdpEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// cdpOpen navigates to u and returns the HTTP status of the page.
func cdpOpen(t *testing.T, ctx context.Context, u string) int64 {
	t.Helper()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		t.Fatalf("open %s: %v", u, err)
	}
	return res.Status
}

// cdpSubmit runs the actions that post the form and returns the HTTP status
// of the page the browser lands on (after redirects).
func cdpSubmit(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) int64 {
	t.Helper()
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return res.Status
}

// cdpWait waits until expr is true in the page, through navigations
// that cut an evaluation off (those are tried again).
func cdpWait(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		done, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
		if err == nil && done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not so after 10 s (last error: %v)", what, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cdpSubmitJS runs the actions that submit the enhanced page, which posts
// in the background and then opens the thank-you page, and waits for it.
func cdpSubmitJS(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	cdpDo(t, ctx, "submit", actions...)
	cdpWait(t, ctx, "the thank-you page after submitting",
		`location.pathname.endsWith("/thanks") && document.readyState === "complete" && !!document.querySelector(".msg-thanks")`)
}

// phone emulates a touch screen of the given width.
func phone(width int64) chromedp.Action[chromedp.Void] {
	return chromedp.EmulateViewport(width, 740, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
}

// tap taps the element that sel finds, as a finger does (touch events, then
// the click the browser makes of them).
func tap(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Tap(chromedp.CSS(sel))
}

// waitStep waits until step id is the one on screen.
func waitStep(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`[...document.querySelectorAll(".step")].filter(s => s.offsetParent !== null).map(s => s.id).join(",") === "` + id + `"`)
}

// visibleSteps lists the ids of the steps on screen.
func visibleSteps(t *testing.T, ctx context.Context) string {
	t.Helper()
	return cdpEval[string](t, ctx, `[...document.querySelectorAll(".step")].filter(s => s.offsetParent !== null).map(s => s.id).join(",")`)
}

// checkedValues returns the values of the checked inputs named name, comma-separated.
func checkedValues(t *testing.T, ctx context.Context, name string) string {
	t.Helper()
	return cdpEval[string](t, ctx, `[...document.querySelectorAll('input[name="`+name+`"]:checked')].map(i => i.value).join(",")`)
}

// pressEnter presses the Enter key as a keyboard does: a key down that the page
// may cancel, then a key up. (chromedp.KeyEvent(kb.Enter) also sends a
// separate "char" event, which would type a line break into the textarea
// that the page has just focused in response to the key down.)
var pressEnter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13,
		})
		if err != nil {
			return err
		}
	}
	return nil
})

// pressCtrlEnter presses Ctrl+Enter on a physical keyboard.
var pressCtrlEnter = chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
	for _, typ := range []input.DispatchKeyEventType{input.DispatchKeyEventTypeRawKeyDown, input.DispatchKeyEventTypeKeyUp} {
		_, err := cdp.Call(ctx, t, input.DispatchKeyEvent, input.DispatchKeyEventParams{
			Type: typ, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13, Modifiers: 2, // Ctrl
		})
		if err != nil {
			return err
		}
	}
	return nil
})

// watchProblems runs before the page's own scripts and records script
// errors and Content-Security-Policy violations (an inline style or
// handler that the page's policy blocks).
const watchProblems = `window.__problems = [];
addEventListener("error", e => __problems.push("error: " + e.message));
document.addEventListener("securitypolicyviolation", e => __problems.push("csp: " + e.violatedDirective + " " + e.blockedURI));`

// noProblems fails the test if the page had script errors or CSP violations.
func noProblems(t *testing.T, ctx context.Context) {
	t.Helper()
	if p := cdpEval[[]string](t, ctx, `window.__problems || ["the watcher did not run"]`); len(p) > 0 {
		t.Errorf("page problems: %v", p)
	}
}
