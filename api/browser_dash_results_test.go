package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/api/tabular/tabulartest"
	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestDashResultsBrowser drives the results pages in Chromium: the
// selectors, the language switch, the downloads read back, the printable
// report printed to PDF, and screenshots of every page.
func TestDashResultsBrowser(t *testing.T) {
	b := newBrowser(t)
	st := seedResultsStudy(t, b.app.store, dashResultsSpec, 90)
	nps := seedResultsStudy(t, b.app.store, dashNPSSpec, 150)
	t.Run("ResultsSelectorsAndDownloads", func(t *testing.T) { b.testDashResultsFlow(t, st) })
	t.Run("ReportPDF", func(t *testing.T) { b.testDashResultsPDF(t, st, nps) })
	t.Run("Screens", func(t *testing.T) { b.testDashResultsScreens(t, st, nps) })
	t.Logf("screenshots in %s", b.shots)
}

func (b *browser) testDashResultsFlow(t *testing.T, st *survey.Study) {
	a := b.as(t)
	ctx := b.tab(t, true)
	b.signInBrowser(t, ctx, survey.RoleAnalyst, "en")
	if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+st.ID+"/results"); status != http.StatusOK {
		t.Fatalf("results page: %d", status)
	}
	noProblems(t, ctx)
	// The first headline card says what the API's numbers say.
	var r reportJSON
	a.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
	m := metric(r, "recall")
	ci := m["abs_lift_ci"].([]any)
	want := headlineText("en", "Ad recall", m["abs_lift"].(float64), ci[0].(float64), ci[1].(float64), "90%")
	got := cdpEval[string](t, ctx, `document.querySelector("[data-headline] .rs-sentence").textContent`)
	if !strings.HasPrefix(got, want) {
		t.Errorf("headline %q, want it to start %q", got, want)
	}
	// The selectors are a GET form: choose a segment and a confidence.
	cdpDo(t, ctx, "choose a segment", chromedp.SetValue("#rs-segment", "age"), chromedp.SetValue("#rs-confidence", "0.95"))
	if status := cdpSubmit(t, ctx, chromedp.Click(`.rs-form button[type=submit]`)); status != http.StatusOK {
		t.Fatalf("apply the selectors: %d", status)
	}
	cdpWait(t, ctx, "the segmented view", `location.search.includes("segment=age") && location.search.includes("confidence=0.95") && document.readyState === "complete"`)
	if !cdpEval[bool](t, ctx, `document.querySelector("#segments-h").textContent.includes("Age") && document.body.textContent.includes("95% CI")`) {
		t.Error("the segmented view shows no age segments or no 95% interval")
	}
	noProblems(t, ctx)
	// The language switch keeps the view.
	cdpDo(t, ctx, "switch to Russian", chromedp.Click(`.who button[name=lang]`))
	cdpWait(t, ctx, "the page in Russian", `document.readyState === "complete" && document.documentElement.lang === "ru"`)
	if !cdpEval[bool](t, ctx, `location.search.includes("segment=age") && document.querySelector("[data-headline] h3").textContent === "Запоминаемость рекламы"`) {
		t.Error("after the switch: not the same view, or the headline is not in Russian")
	}
	noProblems(t, ctx)

	// Download the raw CSV and the report XLSX with the page's session.
	hrefs := cdpEval[[]string](t, ctx, `[...document.querySelectorAll(".rs-exports a[download]")].map(a => a.getAttribute("href"))`)
	find := func(part string) string {
		for _, h := range hrefs {
			if strings.Contains(h, part) {
				return h
			}
		}
		t.Fatalf("no download link with %q among %v", part, hrefs)
		return ""
	}
	csvText := fetchInPage(t, ctx, find("responses?format=csv"), false)
	rows, err := csv.NewReader(strings.NewReader(csvText)).ReadAll()
	if err != nil {
		t.Fatalf("read the CSV back: %v", err)
	}
	if len(rows) != 1+180 || rows[0][0] != "response_id" {
		t.Errorf("CSV: %d rows, header %v; want 181 rows starting response_id", len(rows), rows[0])
	}
	xlsx := fetchInPage(t, ctx, find("results?format=xlsx"), true)
	raw, err := base64.StdEncoding.DecodeString(xlsx)
	if err != nil {
		t.Fatal(err)
	}
	sheets := tabulartest.ReadXLSX(t, raw)
	// A sheet per section of the report (api/export_report.go), the segments
	// among them since the view has one.
	names := map[string]bool{}
	for _, sh := range sheets {
		names[sh.Name] = true
	}
	if len(sheets) < 2 || sheets[0].Name != "metrics" || len(sheets[0].Rows) < 5 || !names["segments"] {
		t.Fatalf("report XLSX: %d sheets, the first %q", len(sheets), sheets[0].Name)
	}
	if !strings.Contains(find("results?format=xlsx"), "segment=age") || !strings.Contains(find("results?format=xlsx"), "confidence=0.95") {
		t.Errorf("the report download does not carry the selectors: %s", find("results?format=xlsx"))
	}

	// The printable report from the page's link.
	report := cdpEval[string](t, ctx, `document.querySelector(".actions a.button[href*='/report?']").getAttribute("href")`)
	if status := cdpOpen(t, ctx, b.srv.URL+html.UnescapeString(report)); status != http.StatusOK {
		t.Fatalf("report: %d", status)
	}
	noProblems(t, ctx)
	if cdpEval[bool](t, ctx, `!!document.querySelector("header.top, nav, form, select")`) {
		t.Error("the printable report has a header, navigation or a form")
	}
}

// fetchInPage downloads u with the page's cookies: text, or base64 for a
// binary file.
func fetchInPage(t *testing.T, ctx context.Context, u string, binary bool) string {
	t.Helper()
	js := `fetch(` + jsString(u) + `, {credentials: "same-origin"}).then(r => { if (!r.ok) throw new Error("status " + r.status); return r.text(); })`
	if binary {
		js = `fetch(` + jsString(u) + `, {credentials: "same-origin"}).then(r => { if (!r.ok) throw new Error("status " + r.status); return r.arrayBuffer(); })
			.then(b => { let s = ""; const a = new Uint8Array(b); for (let i = 0; i < a.length; i++) s += String.fromCharCode(a[i]); return btoa(s); })`
	}
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("fetch %s: %v", u, err)
	}
	return v
}

var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)

func (b *browser) testDashResultsPDF(t *testing.T, st, nps *survey.Study) {
	for _, c := range []struct {
		st   *survey.Study
		lang string
	}{{st, "ru"}, {st, "en"}, {nps, "ru"}} {
		ctx := b.tab(t, true)
		b.signInBrowser(t, ctx, survey.RoleAnalyst, c.lang)
		if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+c.st.ID+"/report"); status != http.StatusOK {
			t.Fatalf("report: %d", status)
		}
		noProblems(t, ctx)
		yes := true
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes, PrintBackground: &yes})
		if err != nil {
			t.Fatalf("print to PDF: %v", err)
		}
		if !bytes.HasPrefix(res.Data, []byte("%PDF-")) {
			t.Fatalf("not a PDF: %q", res.Data[:min(20, len(res.Data))])
		}
		n := len(pdfPage.FindAll(res.Data, -1))
		if n < 1 || n > 4 {
			t.Errorf("%s %s report: %d pages, want 1 to 4", c.st.Kind, c.lang, n)
		}
		name := "results-report-" + string(c.st.Kind) + "-" + c.lang + ".pdf"
		for _, d := range []string{b.shots, os.Getenv(envShots)} {
			if d != "" {
				if err := os.WriteFile(filepath.Join(d, name), res.Data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		t.Logf("%s: %d pages, %d bytes", name, n, len(res.Data))
	}
}

func (b *browser) testDashResultsScreens(t *testing.T, st, nps *survey.Study) {
	for _, lang := range []string{"ru", "en"} {
		for _, width := range []int64{1280, 360} {
			ctx := b.tab(t, true)
			b.signInBrowser(t, ctx, survey.RoleAnalyst, lang)
			if width == 360 {
				cdpDo(t, ctx, "phone", phone(360))
			}
			for name, path := range map[string]string{
				"results":     "/dashboard/studies/" + st.ID + "/results",
				"results-age": "/dashboard/studies/" + st.ID + "/results?segment=age&weighting=rake",
				"nps":         "/dashboard/studies/" + nps.ID + "/results?interval=month",
				"report":      "/dashboard/studies/" + st.ID + "/report",
				"text":        "/dashboard/studies/" + st.ID + "/text/why",
			} {
				if status := cdpOpen(t, ctx, b.srv.URL+path); status != http.StatusOK {
					t.Fatalf("%s: %d", path, status)
				}
				noProblems(t, ctx)
				// Nothing may stick out sideways on a phone but what scrolls in a .table-wrap.
				if over := cdpEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
					t.Errorf("%s at %d px (%s) is %d px too wide", name, width, lang, over)
				}
				b.shot(t, ctx, "results-"+name+"-"+lang+"-"+strconv.FormatInt(width, 10))
			}
			if width == 1280 {
				cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+st.ID+"/report")
				if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
					t.Fatalf("emulate print: %v", err)
				}
				cdpDo(t, ctx, "A4 width", chromedp.EmulateViewport(794, 1123))
				b.shot(t, ctx, "results-report-print-"+lang)
			}
		}
	}
}

// TestDashResultsCaveatsBrowser drives the caveats of issue 13 in
// Chromium: the second segment select, the SRM button, and screenshots at
// 360 and 1280 px in both languages of a low-sample study, a skewed
// signed-link split, a crossed segment and the stratified view (the
// whole page, and its parts one by one to read them).
func TestDashResultsCaveatsBrowser(t *testing.T) {
	b := newBrowser(t)
	low := seedResultsStudy(t, b.app.store, dashResultsSpec, 30)
	skew := seedStudyGroups(t, b.app.store, dashResultsSpec, 150, 80)
	full := seedResultsStudy(t, b.app.store, dashResultsSpec, 90)

	// The form crosses two attributes and the SRM button shows significance anyway.
	ctx := b.tab(t, true)
	b.signInBrowser(t, ctx, survey.RoleAnalyst, "en")
	cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+full.ID+"/results")
	cdpDo(t, ctx, "cross age with gender", chromedp.SetValue("#rs-segment", "age"), chromedp.SetValue("#rs-segment2", "gender"))
	if status := cdpSubmit(t, ctx, chromedp.Click(`.rs-form button[type=submit]`)); status != http.StatusOK {
		t.Fatalf("apply the selectors: %d", status)
	}
	cdpWait(t, ctx, "the crossed view", `document.readyState === "complete" && document.querySelector("#segments-h").textContent.includes("Age × Gender")`)
	noProblems(t, ctx)
	cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+skew.ID+"/results")
	if !cdpEval[bool](t, ctx, `!!document.querySelector('.rs-srm-mismatch a.button') && !document.querySelector('.badge.sig')`) {
		t.Fatal("the skewed study shows no SRM warning with its button, or a significant badge")
	}
	if status := cdpSubmit(t, ctx, chromedp.Click(`.rs-srm-mismatch a.button`)); status != http.StatusOK {
		t.Fatalf("ignore_srm: %d", status)
	}
	cdpWait(t, ctx, "the view with the check ignored", `location.search.includes("ignore_srm=true") && !!document.querySelector('[data-srm="ignored"]')`)
	noProblems(t, ctx)

	// The crossed segment's "other" level needs one level to stand alone.
	var all apiReport
	b.as(t).apiGet(t, "/api/v1/studies/"+full.ID+"/results?segment=age,gender&min_per_group=10000", &all)
	var minimum int64
	for _, s := range all.Segments {
		minimum = max(minimum, min(s.Counts.Exposed, s.Counts.Control))
	}
	views := []struct{ name, path string }{
		{"low-sample", "/dashboard/studies/" + low.ID + "/results"},
		{"srm", "/dashboard/studies/" + skew.ID + "/results"},
		{"crossed", "/dashboard/studies/" + full.ID + "/results?segment=age&segment2=gender&min_per_group=" + strconv.FormatInt(minimum, 10)},
		{"stratified", "/dashboard/studies/" + full.ID + "/results?weighting=stratify&by=age&by=gender"},
	}
	parts := []struct{ name, sel string }{
		{"form", `form.rs-form`},
		{"banners", `main > .rs-srm, main > .warning, main > .notice`},
		{"headlines", `section[aria-labelledby="headlines-h"]`},
		{"metric", `#metric-0`},
		{"scores", `section[aria-labelledby="scores-h"]`},
		{"segments", `section[aria-labelledby="segments-h"]`},
		{"stratified", `section[aria-labelledby="stratified-h"]`},
		{"trend", `section[aria-labelledby="trend-h"]`},
		{"health", `section[aria-labelledby="health-h"]`},
	}
	for _, lang := range []string{"ru", "en"} {
		for _, width := range []int64{1280, 360} {
			for _, v := range views {
				ctx := b.tab(t, true) // a tab each: a tab has 20 s, and a phone's full page takes a few
				b.signInBrowser(t, ctx, survey.RoleAnalyst, lang)
				if width == 360 {
					cdpDo(t, ctx, "phone", phone(360))
				} else {
					cdpDo(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900))
				}
				if status := cdpOpen(t, ctx, b.srv.URL+v.path); status != http.StatusOK {
					t.Fatalf("%s: %d", v.path, status)
				}
				noProblems(t, ctx)
				if over := cdpEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
					t.Errorf("%s at %d px (%s) is %d px too wide", v.name, width, lang, over)
				}
				name := "caveats-" + v.name + "-" + lang + "-" + strconv.FormatInt(width, 10)
				b.shot(t, ctx, name)
				for _, p := range parts {
					if !cdpEval[bool](t, ctx, `!!document.querySelector(`+jsString(p.sel)+`)`) {
						continue
					}
					b.shotOf(t, ctx, p.sel, name+"-"+p.name)
				}
			}
		}
	}
}

// shotOf saves a PNG of the first element sel matches.
func (b *browser) shotOf(t *testing.T, ctx context.Context, sel, name string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.Screenshot(sel))
	if err != nil {
		t.Fatalf("screenshot %s of %s: %v", name, sel, err)
	}
	for _, d := range []string{b.shots, os.Getenv(envShots)} {
		if d != "" {
			if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
