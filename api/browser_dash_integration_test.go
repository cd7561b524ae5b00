package api

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/chromedp"
)

// TestDashIntegrationBrowser drives the integration panel and the admin
// pages in Chromium: links minted from pasted ids, the secret revealed,
// and screenshots of every page at 1280 and 360 px in both languages.
func TestDashIntegrationBrowser(t *testing.T) {
	b := newBrowser(t)
	t.Run("LinksAndSecret", b.testIntegrationLinksAndSecret)
	t.Run("Screens", b.testIntegrationScreens)
	t.Logf("screenshots in %s", b.shots)
}

func (b *browser) testIntegrationLinksAndSecret(t *testing.T) {
	a := b.as(t)
	st := a.launched(nil)
	ctx := b.tab(t, true)
	b.signInBrowser(t, ctx, survey.RoleMarketer, "en")
	if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+st.ID+"/integration"); status != http.StatusOK {
		t.Fatalf("integration page: %d", status)
	}
	cdpWait(t, ctx, "the copy buttons shown by dash.js", `[...document.querySelectorAll("button[data-copy]")].every(b => !b.hidden)`)
	cdpDo(t, ctx, "paste three ids",
		chromedp.SendKeys("#rids", "b-1\nb-2,control\nb-3,exposed,age=25-34"),
		chromedp.SetValue("#group", "exposed"))
	// The form's answer is a download; headless Chromium keeps downloads
	// out of reach, so the page posts the same form with fetch and reads
	// the answer, as the browser would save it.
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
		const f = document.querySelector("form.links-form");
		const r = await fetch(f.action, {method: "POST", body: new FormData(f), credentials: "same-origin"});
		return r.status + "|" + r.headers.get("Content-Disposition") + "|" + await r.text();
	})()`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("post the links form: %v", err)
	}
	parts := strings.SplitN(got, "|", 3)
	if len(parts) != 3 || parts[0] != "200" || !strings.HasPrefix(parts[1], "attachment;") {
		t.Fatalf("links form answer %.300q", got)
	}
	lines := strings.Split(strings.TrimSpace(strings.TrimPrefix(parts[2], "\uFEFF")), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[2], "b-2,control,"+b.app.srv.cfg.BaseURL+"/s/"+st.PublicKey+"?t=") {
		t.Fatalf("links CSV %q", parts[2])
	}
	noProblems(t, ctx)

	if strings.Contains(cdpEval[string](t, ctx, `document.documentElement.outerHTML`), st.Secret) {
		t.Fatal("the page carries the secret before the reveal")
	}
	if status := cdpSubmit(t, ctx, chromedp.Click(`form[action$="/secret"] button`)); status != http.StatusOK {
		t.Fatalf("reveal: %d", status)
	}
	if v := cdpEval[string](t, ctx, `document.querySelector("#secret-value").value`); v != st.Secret {
		t.Errorf("revealed %q, want the study's secret", v)
	}
	noProblems(t, ctx)
}

// viewShot scrolls sel to the top and saves what the screen shows.
func (b *browser) viewShot(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	cdpEval[bool](t, ctx, `document.querySelector("`+sel+`").scrollIntoView(), true`)
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	for _, d := range []string{b.shots, os.Getenv(envShots)} {
		if d != "" {
			if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func (b *browser) testIntegrationScreens(t *testing.T) {
	a := b.as(t)
	holdout := a.launched(holdoutStudy)
	exposure := a.launched(exposureStudy)
	for i := range 3 {
		a.store.Audit(t.Context(), "user:anna@example.com", "study.update", holdout.ID, map[string]any{"note": "правка " + strconv.Itoa(i)})
	}
	for _, lang := range []string{"ru", "en"} {
		ctx := b.tab(t, true)
		b.signInBrowser(t, ctx, survey.RoleAdmin, lang)
		pages := []struct{ name, path string }{
			{"integration-holdout", "/dashboard/studies/" + holdout.ID + "/integration"},
			{"integration-exposure", "/dashboard/studies/" + exposure.ID + "/integration"},
			{"admin-users", "/dashboard/admin/users"},
			{"admin-keys", "/dashboard/admin/keys"},
			{"admin-audit", "/dashboard/admin/audit"},
		}
		for _, width := range []int64{1280, 360} {
			if width == 360 {
				cdpDo(t, ctx, "phone", phone(360))
			} else {
				cdpDo(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900))
			}
			for _, p := range pages {
				if status := cdpOpen(t, ctx, b.srv.URL+p.path); status != http.StatusOK {
					t.Fatalf("%s: %d", p.path, status)
				}
				cdpWait(t, ctx, "loaded", `document.readyState === "complete"`)
				if w := cdpEval[float64](t, ctx, `document.documentElement.scrollWidth`); w > float64(width)+1 {
					t.Errorf("%s at %d px (%s) is %v px wide: it scrolls sideways", p.name, width, lang, w)
				}
				noProblems(t, ctx)
				b.shot(t, ctx, p.name+"-"+lang+"-"+strconv.FormatInt(width, 10))
				if width == 360 && strings.HasPrefix(p.name, "integration") {
					// A long page at phone width: also the parts that matter, at readable size.
					for _, sel := range []string{"#links-h", "#url-h", "#pixel-h", "#token-h", "#secret-h"} {
						if cdpEval[bool](t, ctx, `!!document.querySelector("`+sel+`")`) {
							b.viewShot(t, ctx, sel, p.name+"-"+lang+"-360-"+strings.TrimSuffix(sel[1:], "-h"))
						}
					}
				}
			}
		}
	}
}
