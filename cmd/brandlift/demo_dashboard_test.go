package main

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/api"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/chromedp/chromedp"
)

// envDocsShots names the folder that receives the README's screenshot of
// the demo study's results page (docs, to refresh it).
const envDocsShots = "BRANDLIFT_DOCS_SHOTS"

// checkDemoDashboard is the first run as a new user makes it: sign in with
// the credentials the demo printed, open the demo study from the list, read
// the ad-recall headline, switch the segment and the language, and find it
// again. It saves the results page as the README shows it.
func checkDemoDashboard(t *testing.T, s *store.Store, email, password string) {
	const chromium = "/usr/bin/chromium"
	if testing.Short() {
		t.Skip("browser tests run in the plain run, not with -short")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("needs Debian's chromium at %s", chromium)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: s, Logger: testLog(t), Version: "test"}).Handler())
	defer srv.Close()
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), chromedp.ExecPath(chromium), chromedp.Headless,
		chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900))
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTime := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTime()
	do := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	waitFor := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.readyState === "complete" && (`+expr+`)`))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not so after 15 s (%v); page: %.400s", what, err, eval(`document.body ? document.body.innerText : ""`))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	headline := `[...document.querySelectorAll("[data-headline]")].map(c => c.innerText).find(s => s.startsWith(%q)) || ""`

	do("open the sign-in page", chromedp.Navigate(srv.URL+"/login?lang=ru"))
	do("sign in with the printed credentials", chromedp.SendKeys("#email", email), chromedp.SendKeys("#password", password),
		chromedp.Click(`button[type=submit].primary`))
	waitFor("the studies list", `location.pathname === "/dashboard" && document.body.innerText.includes("Весенняя кампания Acme")`)
	do("open the demo study", chromedp.Click(`//a[text()="Весенняя кампания Acme"]`))
	waitFor("the study page", `location.pathname.startsWith("/dashboard/studies/")`)
	do("open its results", chromedp.Click(`nav.tabs a[href$="/results"]`))
	waitFor("the results page", `location.pathname.endsWith("/results") && !!document.querySelector("[data-headline]")`)
	recall := eval(strings.Replace(headline, "%q", `"Запоминаемость рекламы"`, 1))
	if !strings.Contains(recall, "статистически значимо") || !strings.Contains(recall, "п.\u00a0п.") {
		t.Errorf("the ad-recall headline reads %q", recall)
	}

	do("choose the age segment", chromedp.SetValue("#rs-segment", "age"), chromedp.Click(`form.rs-form button[type=submit]`))
	waitFor("the age segment", `location.search.includes("segment=age") && !!document.querySelector("#segments-h")`)
	do("switch to English", chromedp.Click(`.who button[name=lang]`))
	waitFor("the same view in English", `document.documentElement.lang === "en" && location.search.includes("segment=age") && !!document.querySelector("[data-headline]")`)
	recall = eval(strings.Replace(headline, "%q", `"Ad recall"`, 1))
	if !strings.Contains(recall, "statistically significant") || !strings.Contains(recall, "90% CI") {
		t.Errorf("the English ad-recall headline reads %q", recall)
	}

	if dir := os.Getenv(envDocsShots); dir != "" {
		do("the default view", chromedp.EmulateViewport(1280, 1700), chromedp.Navigate(strings.Split(eval(`location.href`), "?")[0]))
		waitFor("the results page", `!!document.querySelector("[data-headline]")`)
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "dashboard-results.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
