package api

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/api/tabular/tabulartest"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
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

// reportCSV fetches the report as CSV records keyed by column name,
// checking the file's name: -by-<segment> and -<section> but for metrics.
func reportCSV(t *testing.T, app *testApp, studyID, query string) (header []string, rows []map[string]string, raw string) {
	t.Helper()
	res := app.do("GET", "/api/v1/studies/"+studyID+"/results?format=csv"+query, survey.RoleAnalyst, nil).status(http.StatusOK)
	q, _ := url.ParseQuery(strings.TrimPrefix(query, "&"))
	name := "brandlift-" + studyID + "-results"
	if seg := q.Get("segment"); seg != "" {
		name += "-by-" + seg
	}
	if sec := q.Get("section"); sec != "" && sec != "metrics" {
		name += "-" + sec
	}
	checkAttachment(t, res, responseFormats["csv"].contentType, name+".csv")
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

// legacyReportHeader is the metrics CSV header of a brand-lift study as
// the first release wrote it: users' scripts read these columns by name
// and position, so every later header must start with them.
var legacyReportHeader = strings.Split("question,option,type,metric,status,"+
	"control_n,control_positive,control_rate,control_nps,control_mean,control_ci_low,control_ci_high,control_effective_n,"+
	"control_promoters,control_passives,control_detractors,control_sd,control_top2box,control_top2box_ci_low,control_top2box_ci_high,"+
	"exposed_n,exposed_positive,exposed_rate,exposed_nps,exposed_mean,exposed_ci_low,exposed_ci_high,exposed_effective_n,"+
	"exposed_promoters,exposed_passives,exposed_detractors,exposed_sd,exposed_top2box,exposed_top2box_ci_low,exposed_top2box_ci_high,"+
	"abs_lift,abs_lift_ci_low,abs_lift_ci_high,rel_lift,rel_lift_ci_low,rel_lift_ci_high,"+
	"headroom_lift,headroom_lift_ci_low,headroom_lift_ci_high,diff,diff_ci_low,diff_ci_high,"+
	"p_value,p_value_fisher,q_value,prob_positive,significant,p_value_sequential,lifted_users,lifted_users_ci_low,lifted_users_ci_high,"+
	"cost_per_lifted_user,cost_per_lifted_user_ci_low,cost_per_lifted_user_ci_high,mde,target_lift,n_needed_per_group,min_per_group,notes", ",")

// sequentialColumns map the sequential_ columns to the JSON's sequential
// object, for every comparison.
var sequentialColumns = map[string]string{
	"p_value_sequential": "sequential.p_value_sequential", "sequential_abs_lift": "sequential.abs_lift",
	"sequential_cs_low": "sequential.abs_lift_cs.0", "sequential_cs_high": "sequential.abs_lift_cs.1",
	"sequential_tuning": "sequential.tuning", "sequential_rho2": "sequential.rho2", "sequential_defined": "sequential.defined",
	"sequential_reason": "sequential.reason",
}

// verdictColumns are the verdict of every comparison.
var verdictColumns = map[string]string{"q_value": "q_value", "significant": "significant",
	"significant_by": "significant_by", "low_sample": "low_sample"}

// reportColumns maps CSV columns to the JSON report, per metric type.
var reportColumns = map[string]map[string]string{
	"lift": merge(sequentialColumns, verdictColumns, map[string]string{
		"metric": "metric", "option": "option",
		"control_n": "control.n", "control_positive": "control.positive", "control_rate": "control.rate",
		"control_ci_low": "control.ci.0", "control_ci_high": "control.ci.1",
		"exposed_n": "exposed.n", "exposed_positive": "exposed.positive", "exposed_rate": "exposed.rate",
		"exposed_ci_low": "exposed.ci.0", "exposed_ci_high": "exposed.ci.1",
		"abs_lift": "abs_lift", "abs_lift_ci_low": "abs_lift_ci.0", "abs_lift_ci_high": "abs_lift_ci.1",
		"rel_lift": "rel_lift", "rel_lift_ci_low": "rel_lift_ci.0", "rel_lift_ci_high": "rel_lift_ci.1",
		"headroom_lift": "headroom_lift", "headroom_lift_ci_low": "headroom_lift_ci.0", "headroom_lift_ci_high": "headroom_lift_ci.1",
		"p_value": "p_value", "p_value_fisher": "p_value_fisher", "prob_positive": "prob_positive",
		"lifted_users": "lifted_users", "lifted_users_ci_low": "lifted_users_ci.0",
		"cost_per_lifted_user": "cost_per_lifted_user", "cost_per_lifted_user_ci_high": "cost_per_lifted_user_ci.1",
		"mde": "mde", "target_lift": "target_lift", "n_needed_per_group": "n_needed_per_group",
		"z": "z", "p_value_one_sided": "p_value_one_sided", "abs_lift_se": "abs_lift_se",
		"abs_lift_wald_ci_low": "abs_lift_wald_ci.0", "abs_lift_wald_ci_high": "abs_lift_wald_ci.1", "notes": "notes",
	}),
	"nps": merge(sequentialColumns, verdictColumns, map[string]string{
		"control_n": "control.n", "control_nps": "control.nps", "control_ci_low": "control.ci.0", "control_ci_high": "control.ci.1",
		"control_promoters": "control.promoters", "control_passives": "control.passives", "control_detractors": "control.detractors",
		"exposed_nps": "exposed.nps", "exposed_ci_high": "exposed.ci.1",
		"diff": "diff", "diff_ci_low": "diff_ci.0", "diff_ci_high": "diff_ci.1", "p_value": "p_value", "notes": "notes",
	}),
	"rating": merge(sequentialColumns, verdictColumns, map[string]string{
		"control_n": "control.n", "control_mean": "control.mean", "control_ci_low": "control.mean_ci.0",
		"control_ci_high": "control.mean_ci.1", "control_sd": "control.sd", "control_top2box": "control.top2box",
		"control_top2box_ci_low": "control.top2box_ci.0", "exposed_mean": "exposed.mean", "exposed_top2box_ci_high": "exposed.top2box_ci.1",
		"diff": "mean_diff", "diff_ci_low": "mean_diff_ci.0", "p_value": "p_value", "scale": "scale", "notes": "notes",
	}),
	"text": {"control_n": "answered.control", "exposed_n": "answered.exposed"},
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
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

// checkMetricRows compares CSV rows with the JSON metrics they stand for.
func checkMetricRows(t *testing.T, rows []map[string]string, metrics []any) map[string]int {
	t.Helper()
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
			v := metricPath(m, path)
			if strings.HasPrefix(path, "sequential.") && col != "sequential_defined" && col != "sequential_reason" && metricPath(m, "sequential.defined") == false {
				v = nil // left null when not defined
			}
			if !sameAsJSON(row[col], v) {
				t.Errorf("%s %s/%s: csv %s=%q, json %s=%v", typ, m["question"], m["option"], col, row[col], path, v)
			}
		}
		reasons, _ := m["reasons"].(map[string]any)
		for k, why := range reasons {
			if !strings.Contains(row["reasons"], k+": "+why.(string)) {
				t.Errorf("%s reasons %q lack %s: %s", m["question"], row["reasons"], k, why)
			}
		}
		if len(reasons) == 0 && row["reasons"] != "" {
			t.Errorf("%s reasons %q, none in the JSON", m["question"], row["reasons"])
		}
		if typ == "rating" {
			for _, g := range []string{"control", "exposed"} {
				var levels []string
				for _, n := range metricPath(m, g+".levels").([]any) {
					levels = append(levels, strconv.FormatFloat(n.(float64), 'f', -1, 64))
				}
				if row[g+"_levels"] != strings.Join(levels, " ") || len(levels) != 5 {
					t.Errorf("%s levels %q, json %v", g, row[g+"_levels"], levels)
				}
			}
		}
	}
	return types
}

// cellText is an XLSX cell as the CSV writes it.
func cellText(c *tabulartest.XLSXCell) string {
	switch {
	case c == nil:
		return ""
	case c.T == "inlineStr":
		return c.Text
	case c.T == "b":
		return map[string]string{"1": "true", "0": "false"}[c.V]
	}
	return c.V
}

// sameSheetAsCSV checks that an XLSX sheet holds the CSV section's
// header and cells: the same text, booleans and numbers; instants, which
// XLSX holds as serial dates, are compared by presence.
func sameSheetAsCSV(t *testing.T, sh tabulartest.XLSXSheet, raw string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Rows) != len(recs) {
		t.Fatalf("sheet %s: %d rows, csv %d", sh.Name, len(sh.Rows), len(recs))
	}
	for i, rec := range recs {
		for j, want := range rec {
			var c *tabulartest.XLSXCell
			if j < len(sh.Rows[i]) {
				c = sh.Rows[i][j]
			}
			got := cellText(c)
			if got == want {
				continue
			}
			if c != nil && c.S == tabulartest.TimeStyle && want != "" {
				continue
			}
			if a, err := strconv.ParseFloat(got, 64); err != nil || a != floatOr(want) {
				t.Errorf("sheet %s row %d %s: xlsx %q, csv %q", sh.Name, i, recs[0][j], got, want)
			}
		}
	}
}

func floatOr(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return -12345.678
	}
	return f
}

// reportXLSX fetches the report's workbook.
func reportXLSX(t *testing.T, app *testApp, studyID, query string) []tabulartest.XLSXSheet {
	t.Helper()
	res := app.do("GET", "/api/v1/studies/"+studyID+"/results?format=xlsx"+query, survey.RoleAnalyst, nil).status(http.StatusOK)
	return tabulartest.ReadXLSX(t, res.Body.Bytes())
}

// checkSheetsMatchCSV checks the workbook's sheet names and that each
// sheet is its section's CSV file.
func checkSheetsMatchCSV(t *testing.T, app *testApp, studyID, query string, want ...string) []tabulartest.XLSXSheet {
	t.Helper()
	sheets := reportXLSX(t, app, studyID, query)
	var names []string
	for _, sh := range sheets {
		names = append(names, sh.Name)
	}
	if !slices.Equal(names, want) {
		t.Fatalf("sheets %v, want %v", names, want)
	}
	for _, sh := range sheets {
		_, _, raw := reportCSV(t, app, studyID, query+"&section="+sh.Name)
		sameSheetAsCSV(t, sh, raw)
	}
	return sheets
}

// fieldValues reads a field,value section.
func fieldValues(t *testing.T, rows []map[string]string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range rows {
		if _, dup := out[r["field"]]; dup {
			t.Errorf("field %s twice", r["field"])
		}
		out[r["field"]] = r["value"]
	}
	return out
}

// TestReportExport: one CSV row per metric of the JSON report, with the
// same numbers, the first release's columns first and in order; negative
// lifts are numbers, not neutralised text; XLSX has a sheet per section,
// each the same as the section's CSV.
func TestReportExport(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		seedReport(t, app, st, []survey.Group{survey.GroupExposed, survey.GroupControl}, 60)
		rep := exportedReportJSON(app, st.ID, "")
		metrics := rep["metrics"].([]any)
		header, rows, raw := reportCSV(t, app, st.ID, "")
		if len(header) < len(legacyReportHeader) || !slices.Equal(header[:len(legacyReportHeader)], legacyReportHeader) {
			t.Fatalf("header does not start with the first release's columns:\n%v", header)
		}
		if missing := hasAll(header[len(legacyReportHeader):], "low_sample", "significant_by", "z", "p_value_one_sided",
			"sequential_cs_low", "scale", "control_levels", "exposed_levels", "reasons"); len(missing) > 0 {
			t.Fatalf("header lacks %v", missing)
		}
		types := checkMetricRows(t, rows, metrics)
		if types["lift"] < 2 || types["nps"] != 1 || types["rating"] != 1 || types["text"] != 1 {
			t.Errorf("metric types %v", types)
		}
		for _, row := range rows {
			if row["type"] == "lift" && row["question"] == "recall" {
				if !strings.HasPrefix(row["abs_lift"], "-") || !strings.Contains(raw, ","+row["abs_lift"]+",") {
					t.Errorf("negative lift written as %q", row["abs_lift"])
				}
			}
		}

		// XLSX: a sheet per section this report has, each its CSV.
		res := app.do("GET", "/api/v1/studies/"+st.ID+"/results?format=xlsx", survey.RoleAnalyst, nil).status(http.StatusOK)
		checkAttachment(t, res, responseFormats["xlsx"].contentType, "brandlift-"+st.ID+"-results.xlsx")
		sheets := checkSheetsMatchCSV(t, app, st.ID, "", "metrics", "targets", "health", "methods", "summary")
		if rows[0]["question"] != "recall" || len(sheets[0].Rows[1]) < 2 || sheets[0].Rows[1][1] != nil {
			t.Errorf("a metric without option has an option cell: %+v", sheets[0].Rows[1])
		}
		if len(sheets[1].Rows) != 1 {
			t.Errorf("targets of a study without any: %d rows", len(sheets[1].Rows))
		}
		summary := map[string]*tabulartest.XLSXCell{}
		for _, r := range sheets[4].Rows[1:] {
			summary[r[0].Text] = r[1]
		}
		if c := summary["generated_at"]; c == nil || c.S != tabulartest.TimeStyle {
			t.Errorf("generated_at %+v", c)
		}
		_, sumRows, _ := reportCSV(t, app, st.ID, "&section=summary")
		for k, want := range map[string]string{"study_id": st.ID, "kind": "brand_lift", "confidence": "0.9", "weighting": "none",
			"include_flagged": "false", "min_per_group": "50", "significance": "fixed", "ignore_srm": "false"} {
			if got := fieldValues(t, sumRows)[k]; got != want {
				t.Errorf("summary %s = %q, want %q", k, got, want)
			}
		}

		// A segmented report adds its levels' rows after the overall ones.
		segHeader, segRows, _ := reportCSV(t, app, st.ID, "&segment=age")
		seg := exportedReportJSON(app, st.ID, "?segment=age")
		want := len(seg["metrics"].([]any))
		for _, s := range seg["segments"].([]any) {
			want += len(s.(map[string]any)["metrics"].([]any))
		}
		if segHeader[0] != "segment" || segHeader[1] != "level" || !slices.Equal(segHeader[2:2+len(legacyReportHeader)], legacyReportHeader) ||
			len(segRows) != want {
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

// TestReportExportWithheld: a group without answers gives not_enough_data
// rows with the counts, the minimum and the reason; a small group gives
// numbers marked low_sample; an nps study has all_ columns and no
// comparison.
func TestReportExportWithheld(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		seedReport(t, app, st, []survey.Group{survey.GroupExposed}, 3)
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
			if r["status"] != "not_enough_data" || !sameAsJSON(r["min_per_group"], m["min_per_group"]) || r["control_n"] != "0" ||
				r["exposed_n"] != "3" || r["abs_lift"] != "" || r["option"] != option || r["question"] != m["question"] ||
				r["notes"] != m["reason"] || r["notes"] == "" {
				t.Errorf("withheld row %v for %v", r, m)
			}
		}
		if withheld == 0 {
			t.Errorf("no withheld metric without control answers")
		}

		small := exportStudy(app)
		seedReport(t, app, small, []survey.Group{survey.GroupExposed, survey.GroupControl}, 3)
		_, rows, _ = reportCSV(t, app, small.ID, "")
		checkMetricRows(t, rows, exportedReportJSON(app, small.ID, "")["metrics"].([]any))
		if rows[0]["low_sample"] != "true" || rows[0]["significant_by"] != "fisher_exact" || rows[0]["abs_lift"] == "" {
			t.Errorf("low-sample lift row %v", rows[0])
		}

		nps := exportStudyWith(app, func(b map[string]any) {
			b["kind"] = "nps"
			delete(b, "control_share")
			delete(b, "weighting")
		})
		seedReport(t, app, nps, []survey.Group{""}, 55)
		header, rows, _ := reportCSV(t, app, nps.ID, "")
		if len(hasAll(header, "all_n", "all_rate", "all_nps", "all_mean", "all_levels", "low_sample", "scale")) > 0 ||
			len(hasAll(header, "control_n")) == 0 || len(hasAll(header, "abs_lift")) == 0 || len(hasAll(header, "significant_by")) == 0 {
			t.Errorf("nps study header %v", header)
		}
		for _, r := range rows {
			if r["type"] == "nps" && (r["all_n"] != "55" || r["all_nps"] == "" || r["low_sample"] != "false") {
				t.Errorf("nps row %v", r)
			}
		}
		checkSheetsMatchCSV(t, app, nps.ID, "", "metrics", "targets", "health", "methods", "summary")
	})
}

// TestReportSections: every part of the JSON report is in the files, as
// the CSV section of its name and as an XLSX sheet: segments (crossed),
// frequency, targets, health, weights, stratified, methods and the
// options; sections the report cannot have are refused.
func TestReportSections(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, dashResultsSpec, 150)
		const q = "&segment=age,gender&weighting=rake"
		rep := exportedReportJSON(app, st.ID, "?"+q[1:])
		checkSheetsMatchCSV(t, app, st.ID, q, "metrics", "segments", "frequency", "targets", "health", "weights", "methods", "summary")

		_, rows, _ := reportCSV(t, app, st.ID, q)
		metrics := rep["metrics"].([]any)
		segments := rep["segments"].([]any)
		var levelMetrics []any
		for _, s := range segments {
			levelMetrics = append(levelMetrics, s.(map[string]any)["metrics"].([]any)...)
		}
		checkMetricRows(t, rows[:len(metrics)], metrics)
		checkMetricRows(t, rows[len(metrics):], levelMetrics)

		header, segRows, _ := reportCSV(t, app, st.ID, q+"&section=segments")
		if !slices.Equal(header, []string{"segment", "level", "attr_age", "attr_gender", "other", "notes", "control_n", "exposed_n"}) {
			t.Errorf("segments header %v", header)
		}
		if len(segRows) != len(segments) || len(segments) < 4 {
			t.Fatalf("%d segment rows for %d levels", len(segRows), len(segments))
		}
		for i, sv := range segments {
			s, r := sv.(map[string]any), segRows[i]
			values, _ := s["values"].(map[string]any)
			var other []string
			for _, o := range metricPathList(s, "other") {
				other = append(other, o.(string))
			}
			if r["segment"] != "age,gender" || r["level"] != s["level"] || !sameAsJSON(r["attr_age"], values["age"]) ||
				!sameAsJSON(r["attr_gender"], values["gender"]) || r["other"] != strings.Join(other, "; ") ||
				!sameAsJSON(r["notes"], s["notes"]) || !sameAsJSON(r["control_n"], metricPath(s, "counts.control")) ||
				!sameAsJSON(r["exposed_n"], metricPath(s, "counts.exposed")) {
				t.Errorf("segment row %v for %v", r, s)
			}
		}

		_, freqRows, _ := reportCSV(t, app, st.ID, q+"&section=frequency")
		i := 0
		for _, fv := range rep["frequency"].([]any) {
			f := fv.(map[string]any)
			for _, bv := range f["buckets"].([]any) {
				b, r := bv.(map[string]any), freqRows[i]
				i++
				for col, want := range map[string]any{"question": f["question"], "option": f["option"], "bucket": b["bucket"],
					"control_n": metricPath(f, "control.n"), "control_positive": metricPath(f, "control.positive"),
					"control_rate": metricPath(f, "control.rate"), "control_ci_low": metricPath(f, "control.ci.0"),
					"control_ci_high": metricPath(f, "control.ci.1"), "exposed_n": b["n"], "exposed_rate": b["rate"],
					"abs_lift": b["abs_lift"], "abs_lift_ci_low": metricPath(b, "abs_lift_ci.0"),
					"abs_lift_ci_high": metricPath(b, "abs_lift_ci.1"), "p_value": b["p_value"], "enough_data": b["enough_data"]} {
					if !sameAsJSON(r[col], want) {
						t.Errorf("frequency %s/%s %s: csv %q, json %v", f["question"], b["bucket"], col, r[col], want)
					}
				}
			}
		}
		if i != len(freqRows) || i < 4 {
			t.Errorf("%d frequency rows, %d buckets in the JSON", len(freqRows), i)
		}

		_, targetRows, _ := reportCSV(t, app, st.ID, q+"&section=targets")
		targets := rep["targets"].([]any)
		if len(targetRows) != len(targets) || len(targets) != 1 {
			t.Fatalf("%d target rows for %d targets", len(targetRows), len(targets))
		}
		for i, tv := range targets {
			tg, r := tv.(map[string]any), targetRows[i]
			for col, want := range map[string]any{"question": tg["question"], "option": tg["option"], "measure": tg["measure"],
				"target": tg["target"], "deadline": tg["deadline"], "estimate": tg["estimate"], "ci_low": metricPath(tg, "ci.0"),
				"ci_high": metricPath(tg, "ci.1"), "prob_above": tg["prob_above"], "status": tg["status"], "reason": tg["reason"]} {
				if !sameAsJSON(r[col], want) {
					t.Errorf("target %s: csv %q, json %v", col, r[col], want)
				}
			}
		}

		_, healthRows, _ := reportCSV(t, app, st.ID, q+"&section=health")
		health := fieldValues(t, healthRows)
		h := rep["health"].(map[string]any)
		wantHealth := map[string]any{"counts.exposed": metricPath(rep, "counts.exposed"), "counts.control": metricPath(rep, "counts.control"),
			"counts.flagged": metricPath(rep, "counts.flagged"), "counts.flagged_by.speeder": metricPath(rep, "counts.flagged_by.speeder"),
			"enough_data": h["enough_data"], "min_per_group": h["min_per_group"],
			"srm.defined": metricPath(h, "srm.defined"), "srm.chi_sq": metricPath(h, "srm.chi_sq"), "srm.df": metricPath(h, "srm.df"),
			"srm.p_value": metricPath(h, "srm.p_value"), "srm.mismatch": metricPath(h, "srm.mismatch"),
			"srm.observed.control": metricPath(h, "srm.observed.0"), "srm.observed.exposed": metricPath(h, "srm.observed.1"),
			"srm.expected.control": metricPath(h, "srm.expected.0"), "srm.expected.exposed": metricPath(h, "srm.expected.1"),
			"low_sample.count": float64(len(metricPathList(h, "low_sample")))}
		for i, pv := range h["progress"].([]any) {
			p := pv.(map[string]any)
			for _, k := range []string{"complete", "target", "share", "full"} {
				wantHealth[fmt.Sprint("progress.", p["group"], ".", k)] = p[k]
			}
			if i > 1 {
				t.Errorf("progress of %d groups", i+1)
			}
		}
		for i, n := range metricPathList(h, "low_sample") {
			wantHealth[fmt.Sprint("low_sample.", i+1)] = n
		}
		for i, n := range metricPathList(h, "notes") {
			wantHealth[fmt.Sprint("notes.", i+1)] = n
		}
		for k, want := range wantHealth {
			if got, ok := health[k]; !ok || !sameAsJSON(got, want) {
				t.Errorf("health %s: csv %q, json %v", k, got, want)
			}
		}
		if len(health) != len(wantHealth)+2 { // and counts.flagged_by.attention, .straightliner
			t.Errorf("health has %d fields, want %d: %v", len(health), len(wantHealth)+2, health)
		}

		_, weightRows, _ := reportCSV(t, app, st.ID, q+"&section=weights")
		weights := fieldValues(t, weightRows)
		w := rep["weights"].(map[string]any)
		for k, want := range map[string]any{"method": w["method"], "attributes": "age, gender", "target": w["target"],
			"converged": w["converged"], "iterations": w["iterations"], "max_weight": w["max_weight"], "trimmed": w["trimmed"],
			"effective_n.control": metricPath(w, "effective_n.control"), "effective_n.exposed": metricPath(w, "effective_n.exposed"),
			"notes": w["notes"]} {
			if !sameAsJSON(weights[k], want) {
				t.Errorf("weights %s: csv %q, json %v", k, weights[k], want)
			}
		}

		_, methodRows, _ := reportCSV(t, app, st.ID, q+"&section=methods")
		methods := rep["methods"].(map[string]any)
		if len(methodRows) != len(methods) || len(methods) < 10 {
			t.Errorf("%d method rows for %d methods", len(methodRows), len(methods))
		}
		for _, r := range methodRows {
			if methods[r["name"]] != r["method"] {
				t.Errorf("method %s: csv %q, json %v", r["name"], r["method"], methods[r["name"]])
			}
		}

		// Stratified, with the options the report was computed with.
		const qs = "&weighting=stratify&by=age,gender&min_per_group=30&ignore_srm=true&confidence=0.95&include_flagged=true"
		var strat map[string]any
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?"+qs[1:], survey.RoleAnalyst, nil).status(http.StatusOK).decode(&strat)
		checkSheetsMatchCSV(t, app, st.ID, qs, "metrics", "stratified", "frequency", "targets", "health", "methods", "summary")
		_, stratRows, _ := reportCSV(t, app, st.ID, qs+"&section=stratified")
		sms := metricPathList(strat, "stratified.metrics")
		if len(stratRows) != len(sms) || len(sms) < 3 {
			t.Fatalf("%d stratified rows for %d metrics", len(stratRows), len(sms))
		}
		for i, mv := range sms {
			m, r := mv.(map[string]any), stratRows[i]
			if r["by"] != "age,gender" {
				t.Errorf("by %q", r["by"])
			}
			for _, col := range []string{"question", "option", "metric", "confidence", "exposed_rate", "control_rate", "abs_lift",
				"abs_lift_se", "z", "p_value", "cmh_chi_sq", "cmh_p_value", "cmh_defined", "odds_ratio_mh", "odds_ratio_mh_defined",
				"strata", "strata_dropped", "exposed_dropped", "control_dropped", "defined", "reason"} {
				if !sameAsJSON(r[col], m[col]) {
					t.Errorf("stratified %s/%v %s: csv %q, json %v", m["question"], m["option"], col, r[col], m[col])
				}
			}
			if !sameAsJSON(r["abs_lift_ci_low"], metricPath(m, "abs_lift_ci.0")) || !sameAsJSON(r["abs_lift_ci_high"], metricPath(m, "abs_lift_ci.1")) {
				t.Errorf("stratified interval %v", r)
			}
		}
		_, sumRows, _ := reportCSV(t, app, st.ID, qs+"&section=summary")
		summary := fieldValues(t, sumRows)
		for k, want := range map[string]string{"weighting": "stratify", "by": "age,gender", "min_per_group": "30", "ignore_srm": "true",
			"confidence": "0.95", "include_flagged": "true", "significance": "fixed", "kind": "brand_lift", "study_id": st.ID} {
			if summary[k] != want {
				t.Errorf("summary %s = %q, want %q", k, summary[k], want)
			}
		}
		if _, ok := summary["segment"]; ok {
			t.Errorf("summary of an unsegmented report names a segment: %v", summary)
		}

		// Refused: unknown sections, sections the report cannot have, and
		// section with xlsx; a frequency section without a curve is a header.
		base := "/api/v1/studies/" + st.ID + "/results?format="
		p := app.do("GET", base+"csv&section=charts", survey.RoleAnalyst, nil).status(http.StatusBadRequest).problem()
		if !slices.Equal(p.ValidValues, []string{"metrics", "segments", "stratified", "cells", "cell_pairs", "waves", "wave_comparisons", "frequency", "targets", "health", "weights", "methods", "summary"}) {
			t.Errorf("valid sections %v", p.ValidValues)
		}
		for _, bad := range []string{"csv&section=weights", "csv&section=segments", "csv&section=stratified&weighting=rake", "xlsx&section=health", "csv&section=cells", "csv&section=wave_comparisons"} {
			p := app.getUnchecked(base+bad, survey.RoleAnalyst).status(http.StatusBadRequest).problem()
			if !strings.Contains(p.Detail, "section") {
				t.Errorf("%s: %q", bad, p.Detail)
			}
		}
		plain := exportStudy(app)
		seedReport(t, app, plain, []survey.Group{survey.GroupExposed, survey.GroupControl}, 5)
		if h, rows, _ := reportCSV(t, app, plain.ID, "&section=frequency"); len(rows) != 0 || h[2] != "bucket" {
			t.Errorf("frequency without exposures: %v %v", h, rows)
		}
	})
}

// metricPathList reads a list at a dotted path; nil when absent.
func metricPathList(m map[string]any, path string) []any {
	l, _ := metricPath(m, path).([]any)
	return l
}

// TestReportTinyPValues: p-values far below any display precision come
// out of the files as they are: from a study's data (p near 1e-100),
// and down to the smallest double from a report built by hand.
func TestReportTinyPValues(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		seedSplit(t, app, st, 300, 285, 15) // 95% against 5%: z = 22.0
		m := exportedReportJSON(app, st.ID, "")["metrics"].([]any)[0].(map[string]any)
		p, pf := m["p_value"].(float64), m["p_value_fisher"].(float64)
		// scipy 1.10.1: 2*stats.norm.sf(z) of the pooled z-test, and
		// stats.fisher_exact([[285, 15], [15, 285]])[1].
		const wantP, wantFisher = 1.0572404359162523e-107, 8.773191211263958e-130
		if m["question"] != "recall" || math.Abs(p/wantP-1) > 1e-9 || math.Abs(pf/wantFisher-1) > 1e-9 {
			t.Fatalf("recall p-values %v, %v; scipy %v, %v", p, pf, wantP, wantFisher)
		}
		_, rows, _ := reportCSV(t, app, st.ID, "")
		sheets := reportXLSX(t, app, st.ID, "")
		col := slices.Index(legacyReportHeader, "p_value")
		if !sameAsJSON(rows[0]["p_value"], p) || !sameAsJSON(rows[0]["p_value_fisher"], pf) ||
			floatOr(sheets[0].Rows[1][col].V) != p || floatOr(sheets[0].Rows[1][col+1].V) != pf {
			t.Errorf("p %v in csv %q, xlsx %q; fisher %v in csv %q, xlsx %q", p, rows[0]["p_value"], sheets[0].Rows[1][col].V,
				pf, rows[0]["p_value_fisher"], sheets[0].Rows[1][col+1].V)
		}
	})

	r := &results.Report{StudyID: "s", Kind: survey.KindBrandLift, Metrics: []any{
		&results.LiftMetric{Question: "q", Type: "lift", PValue: 1e-300, PValueFisher: 5e-324, QValue: 2.5e-299}}}
	var b strings.Builder
	tb := reportTable(r)
	if err := writeTable(&b, responseFormats["csv"], tb.cols, tabular.Options{Delimiter: ','}, tb.each); err != nil {
		t.Fatal(err)
	}
	recs, _ := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	for col, want := range map[string]string{"p_value": "1e-300", "p_value_fisher": "5e-324", "q_value": "2.5e-299"} {
		if got := recs[1][slices.Index(recs[0], col)]; got != want {
			t.Errorf("%s written as %q, want %s", col, got, want)
		}
	}
}

// seedSplit submits n responses per group, the first yesExposed exposed
// and yesControl control ones recalling the ad.
func seedSplit(t *testing.T, app *testApp, st survey.Study, n, yesExposed, yesControl int) {
	t.Helper()
	full, err := app.store.Study(t.Context(), st.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl} {
		yes := map[survey.Group]int{survey.GroupExposed: yesExposed, survey.GroupControl: yesControl}[g]
		for i := range n {
			answers := map[string]any{"recall": map[bool]string{true: "yes", false: "no"}[i < yes], "nps": json.Number("9"),
				"csat": json.Number("4"), "brands": []any{"acme"}}
			tok := full.SignToken(&survey.Token{RID: fmt.Sprint(g, "-", i), Group: g})
			if _, err := app.store.Submit(t.Context(), survey.SubmitRequest{Token: tok, Answers: answers}); err != nil {
				t.Fatalf("submit %s %d: %v", g, i, err)
			}
		}
	}
}
