package api

import (
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// designReport is the report with its cells and waves blocks.
type designReport struct {
	Metrics []map[string]any
	Health  results.Health
	Cells   *struct {
		Correction string
		Cells      []struct {
			Cell    string
			Counts  results.GroupCounts
			Metrics []map[string]any
		}
		Pairs []struct {
			A, B    string
			Metrics []results.PairMetric
		}
	}
	Waves *results.WavesReport
}

// answerArm mints links for n respondents with the given link fields and
// answers them: the first yes say yes to recall.
func answerArm(t *testing.T, app *testApp, st survey.Study, prefix string, link map[string]any, n, yes int) {
	t.Helper()
	resp := make([]map[string]any, n)
	for i := range resp {
		r := map[string]any{"rid": fmt.Sprintf("%s-%d", prefix, i)}
		for k, v := range link {
			r[k] = v
		}
		resp[i] = r
	}
	for i, l := range app.links(st, resp...) {
		recall := "no"
		if i < yes {
			recall = "yes"
		}
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token,
			"answers": map[string]any{"recall": recall, "nps": i % 11, "csat": 1 + i%5}}).status(http.StatusCreated)
	}
}

func cellMetric(ms []map[string]any, question string) map[string]any {
	for _, m := range ms {
		if m["question"] == question {
			return m
		}
	}
	return nil
}

// TestTwoCellStudy: control 12/60, video_a 18/60, video_b 33/60 through
// signed links on both databases. Each cell's recall lift is the stats
// package's comparison with control; the Holm values are statsmodels'
// multipletests(method="holm") of proportions_ztest's p-values
// (0.20590321073206852 and 7.50131946654589e-05); the pair b - a has
// proportions_ztest([33, 18], [60, 60]) p 0.005606454833117003 and
// confint_proportions_2indep(method="newcomb", alpha=0.1)
// [0.10169815850801475, 0.3834255012425759].
func TestTwoCellStudy(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		cells := []map[string]any{{"key": "video_a", "name": map[string]string{"ru": "Ролик А", "en": "Video A"}},
			{"key": "video_b", "name": map[string]string{"ru": "Ролик Б", "en": "Video B"}}}
		st := app.launched(func(b map[string]any) {
			b["cells"], b["control_share"] = cells, 1.0/3
		})
		if len(st.Cells) != 2 || !st.PlannedSplit {
			t.Fatalf("study cells %+v planned %v", st.Cells, st.PlannedSplit)
		}
		// Links: an exposed respondent needs a cell, control has none.
		for _, bad := range []map[string]any{{"rid": "x", "group": "exposed"}, {"rid": "x", "group": "exposed", "cell": "video_c"},
			{"rid": "x", "group": "control", "cell": "video_a"}, {"rid": "x", "group": "exposed", "cell": "video_a", "wave": "pre"}} {
			p := app.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer, map[string]any{"respondents": []any{bad}}).
				status(http.StatusUnprocessableEntity).problem()
			if f := p.fields(); len(f) != 1 || !strings.HasPrefix(f[0], "respondents[0].") {
				t.Errorf("link %v: fields %v", bad, f)
			}
		}
		// A token minted by hand in the documented format, without c.
		secret, err := base64.RawURLEncoding.DecodeString(st.Secret)
		if err != nil || len(secret) != 32 {
			t.Fatalf("secret %q: %v", st.Secret, err)
		}
		raw := (&survey.Token{Study: st.PublicKey, RID: "hand", Group: survey.GroupExposed}).Sign(secret)
		p := app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": raw, "answers": exampleAnswers}).status(http.StatusBadRequest).problem()
		if !strings.Contains(p.Detail, "needs c") {
			t.Errorf("token without a cell: %q", p.Detail)
		}
		answerArm(t, app, st, "c", map[string]any{"group": "control"}, 60, 12)
		answerArm(t, app, st, "a", map[string]any{"group": "exposed", "cell": "video_a"}, 60, 18)
		answerArm(t, app, st, "b", map[string]any{"group": "exposed", "cell": "video_b"}, 60, 33)

		var r designReport
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if pooled := cellMetric(r.Metrics, "recall"); pooled["exposed"].(map[string]any)["n"] != 120.0 {
			t.Errorf("pooled recall %v", pooled)
		}
		if r.Cells == nil || r.Cells.Correction != "holm" || len(r.Cells.Cells) != 2 {
			t.Fatalf("cells %+v", r.Cells)
		}
		holm := []float64{0.20590321073206852, 0.0001500263893309178}
		for i, c := range r.Cells.Cells {
			yes := []int64{18, 33}[i]
			want := stats.CompareProportions(stats.Count{Positive: yes, N: 60}, stats.Count{Positive: 12, N: 60}, 0.9)
			m := cellMetric(c.Metrics, "recall")
			near(t, c.Cell+" abs_lift", m["abs_lift"], want.AbsLift)
			near(t, c.Cell+" abs_lift_ci", m["abs_lift_ci"], want.AbsLiftCI.Lo, want.AbsLiftCI.Hi)
			near(t, c.Cell+" p_value", m["p_value"], want.PValue)
			near(t, c.Cell+" p_value_adjusted", m["p_value_adjusted"], holm[i])
			if m["adjustment"] != "holm" || m["significant"] != (holm[i] < 0.1) {
				t.Errorf("%s: adjustment %v significant %v", c.Cell, m["adjustment"], m["significant"])
			}
			if c.Counts.Exposed != 60 || c.Counts.Control != 60 {
				t.Errorf("%s counts %+v", c.Cell, c.Counts)
			}
			if nps := cellMetric(c.Metrics, "nps"); nps["adjustment"] != "holm" {
				t.Errorf("%s nps not adjusted: %v", c.Cell, nps)
			}
		}
		if len(r.Cells.Pairs) != 1 {
			t.Fatalf("pairs %+v", r.Cells.Pairs)
		}
		var pair *results.PairMetric
		for i := range r.Cells.Pairs[0].Metrics {
			if r.Cells.Pairs[0].Metrics[i].Question == "recall" {
				pair = &r.Cells.Pairs[0].Metrics[i]
			}
		}
		if pair == nil || pair.Measure != "rate" || !pair.Significant {
			t.Fatalf("recall pair %+v", pair)
		}
		near(t, "pair p", pair.PValue, 0.005606454833117003)
		near(t, "pair ci", []any{pair.DiffCI.Lo, pair.DiffCI.Hi}, 0.10169815850801475, 0.3834255012425759)
		if s := r.Health.SRM; s == nil || len(s.Observed) != 3 || s.Mismatch || len(r.Health.Progress) != 3 {
			t.Errorf("srm %+v progress %+v", s, r.Health.Progress)
		}
		// The export carries the cell; group stays exposed or control.
		csv := app.do("GET", "/api/v1/studies/"+st.ID+"/responses?format=csv", survey.RoleAnalyst, nil).status(http.StatusOK).Body.String()
		lines := strings.Split(strings.TrimPrefix(csv, "\ufeff"), "\n")
		if !strings.HasPrefix(lines[0], "response_id,group,status,flags,cell,") {
			t.Fatalf("export header %q", lines[0])
		}
		byCell := map[string]int{}
		for _, l := range lines[1:] {
			if f := strings.Split(l, ","); len(f) > 4 {
				byCell[f[1]+"/"+f[4]]++
			}
		}
		if byCell["control/"] != 60 || byCell["exposed/video_a"] != 60 || byCell["exposed/video_b"] != 60 {
			t.Errorf("export rows by group/cell %v", byCell)
		}
		// The report files carry the cells: a row per cell and metric with
		// the Holm value, and the pairs; the XLSX sheets equal the CSVs.
		_, rows, _ := reportCSV(t, app, st.ID, "&section=cells")
		for _, row := range rows {
			if row["question"] == "recall" {
				i := map[string]int{"video_a": 0, "video_b": 1}[row["cell"]]
				if p, _ := strconv.ParseFloat(row["p_value_adjusted"], 64); math.Abs(p-holm[i]) > 1e-9*holm[i] || row["adjustment"] != "holm" {
					t.Errorf("cells file %s: p_value_adjusted %s, want %v", row["cell"], row["p_value_adjusted"], holm[i])
				}
			}
		}
		_, pairs, _ := reportCSV(t, app, st.ID, "&section=cell_pairs")
		if len(pairs) != 3 || pairs[0]["a"] != "video_a" || pairs[0]["b"] != "video_b" {
			t.Errorf("pairs file %v", pairs)
		}
		checkSheetsMatchCSV(t, app, st.ID, "", "metrics", "cells", "cell_pairs", "targets", "health", "methods", "summary")
	})
}

// TestCellQuotas: target_per_group counts per cell.
func TestCellQuotas(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) {
			b["cells"] = []map[string]any{{"key": "a"}, {"key": "b"}}
			b["target_per_group"] = 2
		})
		answerArm(t, app, st, "a", map[string]any{"group": "exposed", "cell": "a"}, 2, 1)
		l := app.links(st, map[string]any{"rid": "a-3", "group": "exposed", "cell": "a"}, map[string]any{"rid": "b-1", "group": "exposed", "cell": "b"})
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l[0].Token, "answers": exampleAnswers}).status(http.StatusConflict)
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l[1].Token, "answers": exampleAnswers}).status(http.StatusCreated)
	})
}

// TestHoldoutCells: the assignment answer names an exposed respondent's
// cell, and the stored response lands in that cell.
func TestHoldoutCells(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) {
			b["assignment"], b["control_share"] = "holdout", 0.2
			b["cells"] = []map[string]any{{"key": "a", "share": 0.75}, {"key": "b", "share": 0.25}}
		})
		seen := map[string]int{}
		var exposedRID string
		for i := range 400 {
			var a Assignment
			app.do("GET", fmt.Sprintf("/api/v1/public/studies/%s/assignment?rid=u-%d", st.PublicKey, i), "", nil).status(http.StatusOK).decode(&a)
			seen[string(a.Group)+":"+a.Cell]++
			if (a.Group == survey.GroupExposed) != (a.Cell != "") {
				t.Fatalf("rid u-%d: %+v", i, a)
			}
			if a.Cell == "b" {
				exposedRID = fmt.Sprintf("u-%d", i)
			}
		}
		// 400 draws at 20% / 60% / 20%: each within five standard errors.
		for k, share := range map[string]float64{"control:": 0.2, "exposed:a": 0.6, "exposed:b": 0.2} {
			if sd := math.Sqrt(400 * share * (1 - share)); math.Abs(float64(seen[k])-400*share) > 5*sd {
				t.Errorf("%s: %d of 400, expected about %.0f", k, seen[k], 400*share)
			}
		}
		l := app.links(st, map[string]any{"rid": exposedRID})
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l[0].Token, "answers": exampleAnswers}).status(http.StatusCreated)
		var r designReport
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if r.Cells.Cells[1].Counts.Exposed != 1 || r.Cells.Cells[0].Counts.Exposed != 0 {
			t.Errorf("cell counts %+v", r.Cells.Cells)
		}
	})
}

// TestWaveStudy: pre 12/60 exposed and 11/60 control, post 27/60 and
// 13/60. The difference-in-differences (0.45 - 0.2167) - (0.2 - 0.1833)
// with both lifts' unpooled variances: numpy and scipy give 0.21666666666666665,
// SE 0.11007152556742701, p 0.04902007273552441, 90% interval
// [0.03561511861300262, 0.39771821472033064]; the whole wave moved from
// 23/120 to 40/120: +0.14166666666666664, p 0.011505217450510993.
func TestWaveStudy(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		past := time.Now().Add(-48 * time.Hour).UTC()
		st := app.launched(func(b map[string]any) {
			b["control_share"], b["planned_split"] = 0.5, false
			b["waves"] = []map[string]any{{"key": "pre", "name": map[string]string{"ru": "До кампании", "en": "Before"}}, {"key": "post"}, {"key": "old", "ends_at": past}}
		})
		answerArm(t, app, st, "pe", map[string]any{"group": "exposed", "wave": "pre"}, 60, 12)
		answerArm(t, app, st, "pc", map[string]any{"group": "control", "wave": "pre"}, 60, 11)
		answerArm(t, app, st, "qe", map[string]any{"group": "exposed", "wave": "post"}, 60, 27)
		answerArm(t, app, st, "qc", map[string]any{"group": "control", "wave": "post"}, 60, 13)
		// A wave past its end takes nothing; nor does a link without a
		// wave when no wave's dates contain today.
		for _, w := range []string{"old", ""} {
			l := app.links(st, map[string]any{"rid": "late-" + w, "group": "exposed", "wave": w})
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l[0].Token, "answers": exampleAnswers}).status(http.StatusConflict)
		}
		var r designReport
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if r.Waves == nil || r.Waves.Main != "post" || len(r.Waves.Comparisons) != 2 {
			t.Fatalf("waves %+v", r.Waves)
		}
		if m := cellMetric(r.Metrics, "recall"); m["exposed"].(map[string]any)["positive"] != 27.0 {
			t.Errorf("headline is not the post wave: %v", m)
		}
		cmp := r.Waves.Comparisons[0]
		var did, change *results.PeriodChange
		for i := range cmp.DiffInDiff {
			if cmp.DiffInDiff[i].Question == "recall" {
				did = &cmp.DiffInDiff[i]
			}
		}
		for i := range cmp.Change {
			if cmp.Change[i].Question == "recall" {
				change = &cmp.Change[i]
			}
		}
		if did == nil || change == nil {
			t.Fatalf("comparison %+v", cmp)
		}
		near(t, "did", did.Diff, 0.21666666666666665)
		near(t, "did se", did.SE, 0.11007152556742701)
		near(t, "did p", did.PValue, 0.04902007273552441)
		near(t, "did ci", []any{did.DiffCI.Lo, did.DiffCI.Hi}, 0.03561511861300262, 0.39771821472033064)
		near(t, "change", change.Diff, 0.14166666666666664)
		near(t, "change p", change.PValue, 0.011505217450510993)
		if r.Waves.Comparisons[1].Reason == "" {
			t.Errorf("the empty old wave has a difference-in-differences: %+v", r.Waves.Comparisons[1])
		}
		var trend struct{ Periods []struct{ Waves []string } }
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/trend?interval=day", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&trend)
		if len(trend.Periods) != 1 || strings.Join(trend.Periods[0].Waves, ",") != "pre,post" {
			t.Errorf("trend periods %+v", trend.Periods)
		}
		_, cmpRows, _ := reportCSV(t, app, st.ID, "&section=wave_comparisons")
		found := false
		for _, row := range cmpRows {
			if row["comparison"] == "diff_in_diff" && row["question"] == "recall" {
				found = true
				if d, _ := strconv.ParseFloat(row["diff"], 64); math.Abs(d-0.21666666666666665) > 1e-12 {
					t.Errorf("wave file diff-in-diff %s", row["diff"])
				}
			}
		}
		if !found {
			t.Errorf("wave comparisons file %v", cmpRows)
		}
		checkSheetsMatchCSV(t, app, st.ID, "", "metrics", "waves", "wave_comparisons", "targets", "health", "methods", "summary")
		csv := app.do("GET", "/api/v1/studies/"+st.ID+"/responses?format=csv", survey.RoleAnalyst, nil).status(http.StatusOK).Body.String()
		if !strings.Contains(strings.SplitN(csv, "\n", 2)[0], ",wave,") || strings.Count(csv, ",pre,") != 120 {
			t.Errorf("export header %q, %d pre rows", strings.SplitN(csv, "\n", 2)[0], strings.Count(csv, ",pre,"))
		}
	})
}

// TestExposureCells: in an exposure study the creative the pixel last
// recorded puts an exposed respondent in its cell; a creative of no cell
// counts in the pooled exposed group only.
func TestExposureCells(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) {
			b["assignment"] = "exposure"
			b["cells"] = []map[string]any{{"key": "short", "creatives": []string{"v15"}}, {"key": "long", "creatives": []string{"v30", "v30b"}}}
		})
		for rid, creative := range map[string]string{"r1": "v15", "r2": "v30b", "r3": "banner"} {
			app.do("GET", "/px/"+st.PublicKey+"?rid="+rid+"&creative="+creative, "", nil).status(http.StatusOK)
		}
		for _, rid := range []string{"r1", "r2", "r3", "r4"} {
			l := app.links(st, map[string]any{"rid": rid})
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l[0].Token, "answers": exampleAnswers}).status(http.StatusCreated)
		}
		var r designReport
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		got := map[string]int64{}
		for _, c := range r.Cells.Cells {
			got[c.Cell] = c.Counts.Exposed
		}
		if got["short"] != 1 || got["long"] != 1 || r.Cells.Cells[0].Counts.Control != 1 {
			t.Errorf("cells %v, control %d", got, r.Cells.Cells[0].Counts.Control)
		}
		if m := cellMetric(r.Metrics, "recall"); m["exposed"].(map[string]any)["n"] != 3.0 {
			t.Errorf("pooled exposed %v, want 3 (one creative in no cell)", m["exposed"])
		}
	})
}
