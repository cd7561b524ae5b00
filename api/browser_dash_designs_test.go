package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestDashDesignsBrowser opens a two-cell study's results, a wave
// study's results, the builder with cells (and its errors) and the links
// form in Chromium, in both languages at 360 and 1280 px: the sections'
// numbers are the report JSON's as the page words them, nothing sticks
// out sideways, and every view is a screenshot (BRANDLIFT_SHOTS).
func TestDashDesignsBrowser(t *testing.T) {
	b := newBrowser(t)
	a := b.as(t)
	cells := a.launched(func(body map[string]any) {
		body["name"] = "Acme: два ролика"
		body["cells"] = []map[string]any{{"key": "video_15s", "name": map[string]string{"ru": "Ролик 15 секунд", "en": "15-second video"}},
			{"key": "video_30s", "name": map[string]string{"ru": "Ролик 30 секунд", "en": "30-second video"}}}
		body["control_share"] = 1.0 / 3
	})
	answerArm(t, a, cells, "c", map[string]any{"group": "control"}, 60, 12)
	answerArm(t, a, cells, "a", map[string]any{"group": "exposed", "cell": "video_15s"}, 60, 18)
	answerArm(t, a, cells, "b", map[string]any{"group": "exposed", "cell": "video_30s"}, 60, 33)
	past := time.Now().Add(-48 * time.Hour).UTC()
	waves := a.launched(func(body map[string]any) {
		body["name"] = "Acme: до и после кампании"
		body["control_share"], body["planned_split"] = 0.5, false
		body["waves"] = []map[string]any{{"key": "pre", "name": map[string]string{"ru": "Нулевой опрос (до кампании)", "en": "Pre-campaign wave"}},
			{"key": "post", "name": map[string]string{"ru": "После кампании", "en": "Post-campaign wave"}}, {"key": "old", "ends_at": past}}
	})
	answerArm(t, a, waves, "pe", map[string]any{"group": "exposed", "wave": "pre"}, 60, 12)
	answerArm(t, a, waves, "pc", map[string]any{"group": "control", "wave": "pre"}, 60, 11)
	answerArm(t, a, waves, "qe", map[string]any{"group": "exposed", "wave": "post"}, 60, 27)
	answerArm(t, a, waves, "qc", map[string]any{"group": "control", "wave": "post"}, 60, 13)
	draft := exampleStudy(t)
	draft["name"] = "Acme: черновик с креативами"
	draft["category"] = "fmcg"
	draft["cells"] = []map[string]any{{"key": "video_a", "name": map[string]string{"ru": "Ролик А", "en": "Video A"}, "share": 0.5, "creatives": []string{"v15", "v15b"}},
		{"key": "video_b", "name": map[string]string{"ru": "Ролик Б", "en": "Video B"}, "share": 0.5}}
	builder := a.createStudy(draft)

	var cr, wr designReport
	a.do("GET", "/api/v1/studies/"+cells.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&cr)
	a.do("GET", "/api/v1/studies/"+waves.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&wr)
	if cr.Cells == nil || wr.Waves == nil {
		t.Fatalf("the reports have no cells or waves: %+v %+v", cr.Cells, wr.Waves)
	}

	for _, lang := range []string{"ru", "en"} {
		for _, width := range []int64{1280, 360} {
			suffix := "-" + lang + "-" + strconv.FormatInt(width, 10)
			open := func(path string) *pageTab {
				ctx := b.tab(t, true)
				b.signInBrowser(t, ctx, survey.RoleMarketer, lang)
				if width == 360 {
					cdpDo(t, ctx, "phone", phone(360))
				} else {
					cdpDo(t, ctx, "desktop", chromedp.EmulateViewport(1280, 900))
				}
				if status := cdpOpen(t, ctx, b.srv.URL+path); status != http.StatusOK {
					t.Fatalf("%s: %d", path, status)
				}
				noProblems(t, ctx)
				if over := cdpEval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
					t.Errorf("%s at %d px (%s) is %d px too wide: %v", path, width, lang, over, cdpEval[[]string](t, ctx, sticksOut))
				}
				return &pageTab{t: t, b: b, ctx: ctx}
			}

			p := open("/dashboard/studies/" + cells.ID + "/results")
			for i, c := range cr.Cells.Cells {
				m := cellMetric(c.Metrics, "recall")
				row := `#cells-m-0-control tr[data-row="` + c.Cell + `"]`
				adj := m["p_value_adjusted"].(float64)
				p.cellIs(row+` td[data-col="3"]`, frontend.PP(lang, m["abs_lift"].(float64))+" ("+ppRange(lang, ivOf(m["abs_lift_ci"]))+")")
				p.cellIs(row+` td[data-col="4"]`, adjustedP(lang, &adj, m["p_value"].(float64)))
				p.cellIs(row+` td[data-col="1"]`, frontend.Int(lang, c.Counts.Exposed)+" / "+frontend.Int(lang, c.Counts.Control))
				if sig := p.text(row + ` .ds-verdict`); (m["significant"] == true) != strings.HasPrefix(sig, frontend.T(lang, "verdict_sig")) {
					t.Errorf("cell %d (%s): verdict %q, significant %v", i, lang, sig, m["significant"])
				}
			}
			for _, pm := range cr.Cells.Pairs[0].Metrics {
				if pm.Question == "recall" {
					row := `#cells-m-0-pairs tr[data-row="video_15s/video_30s"]`
					p.cellIs(row+` td[data-col="3"]`, frontend.PP(lang, pm.Diff)+" ("+ppRange(lang, pm.DiffCI)+")")
					p.cellIs(row+` td[data-col="4"]`, adjustedP(lang, &pm.PValueAdjusted, pm.PValue))
				}
			}
			if !strings.Contains(p.text(`section[data-cells] > p`), frontend.T(lang, "ds_correction_holm")) {
				t.Errorf("the cells section (%s) does not name the correction", lang)
			}
			b.shot(t, p.ctx, "designs-cells"+suffix)
			b.shotOf(t, p.ctx, `section[data-cells]`, "designs-cells-section"+suffix)
			b.shotOf(t, p.ctx, `section[aria-labelledby="health-h"]`, "designs-cells-health"+suffix)
			b.shotOf(t, p.ctx, `#cells-m-0`, "designs-cells-recall"+suffix)

			p = open("/dashboard/studies/" + waves.ID + "/results")
			cmp := wr.Waves.Comparisons[0]
			for _, ch := range cmp.DiffInDiff {
				if ch.Question == "recall" {
					row := `#waves-c-0-did tr[data-row="recall//abs_lift"]`
					p.cellIs(row+` td[data-col="3"]`, changeDiff(lang, ch.Measure, ch.Diff)+" ("+changeRange(lang, ch)+")")
					p.cellIs(row+` td[data-col="4"]`, pValue(lang, ch.PValue))
				}
			}
			for _, ch := range cmp.Change {
				if ch.Question == "recall" {
					p.cellIs(`#waves-c-0-change tr[data-row="recall//rate"] td[data-col="3"]`, changeDiff(lang, ch.Measure, ch.Diff)+" ("+changeRange(lang, ch)+")")
				}
			}
			for _, w := range wr.Waves.Waves {
				p.cellIs(`#waves-counts tr[data-row="`+w.Wave+`"] td[data-col="2"]`, frontend.Int(lang, w.Counts.Exposed))
			}
			if note := p.text(`[data-design-note="waves-c-1-did"]`); !strings.Contains(note, frontend.T(lang, "rs_why_no_did")) {
				t.Errorf("the empty wave's comparison (%s) says %q", lang, note)
			}
			b.shot(t, p.ctx, "designs-waves"+suffix)
			b.shotOf(t, p.ctx, `section[data-waves]`, "designs-waves-section"+suffix)
			b.shotOf(t, p.ctx, `#waves-c-0`, "designs-waves-comparison"+suffix)
			b.shotOf(t, p.ctx, `section[aria-labelledby="health-h"]`, "designs-waves-health"+suffix)

			p = open("/dashboard/studies/" + builder.ID + "/edit")
			if got := p.value("#c-0-creatives") + "|" + p.value("#c-1-share") + "|" + p.value("#f-category"); got != "v15, v15b|"+formFloat(lang, 0.5)+"|fmcg" {
				t.Errorf("builder (%s): %q", lang, got)
			}
			b.shotOf(t, p.ctx, `fieldset[data-design]`, "designs-builder"+suffix)
			// Two cells with one key: the store's error next to the field.
			cdpDo(t, p.ctx, "same keys", chromedp.SetValue("#c-1-key", "video_a"), chromedp.SetValue("#c-0-share", "2"))
			if status := cdpSubmit(t, p.ctx, chromedp.Click(`.bld-bar button[value=save]`)); status != http.StatusUnprocessableEntity {
				t.Fatalf("builder with the same keys: %d", status)
			}
			if msg := p.text("#c-1-key-err"); !strings.Contains(msg, "video_a") {
				t.Errorf("builder (%s): the duplicate key's error %q", lang, msg)
			}
			if over := cdpEval[int](t, p.ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("builder errors at %d px (%s) are %d px too wide", width, lang, over)
			}
			b.shot(t, p.ctx, "designs-builder-errors"+suffix)
			b.shotOf(t, p.ctx, `fieldset[data-design]`, "designs-builder-errors-fieldset"+suffix)

			p = open("/dashboard/studies/" + cells.ID + "/edit")
			if !p.exists(`[data-frozen-cells]`) || p.exists(`#c-0-key`) {
				t.Errorf("the launched study's builder (%s) lets its cells change", lang)
			}
			b.shotOf(t, p.ctx, `fieldset[data-design]`, "designs-builder-frozen"+suffix)

			p = open("/dashboard/studies/" + cells.ID + "/integration")
			if n := cdpEval[int](t, p.ctx, `document.querySelectorAll("#cell option").length`); n != 3 {
				t.Errorf("links form (%s): %d cell options, want 3", lang, n)
			}
			b.shotOf(t, p.ctx, `form.links-form`, "designs-links-cells"+suffix)
			p = open("/dashboard/studies/" + waves.ID + "/integration")
			if n := cdpEval[int](t, p.ctx, `document.querySelectorAll("#wave option").length`); n != 4 {
				t.Errorf("links form (%s): %d wave options, want 4", lang, n)
			}
			b.shotOf(t, p.ctx, `form.links-form`, "designs-links-waves"+suffix)
		}
	}
	// The printable report carries both sections, on A4.
	for _, st := range []survey.Study{cells, waves} {
		for _, lang := range []string{"ru", "en"} {
			ctx := b.tab(t, true)
			b.signInBrowser(t, ctx, survey.RoleAnalyst, lang)
			if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+st.ID+"/report"); status != http.StatusOK {
				t.Fatalf("report: %d", status)
			}
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
				t.Fatalf("emulate print: %v", err)
			}
			cdpDo(t, ctx, "A4 width", chromedp.EmulateViewport(794, 1123))
			sel := `section[data-cells]`
			if st.ID == waves.ID {
				sel = `section[data-waves]`
			}
			if over := cdpEval[int](t, ctx, `Math.ceil(Math.max(...[...document.querySelectorAll(`+jsString(sel+" table")+`)].map(e => e.getBoundingClientRect().right)) - document.documentElement.clientWidth)`); over > 0 {
				t.Errorf("report %s (%s): a design table is %d px wider than A4", st.Name, lang, over)
			}
			b.shotOf(t, ctx, sel, "designs-report-"+map[bool]string{true: "waves", false: "cells"}[st.ID == waves.ID]+"-"+lang)
		}
	}
	t.Logf("screenshots in %s", b.shots)
}

// pageTab is an open page with its checks.
type pageTab struct {
	t   *testing.T
	b   *browser
	ctx context.Context
}

func (p *pageTab) text(sel string) string {
	p.t.Helper()
	return cdpEval[string](p.t, p.ctx, `(document.querySelector(`+jsString(sel)+`) || {textContent: "(no `+strings.ReplaceAll(sel, `"`, `'`)+`)"}).textContent.trim()`)
}

func (p *pageTab) value(sel string) string {
	p.t.Helper()
	return cdpEval[string](p.t, p.ctx, `(document.querySelector(`+jsString(sel)+`) || {value: ""}).value`)
}

func (p *pageTab) exists(sel string) bool {
	p.t.Helper()
	return cdpEval[bool](p.t, p.ctx, `!!document.querySelector(`+jsString(sel)+`)`)
}

// cellIs checks that the table cell sel reads want.
func (p *pageTab) cellIs(sel, want string) {
	p.t.Helper()
	if got := p.text(sel); got != want {
		p.t.Errorf("%s: %q, want %q", sel, got, want)
	}
}

// ivOf reads an interval of the report's JSON ([lo, hi]).
func ivOf(v any) stats.Interval {
	xs, _ := v.([]any)
	if len(xs) != 2 {
		return stats.Interval{}
	}
	lo, _ := xs[0].(float64)
	hi, _ := xs[1].(float64)
	return stats.Interval{Lo: lo, Hi: hi}
}

// sticksOut lists the elements that reach past the page's right edge,
// not counting those inside a scrolling .table-wrap.
const sticksOut = `[...document.querySelectorAll("body *")].filter(e => !e.closest(".table-wrap") && e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
	.slice(0, 8).map(e => e.tagName + "." + e.className + "#" + e.id + " " + Math.round(e.getBoundingClientRect().right))`
