package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/api/tabular/tabulartest"
	"github.com/brandlift/brandlift/survey"
)

// seedReport submits n responses per group straight through the store:
// exposed recall lower than control (a negative lift), every question type.
func seedReport(t *testing.T, app *testApp, st survey.Study, groups []survey.Group, n int) {
	t.Helper()
	full, err := app.store.Study(t.Context(), st.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		for i := range n {
			recall := "no"
			if i%5 < 2 || (g == survey.GroupControl && i%5 == 2) {
				recall = "yes"
			}
			brands := []any{"acme"}
			switch {
			case i%3 == 1:
				brands = []any{"rival"}
			case i%3 == 2 && g != survey.GroupExposed:
				brands = []any{"none"}
			}
			answers := map[string]any{"recall": recall, "nps": json.Number(strconv.Itoa(i % 11)),
				"csat": json.Number(strconv.Itoa(1 + i%5)), "brands": brands}
			if i%4 == 0 {
				answers["why"] = fmt.Sprint("ответ ", i)
			}
			age := []string{"25-34", "35-44"}[i%2]
			tok := full.SignToken(&survey.Token{RID: fmt.Sprint(g, "-", i), Group: g, Attrs: map[string]string{"age": age}})
			if _, err := app.store.Submit(t.Context(), survey.SubmitRequest{Token: tok, Answers: answers}); err != nil {
				t.Fatalf("submit %s %d: %v", g, i, err)
			}
		}
	}
}

// reportJSON fetches the JSON report as generic maps.
func exportedReportJSON(app *testApp, studyID, query string) map[string]any {
	var r map[string]any
	app.do("GET", "/api/v1/studies/"+studyID+"/results"+query, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
	return r
}

// reportCSV fetches the report as CSV records keyed by column name.
func reportCSV(t *testing.T, app *testApp, studyID, query string) (header []string, rows []map[string]string, raw string) {
	t.Helper()
	res := app.do("GET", "/api/v1/studies/"+studyID+"/results?format=csv"+query, survey.RoleAnalyst, nil).status(http.StatusOK)
	checkAttachment(t, res, responseFormats["csv"].contentType, "brandlift-"+studyID+"-results"+
		map[bool]string{true: "-by-age", false: ""}[strings.Contains(query, "segment=age")]+".csv")
	recs, err := csv.NewReader(strings.NewReader(res.Body.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, f := range rec {
			m[recs[0][i]] = f
		}
		rows = append(rows, m)
	}
	return recs[0], rows, res.Body.String()
}

// metricPath reads a dotted path of a metric; a number index reads a CI end.
func metricPath(m map[string]any, path string) any {
	var v any = m
	for _, p := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i, _ := strconv.Atoi(p)
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// reportColumns maps CSV columns to the JSON report, per metric type.
var reportColumns = map[string]map[string]string{
	"lift": {
		"metric": "metric", "option": "option",
		"control_n": "control.n", "control_positive": "control.positive", "control_rate": "control.rate",
		"control_ci_low": "control.ci.0", "control_ci_high": "control.ci.1",
		"exposed_n": "exposed.n", "exposed_positive": "exposed.positive", "exposed_rate": "exposed.rate",
		"exposed_ci_low": "exposed.ci.0", "exposed_ci_high": "exposed.ci.1",
		"abs_lift": "abs_lift", "abs_lift_ci_low": "abs_lift_ci.0", "abs_lift_ci_high": "abs_lift_ci.1",
		"rel_lift": "rel_lift", "rel_lift_ci_low": "rel_lift_ci.0", "rel_lift_ci_high": "rel_lift_ci.1",
		"headroom_lift": "headroom_lift", "headroom_lift_ci_low": "headroom_lift_ci.0",
		"p_value": "p_value", "p_value_fisher": "p_value_fisher", "q_value": "q_value",
		"prob_positive": "prob_positive", "significant": "significant",
		"lifted_users": "lifted_users", "lifted_users_ci_low": "lifted_users_ci.0",
		"cost_per_lifted_user": "cost_per_lifted_user", "cost_per_lifted_user_ci_high": "cost_per_lifted_user_ci.1",
		"mde": "mde", "target_lift": "target_lift", "n_needed_per_group": "n_needed_per_group",
		"p_value_sequential": "sequential.p_value_sequential",
	},
	"nps": {
		"control_n": "control.n", "control_nps": "control.nps", "control_ci_low": "control.ci.0", "control_ci_high": "control.ci.1",
		"control_promoters": "control.promoters", "control_passives": "control.passives", "control_detractors": "control.detractors",
		"exposed_nps": "exposed.nps", "exposed_ci_high": "exposed.ci.1",
		"diff": "diff", "diff_ci_low": "diff_ci.0", "diff_ci_high": "diff_ci.1", "p_value": "p_value",
	},
	"rating": {
		"control_n": "control.n", "control_mean": "control.mean", "control_ci_low": "control.mean_ci.0",
		"control_ci_high": "control.mean_ci.1", "control_sd": "control.sd", "control_top2box": "control.top2box",
		"control_top2box_ci_low": "control.top2box_ci.0", "exposed_mean": "exposed.mean", "exposed_top2box_ci_high": "exposed.top2box_ci.1",
		"diff": "mean_diff", "diff_ci_low": "mean_diff_ci.0", "p_value": "p_value",
	},
	"text": {"control_n": "answered.control", "exposed_n": "answered.exposed"},
}

// sameAsJSON compares a CSV field with a JSON value: the same number, the
// same boolean, the same string, or empty for null.
func sameAsJSON(field string, v any) bool {
	switch v := v.(type) {
	case nil:
		return field == ""
	case float64:
		f, err := strconv.ParseFloat(field, 64)
		return err == nil && f == v
	case bool:
		return field == strconv.FormatBool(v)
	case string:
		return field == v
	}
	return false
}

// TestReportExport: one CSV row per metric of the JSON report, with the
// same numbers; negative lifts are numbers, not neutralised text; XLSX has
// the same rows and a summary sheet.
func TestReportExport(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		seedReport(t, app, st, []survey.Group{survey.GroupExposed, survey.GroupControl}, 60)
		rep := exportedReportJSON(app, st.ID, "")
		metrics := rep["metrics"].([]any)
		header, rows, raw := reportCSV(t, app, st.ID, "")
		if missing := hasAll(header, "question", "option", "type", "metric", "status", "control_n", "exposed_rate",
			"abs_lift_ci_low", "p_value_fisher", "q_value", "significant", "lifted_users", "cost_per_lifted_user",
			"mde", "n_needed_per_group", "control_nps", "exposed_mean", "exposed_top2box", "diff", "min_per_group"); len(missing) > 0 {
			t.Fatalf("header lacks %v", missing)
		}
		if len(rows) != len(metrics) {
			t.Fatalf("%d rows for %d metrics", len(rows), len(metrics))
		}
		types := map[string]int{}
		for i, mv := range metrics {
			m := mv.(map[string]any)
			row := rows[i]
			typ := m["type"].(string)
			types[typ]++
			if row["question"] != m["question"] || row["type"] != typ || row["status"] != "ok" {
				t.Errorf("row %d %v for metric %v", i, row, m)
			}
			for col, path := range reportColumns[typ] {
				if v := metricPath(m, path); !sameAsJSON(row[col], v) {
					t.Errorf("%s %s/%s: csv %s=%q, json %s=%v", typ, m["question"], m["option"], col, row[col], path, v)
				}
			}
			if typ == "lift" && m["question"] == "recall" {
				if !strings.HasPrefix(row["abs_lift"], "-") || !strings.Contains(raw, ","+row["abs_lift"]+",") {
					t.Errorf("negative lift written as %q", row["abs_lift"])
				}
			}
		}
		if types["lift"] < 2 || types["nps"] != 1 || types["rating"] != 1 || types["text"] != 1 {
			t.Errorf("metric types %v", types)
		}

		// XLSX: the same table, and the summary.
		res := app.do("GET", "/api/v1/studies/"+st.ID+"/results?format=xlsx", survey.RoleAnalyst, nil).status(http.StatusOK)
		checkAttachment(t, res, responseFormats["xlsx"].contentType, "brandlift-"+st.ID+"-results.xlsx")
		sheets := tabulartest.ReadXLSX(t, res.Body.Bytes())
		if len(sheets) != 2 || sheets[0].Name != "results" || sheets[1].Name != "summary" {
			t.Fatalf("sheets %v", sheets)
		}
		if len(sheets[0].Rows) != len(rows)+1 {
			t.Fatalf("xlsx has %d rows, csv %d", len(sheets[0].Rows)-1, len(rows))
		}
		for i, r := range sheets[0].Rows[1:] {
			for j, name := range header {
				var c *tabulartest.XLSXCell
				if j < len(r) {
					c = r[j]
				}
				got := ""
				switch {
				case c == nil:
				case c.T == "inlineStr":
					got = c.Text
				case c.T == "b":
					got = map[string]string{"1": "true", "0": "false"}[c.V]
				default:
					got = c.V
				}
				if want := rows[i][name]; got != want {
					if a, err1 := strconv.ParseFloat(got, 64); err1 != nil || a != floatOr(want) {
						t.Errorf("xlsx row %d %s: %q, csv %q", i, name, got, want)
					}
				}
			}
		}
		if rows[0]["question"] != "recall" || len(sheets[0].Rows[1]) < 2 || sheets[0].Rows[1][1] != nil {
			t.Errorf("a metric without option has an option cell: %+v", sheets[0].Rows[1])
		}
		summary := map[string]*tabulartest.XLSXCell{}
		for _, r := range sheets[1].Rows[1:] {
			summary[r[0].Text] = r[1]
		}
		for k, want := range map[string]string{"counts.exposed": "60", "counts.control": "60", "health.enough_data": "1", "kind": "brand_lift"} {
			c := summary[k]
			if c == nil || (c.V != want && c.Text != want) {
				t.Errorf("summary %s: %+v, want %s", k, c, want)
			}
		}
		if c := summary["generated_at"]; c == nil || c.S != tabulartest.TimeStyle {
			t.Errorf("generated_at %+v", c)
		}

		// A segmented report adds its levels' rows after the overall ones.
		segHeader, segRows, _ := reportCSV(t, app, st.ID, "&segment=age")
		seg := exportedReportJSON(app, st.ID, "?segment=age")
		want := len(seg["metrics"].([]any))
		for _, s := range seg["segments"].([]any) {
			want += len(s.(map[string]any)["metrics"].([]any))
		}
		if segHeader[0] != "segment" || segHeader[1] != "level" || len(segRows) != want {
			t.Errorf("segmented: header %v, %d rows, want %d", segHeader[:2], len(segRows), want)
		}
		if last := segRows[len(segRows)-1]; last["segment"] != "age" || last["level"] == "" {
			t.Errorf("last segmented row %v", last)
		}

		// Weighted: effective n per group.
		_, wRows, _ := reportCSV(t, app, st.ID, "&weighting=rake")
		if wRows[0]["control_effective_n"] == "" {
			t.Errorf("weighted report without effective n: %v", wRows[0])
		}

		p := app.do("GET", "/api/v1/studies/"+st.ID+"/results?format=pdf", survey.RoleAnalyst, nil).status(http.StatusBadRequest).problem()
		if fmt.Sprint(p.ValidValues) != "[json csv xlsx]" {
			t.Errorf("valid values %v", p.ValidValues)
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?format=csv&delimiter=pipe", survey.RoleAnalyst, nil).
			status(http.StatusBadRequest).problem()
		semi := app.getUnchecked("/api/v1/studies/"+st.ID+"/results?format=csv&bom=1&delimiter=semicolon", survey.RoleAnalyst).
			status(http.StatusOK).Body.String()
		if !strings.HasPrefix(semi, "\uFEFFquestion;option;type;") {
			t.Errorf("semicolon report starts %q", semi[:40])
		}
	})
}

func floatOr(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -12345.678
	}
	return f
}

// TestReportExportWithheld: too few responses give not_enough_data rows
// with the counts and the minimum; an nps study has all_ columns and no
// comparison.
func TestReportExportWithheld(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		seedReport(t, app, st, []survey.Group{survey.GroupExposed, survey.GroupControl}, 3)
		metrics := exportedReportJSON(app, st.ID, "")["metrics"].([]any)
		_, rows, _ := reportCSV(t, app, st.ID, "")
		if len(rows) != len(metrics) {
			t.Fatalf("%d rows for %d metrics", len(rows), len(metrics))
		}
		withheld := 0
		for i, r := range rows {
			m := metrics[i].(map[string]any)
			if m["status"] != "not_enough_data" {
				continue
			}
			withheld++
			option, _ := m["option"].(string)
			if r["status"] != "not_enough_data" || r["min_per_group"] != "50" || r["control_n"] != "3" || r["exposed_n"] != "3" ||
				r["abs_lift"] != "" || r["option"] != option || r["question"] != m["question"] {
				t.Errorf("withheld row %v for %v", r, m)
			}
		}
		if withheld == 0 {
			t.Errorf("no withheld metric with 3 responses per group")
		}

		nps := exportStudyWith(app, func(b map[string]any) {
			b["kind"] = "nps"
			delete(b, "control_share")
			delete(b, "weighting")
		})
		seedReport(t, app, nps, []survey.Group{""}, 55)
		header, rows, _ := reportCSV(t, app, nps.ID, "")
		if len(hasAll(header, "all_n", "all_rate", "all_nps", "all_mean")) > 0 || len(hasAll(header, "control_n")) == 0 ||
			len(hasAll(header, "abs_lift")) == 0 {
			t.Errorf("nps study header %v", header)
		}
		for _, r := range rows {
			if r["type"] == "nps" && (r["all_n"] != "55" || r["all_nps"] == "") {
				t.Errorf("nps row %v", r)
			}
		}
	})
}
