package api

import (
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestDashReportFitsA4 lays the printable report out as a printer does
// (print media, A4's 182 mm between the margins, about 688 CSS px) and
// fails if anything is wider: a browser's "Save as PDF" cuts it off.
func TestDashReportFitsA4(t *testing.T) {
	b := newBrowser(t)
	studies := []*survey.Study{
		seedResultsStudy(t, b.app.store, dashResultsSpec, 90),
		seedResultsStudy(t, b.app.store, dashNPSSpec, 150),
	}
	for _, lang := range []string{"ru", "en"} {
		ctx := b.tab(t, true)
		b.signInBrowser(t, ctx, survey.RoleAnalyst, lang)
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatal(err)
		}
		cdpDo(t, ctx, "the width of A4 between its margins", chromedp.EmulateViewport(688, 1000))
		for _, st := range studies {
			cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+st.ID+"/report?segment=age")
			if w := cdpEval[float64](t, ctx, `document.documentElement.scrollWidth`); w > 688 {
				t.Errorf("%s report of %s is %v px wide; too wide: %s", lang, st.Kind, w,
					cdpEval[string](t, ctx, `[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 689).slice(0, 5).map(e => e.tagName + "." + e.className).join(", ")`))
			}
		}
	}
}
