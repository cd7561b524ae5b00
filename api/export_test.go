package api

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/api/tabular/tabulartest"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// injections are answers a spreadsheet would run as formulas.
var injections = []string{`=HYPERLINK("http://evil")`, "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"}

// exportStudy is the example study with a multi-choice question whose
// "none" option is exclusive, and raking on age.
func exportStudy(app *testApp) survey.Study { return exportStudyWith(app, nil) }

func exportStudyWith(app *testApp, change func(b map[string]any)) survey.Study {
	return app.launched(func(b map[string]any) {
		qs := b["questions"].([]any)
		text := func(ru, en string) map[string]any { return map[string]any{"ru": ru, "en": en} }
		brands := map[string]any{"key": "brands", "type": "multi_choice", "metric": "awareness", "required": false,
			"text": text("Какие марки вы знаете?", "Which brands do you know?"),
			"options": []any{
				map[string]any{"key": "acme", "text": text("Acme", "Acme"), "positive": true},
				map[string]any{"key": "rival", "text": text("Соперник", "Rival")},
				map[string]any{"key": "none", "text": text("Никакие", "None"), "exclusive": true},
			}}
		b["questions"] = []any{qs[0], qs[1], qs[2], brands, qs[3]}
		b["weighting"] = map[string]any{"attributes": []any{"age"}}
		b["target_per_group"] = 100000
		if change != nil {
			change(b)
		}
	})
}

// getUnchecked sends a GET as role like testApp.do, but without its OpenAPI check:
// kin-openapi decodes a text/csv body as comma-separated, so it cannot
// read the semicolon variant that the document allows.
func (a *testApp) getUnchecked(path string, role survey.Role) response {
	a.t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Authorization", "Bearer "+a.keys[role])
	rec := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(rec, req)
	return response{rec, a.t}
}

// exportRespondent is one submission of the round-trip study.
type exportRespondent struct {
	rid, group, locale string
	attrs              map[string]string
	answers            map[string]any
	id                 string // set once submitted
}

func exportRespondents() []*exportRespondent {
	quoted := "Он сказал: \"Привет, мир\", и ушёл;\nвторая строка, с запятой"
	rs := []*exportRespondent{
		{rid: "u-1", group: "exposed", attrs: map[string]string{"age": "25-34", "region": "Москва"},
			answers: map[string]any{"recall": "yes", "nps": 9, "csat": 4, "brands": []string{"acme", "rival"}, "why": quoted}},
		{rid: "u-2", group: "control", attrs: map[string]string{"age": "35-44"}, locale: "en",
			answers: map[string]any{"recall": "no", "nps": 0, "csat": 1, "brands": []string{"none"}, "why": "Nothing, really"}},
		{rid: "u-3", group: "control", attrs: map[string]string{"age": "35-44", "region": "Санкт-Петербург"},
			answers: map[string]any{"recall": "dk", "nps": 10, "csat": 5}}, // brands and why unanswered: nulls
		{rid: "u-4", group: "exposed", attrs: map[string]string{"age": "35-44"}, // no region: null
			answers: map[string]any{"recall": "yes", "nps": 7, "csat": 3, "brands": []string{"rival"}}},
	}
	for i, s := range injections {
		g := []string{"exposed", "control"}[i%2]
		rs = append(rs, &exportRespondent{rid: fmt.Sprint("inj-", i), group: g,
			attrs:   map[string]string{"age": []string{"25-34", "35-44"}[i/2%2]},
			answers: map[string]any{"recall": "yes", "nps": 8, "csat": 4, "why": s}})
	}
	return rs
}

// submitAll mints links and posts every respondent's answers.
func (a *testApp) submitAll(st survey.Study, rs []*exportRespondent) {
	a.t.Helper()
	var specs []map[string]any
	for _, r := range rs {
		spec := map[string]any{"rid": r.rid, "group": r.group}
		if r.attrs != nil {
			spec["attrs"] = r.attrs
		}
		specs = append(specs, spec)
	}
	links := a.links(st, specs...)
	for i, r := range rs {
		body := map[string]any{"token": links[i].Token, "answers": r.answers}
		if r.locale != "" {
			body["locale"] = r.locale
		}
		var rep SubmitReply
		a.do("POST", "/api/v1/public/responses", "", body).status(http.StatusCreated).decode(&rep)
		r.id = rep.ID
	}
}

// expectedExport reads the export table straight from the store.
func expectedExport(t *testing.T, app *testApp, studyID string, weighted bool) ([]survey.ExportColumn, [][]any) {
	t.Helper()
	e, err := app.store.NewExport(t.Context(), studyID, store.ExportOptions{Weighted: weighted})
	if err != nil {
		t.Fatal(err)
	}
	var rows [][]any
	err = e.Rows(t.Context(), func(row []any) error {
		rows = append(rows, append([]any(nil), row...))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return e.Columns, rows
}

// readExport parses an export body of any format back into header and
// typed rows. Spreadsheet formats give strings as the cells hold them
// (neutralised); CSV cannot tell a null string from an empty one.
func readExport(t *testing.T, format string, body []byte, cols []survey.ExportColumn) ([]string, [][]any) {
	t.Helper()
	switch format {
	case "csv":
		r := csv.NewReader(bytes.NewReader(body))
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("csv: %v", err)
		}
		var rows [][]any
		for _, rec := range recs[1:] {
			row := make([]any, len(cols))
			for i, f := range rec {
				row[i] = csvValue(t, f, cols[i].Type)
			}
			rows = append(rows, row)
		}
		return recs[0], rows
	case "jsonl":
		var header []string
		var rows [][]any
		sc := bufio.NewScanner(bytes.NewReader(body))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
			dec.UseNumber()
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				t.Fatalf("jsonl line %q: %v", sc.Text(), err)
			}
			if len(m) != len(cols) {
				t.Fatalf("jsonl object has %d keys, want %d", len(m), len(cols))
			}
			row := make([]any, len(cols))
			for i, c := range cols {
				v, ok := m[c.Name]
				if !ok {
					t.Fatalf("jsonl object lacks %s", c.Name)
				}
				row[i] = jsonValue(t, v, c.Type)
			}
			rows = append(rows, row)
		}
		for _, c := range cols {
			header = append(header, c.Name)
		}
		// Keys come in column order.
		if first, _, _ := bytes.Cut(body, []byte("\n")); len(rows) > 0 {
			last := -1
			for _, c := range cols {
				at := bytes.Index(first, []byte(`"`+c.Name+`":`))
				if at <= last {
					t.Fatalf("jsonl key %s out of order", c.Name)
				}
				last = at
			}
		}
		return header, rows
	case "xlsx":
		sheets := tabulartest.ReadXLSX(t, body)
		if len(sheets) != 1 || sheets[0].Name != "responses" {
			t.Fatalf("sheets %+v", sheets)
		}
		var header []string
		for _, c := range sheets[0].Rows[0] {
			header = append(header, c.Text)
		}
		var rows [][]any
		for _, r := range sheets[0].Rows[1:] {
			row := make([]any, len(cols))
			for i := range cols {
				if i < len(r) {
					row[i] = tabulartest.XLSXValue(t, r[i], cols[i].Type)
				}
			}
			rows = append(rows, row)
		}
		return header, rows
	case "parquet":
		var header []string
		for _, c := range cols {
			header = append(header, c.Name)
		}
		return header, tabulartest.ParquetTable(t, body, cols)
	}
	t.Fatalf("no reader for %s", format)
	return nil, nil
}

func csvValue(t *testing.T, f string, typ survey.ColumnType) any {
	t.Helper()
	if f == "" {
		return nil
	}
	switch typ {
	case survey.ColInt:
		n, err := strconv.ParseInt(f, 10, 64)
		if err != nil {
			t.Fatalf("csv int %q", f)
		}
		return n
	case survey.ColFloat:
		x, err := strconv.ParseFloat(f, 64)
		if err != nil {
			t.Fatalf("csv float %q", f)
		}
		return x
	case survey.ColTime:
		at, err := time.Parse(time.RFC3339Nano, f)
		if err != nil {
			t.Fatalf("csv time %q", f)
		}
		return at
	}
	return f
}

func jsonValue(t *testing.T, v any, typ survey.ColumnType) any {
	t.Helper()
	switch v := v.(type) {
	case nil:
		return nil
	case json.Number:
		if typ == survey.ColInt {
			n, err := v.Int64()
			if err != nil {
				t.Fatalf("json int %s", v)
			}
			return n
		}
		x, _ := v.Float64()
		return x
	case string:
		if typ == survey.ColTime {
			at, err := time.Parse(time.RFC3339Nano, v)
			if err != nil || !strings.HasSuffix(v, "Z") {
				t.Fatalf("json time %q is not RFC 3339 UTC", v)
			}
			return at
		}
		return v
	}
	t.Fatalf("json value %T %v", v, v)
	return nil
}

// asWritten is what a format holds for a database value.
func asWritten(format string, c survey.ExportColumn, v any) any {
	switch v := v.(type) {
	case string:
		if (format == "csv" || format == "xlsx") && tabular.Neutralised(v) {
			v = "'" + v
		}
		if format == "csv" && v == "" {
			return nil
		}
		return v
	case time.Time:
		if format == "parquet" || format == "xlsx" {
			return v.Truncate(time.Microsecond)
		}
	}
	return v
}

func sameValue(want, got any) bool {
	if w, ok := want.(time.Time); ok {
		g, ok := got.(time.Time)
		d := g.Sub(w)
		return ok && d <= time.Microsecond && d >= -time.Microsecond
	}
	return want == got
}

// TestExportRoundTrip reads every format back and finds the database's
// values in every column: Russian text, quotes, commas, semicolons and
// line breaks, a multi-choice question as 0/1 columns, nulls, attributes,
// and the weight column of weighting=rake.
func TestExportRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		rs := exportRespondents()
		app.submitAll(st, rs)
		for _, weighted := range []bool{false, true} {
			cols, want := expectedExport(t, app, st.ID, weighted)
			if len(want) != len(rs) {
				t.Fatalf("store exports %d rows, want %d", len(want), len(rs))
			}
			checkAgainstInput(t, cols, want, rs, weighted)
			for _, format := range responseFormatNames {
				query := "?format=" + format
				if weighted {
					query += "&weighting=rake"
				}
				res := app.do("GET", "/api/v1/studies/"+st.ID+"/responses"+query, survey.RoleAnalyst, nil).status(http.StatusOK)
				checkAttachment(t, res, responseFormats[format].contentType, "brandlift-"+st.ID+"-Spring-campaign."+format)
				header, got := readExport(t, format, res.Body.Bytes(), cols)
				var names []string
				for _, c := range cols {
					names = append(names, c.Name)
				}
				if fmt.Sprint(header) != fmt.Sprint(names) {
					t.Errorf("%s: header %v, want %v", query, header, names)
				}
				if len(got) != len(want) {
					t.Fatalf("%s: %d rows, want %d", query, len(got), len(want))
				}
				for i := range want {
					for j, c := range cols {
						if w := asWritten(format, c, want[i][j]); !sameValue(w, got[i][j]) {
							t.Errorf("%s: row %d column %s: got %#v, want %#v", query, i, c.Name, got[i][j], w)
						}
					}
				}
			}
		}
	})
}

// checkAgainstInput checks the store's table against what was submitted,
// so that the round trip compares with the truth, not with itself.
func checkAgainstInput(t *testing.T, cols []survey.ExportColumn, rows [][]any, rs []*exportRespondent, weighted bool) {
	t.Helper()
	col := map[string]int{}
	for i, c := range cols {
		col[c.Name] = i
	}
	for _, name := range []string{"response_id", "group", "status", "flags", "attr_age", "attr_region", "locale", "device",
		"frequency", "started_at", "completed_at", "duration_ms", "consent_at", "q_recall", "q_nps", "q_csat",
		"q_brands_acme", "q_brands_rival", "q_brands_none", "q_why"} {
		if _, ok := col[name]; !ok {
			t.Fatalf("no column %s in %v", name, cols)
		}
	}
	if _, ok := col["weight"]; ok != weighted {
		t.Fatalf("weight column present=%v, weighted=%v", ok, weighted)
	}
	byID := map[string][]any{}
	reweighted := false
	for _, r := range rows {
		byID[r[col["response_id"]].(string)] = r
	}
	for _, r := range rs {
		row := byID[r.id]
		if row == nil {
			t.Fatalf("response %s (%s) not exported", r.id, r.rid)
		}
		get := func(name string) any { return row[col[name]] }
		want := map[string]any{"group": r.group, "q_recall": r.answers["recall"], "q_nps": int64(r.answers["nps"].(int)),
			"q_csat": int64(r.answers["csat"].(int)), "q_why": r.answers["why"], "attr_age": nil, "attr_region": nil}
		for k, v := range r.attrs {
			want["attr_"+k] = v
		}
		for _, o := range []string{"acme", "rival", "none"} {
			want["q_brands_"+o] = nil
		}
		if brands, ok := r.answers["brands"].([]string); ok {
			for _, o := range []string{"acme", "rival", "none"} {
				want["q_brands_"+o] = int64(0)
			}
			for _, o := range brands {
				want["q_brands_"+o] = int64(1)
			}
		}
		for k, v := range want {
			if get(k) != v {
				t.Errorf("%s %s: %#v, want %#v", r.rid, k, get(k), v)
			}
		}
		if _, ok := get("completed_at").(time.Time); !ok {
			t.Errorf("%s: completed_at %#v", r.rid, get("completed_at"))
		}
		if weighted {
			w, ok := get("weight").(float64)
			if !ok || !(w > 0) || (r.group == "exposed" && w != 1) {
				t.Errorf("%s (%s): weight %#v", r.rid, r.group, get("weight"))
			}
			reweighted = reweighted || w != 1
		}
	}
	if weighted && !reweighted {
		t.Errorf("raking changed no weight: control should be raked to exposed on age")
	}
}

func checkAttachment(t *testing.T, res response, contentType, fileName string) {
	t.Helper()
	if ct := res.Header().Get("Content-Type"); ct != contentType {
		t.Errorf("content type %q, want %q", ct, contentType)
	}
	disp, params, err := mime.ParseMediaType(res.Header().Get("Content-Disposition"))
	if err != nil || disp != "attachment" || params["filename"] != fileName {
		t.Errorf("content disposition %q, want attachment of %s", res.Header().Get("Content-Disposition"), fileName)
	}
	if res.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("cacheable export")
	}
}

// TestExportFormulaInjection: answers that start like formulas come out
// with a leading quote in CSV and XLSX string cells, verbatim in JSON
// Lines and Parquet.
func TestExportFormulaInjection(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		rs := exportRespondents()
		app.submitAll(st, rs)
		cols, _ := expectedExport(t, app, st.ID, false)
		why, id := -1, -1
		for i, c := range cols {
			switch c.Name {
			case "q_why":
				why = i
			case "response_id":
				id = i
			}
		}
		for _, format := range responseFormatNames {
			body := app.do("GET", "/api/v1/studies/"+st.ID+"/responses?format="+format, survey.RoleAnalyst, nil).
				status(http.StatusOK).Body.Bytes()
			_, rows := readExport(t, format, body, cols)
			got := map[string]any{}
			for _, r := range rows {
				got[r[id].(string)] = r[why]
			}
			for i, s := range injections {
				want := s
				if format == "csv" || format == "xlsx" {
					want = "'" + s
				}
				if g := got[rs[4+i].id]; g != want {
					t.Errorf("%s: %q came out as %#v, want %q", format, s, g, want)
				}
			}
			if format == "csv" && !bytes.Contains(body, []byte("\"'\rx\"")) {
				t.Errorf("csv: a value starting with CR is not quoted and neutralised")
			}
		}
	})
}

// TestExportOptionsAndErrors covers bom, delimiter, the refusals and the
// roles.
func TestExportOptionsAndErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		rs := exportRespondents()
		app.submitAll(st, rs)
		base := "/api/v1/studies/" + st.ID + "/responses"
		plain := app.do("GET", base, survey.RoleAnalyst, nil).status(http.StatusOK)
		if ct := plain.Header().Get("Content-Type"); ct != responseFormats["csv"].contentType {
			t.Errorf("default format is not csv: %s", ct)
		}
		body := plain.Body.String()
		if strings.HasPrefix(body, "\uFEFF") || !strings.HasPrefix(body, "response_id,group,status,flags,") ||
			!strings.Contains(body, "Москва") || !strings.Contains(body, "\r\n") {
			t.Errorf("plain csv starts %q", body[:min(80, len(body))])
		}
		semi := app.getUnchecked(base+"?format=csv&bom=1&delimiter=semicolon", survey.RoleAnalyst).status(http.StatusOK).Body.String()
		if !strings.HasPrefix(semi, "\uFEFFresponse_id;group;status;flags;") {
			t.Errorf("bom+semicolon csv starts %q", semi[:min(80, len(semi))])
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(semi, "\uFEFF")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil || len(recs) != len(rs)+1 {
			t.Fatalf("semicolon csv: %d records, %v", len(recs), err)
		}
		if !strings.Contains(semi, "\"Он сказал: \"\"Привет, мир\"\", и ушёл;\nвторая строка, с запятой\"") {
			t.Errorf("text with quotes, semicolon and newline not quoted in semicolon csv")
		}
		if strings.Contains(semi, "\"Nothing, really\"") || !strings.Contains(semi, ";Nothing, really") {
			t.Errorf("a comma needs no quotes when the delimiter is a semicolon")
		}

		refusals := []struct {
			query, field string
			valid        []string
		}{
			{"?format=xml", "format", []string{"csv", "jsonl", "xlsx", "parquet"}},
			{"?format=CSV", "format", []string{"csv", "jsonl", "xlsx", "parquet"}},
			{"?delimiter=tab", "delimiter", []string{"comma", "semicolon"}},
			{"?bom=yes", "bom", []string{"1", "0", "true", "false"}},
			{"?weighting=ipf", "weighting", []string{"none", "rake"}},
		}
		for _, c := range refusals {
			p := app.do("GET", base+c.query, survey.RoleAnalyst, nil).status(http.StatusBadRequest).problem()
			if fmt.Sprint(p.ValidValues) != fmt.Sprint(c.valid) || len(hasAll(p.fields(), c.field)) > 0 {
				t.Errorf("%s: %+v", c.query, p)
			}
		}
		unweighted := app.launched(nil)
		p := app.do("GET", "/api/v1/studies/"+unweighted.ID+"/responses?weighting=rake", survey.RoleAnalyst, nil).
			status(http.StatusBadRequest).problem()
		if len(hasAll(p.fields(), "weighting")) > 0 {
			t.Errorf("rake without attributes: %+v", p)
		}
		app.do("GET", "/api/v1/studies/nope/responses", survey.RoleAnalyst, nil).status(http.StatusNotFound).problem()
		app.do("GET", base, "", nil).status(http.StatusUnauthorized).problem()
		for _, role := range []survey.Role{survey.RoleAnalyst, survey.RoleMarketer, survey.RoleAdmin} {
			app.do("GET", base+"?format=jsonl", role, nil).status(http.StatusOK)
		}
		// An empty study exports its header alone.
		empty := exportStudy(app)
		body = app.do("GET", "/api/v1/studies/"+empty.ID+"/responses", survey.RoleAnalyst, nil).status(http.StatusOK).Body.String()
		if strings.Count(body, "\r\n") != 1 || !strings.Contains(body, "q_brands_none") {
			t.Errorf("empty export %q", body)
		}
		for _, format := range []string{"xlsx", "parquet"} {
			b := app.do("GET", "/api/v1/studies/"+empty.ID+"/responses?format="+format, survey.RoleAnalyst, nil).status(http.StatusOK).Body.Bytes()
			cols, _ := expectedExport(t, app, empty.ID, false)
			if _, rows := readExport(t, format, b, cols); len(rows) != 0 {
				t.Errorf("%s: %d rows in an empty study", format, len(rows))
			}
		}
	})
}

// failingWriter is a client connection that breaks on the first byte.
type failingWriter struct {
	h    http.Header
	code int
}

func (f *failingWriter) Header() http.Header  { return f.h }
func (f *failingWriter) WriteHeader(code int) { f.code = code }
func (f *failingWriter) Write(p []byte) (int, error) {
	return 0, errors.New("connection reset by peer")
}

// TestExportAbortsAfterStart: once the status is sent, a failure drops the
// connection (so a truncated file is never taken for a whole one) and is
// logged.
func TestExportAbortsAfterStart(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := exportStudy(app)
		app.submitAll(st, exportRespondents()[:1])
		req := httptest.NewRequest("GET", "/api/v1/studies/"+st.ID+"/responses", nil)
		req.Header.Set("Authorization", "Bearer "+app.keys[survey.RoleAnalyst])
		w := &failingWriter{h: http.Header{}}
		func() {
			defer func() {
				if r := recover(); r != http.ErrAbortHandler {
					t.Errorf("recovered %v, want http.ErrAbortHandler", r)
				}
			}()
			app.srv.Handler().ServeHTTP(w, req)
		}()
		if w.code != http.StatusOK || !strings.Contains(app.logBuf.String(), "connection dropped") {
			t.Errorf("status %d; log %s", w.code, app.logBuf.String())
		}
	})
}
