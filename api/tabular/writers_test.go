package tabular

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/api/tabular/tabulartest"
	"github.com/brandlift/brandlift/survey"
	"github.com/parquet-go/parquet-go"
)

func TestCSVWriterQuotingNullsAndFormulas(t *testing.T) {
	cols := []survey.ExportColumn{{Name: "s", Type: survey.ColString, Nullable: true}, {Name: "n", Type: survey.ColInt, Nullable: true},
		{Name: "f", Type: survey.ColFloat}, {Name: "at", Type: survey.ColTime, Nullable: true}}
	at := time.Date(2026, 3, 1, 10, 0, 0, 123456000, time.FixedZone("MSK", 3*3600))
	rows := [][]any{
		{"plain", int64(-1), -0.25, at},
		{"", nil, 1e21, nil},
		{nil, int64(0), math.NaN(), nil},
		{`say "hi", then`, int64(1), 1.5, nil},
		{"line\nbreak\rcr", nil, 0.0, nil},
		{"=HYPERLINK(\"http://evil\")", nil, 0.0, nil},
		{"-2+3", nil, 0.0, nil},
		{"a;b", nil, 0.0, nil},
	}
	var b bytes.Buffer
	tw, err := NewCSV(&b, cols, Options{Delimiter: ','})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if err := tw.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	want := "s,n,f,at\r\n" +
		"plain,-1,-0.25,2026-03-01T07:00:00.123456Z\r\n" +
		`"",,1e+21,` + "\r\n" +
		",0,,\r\n" +
		`"say ""hi"", then",1,1.5,` + "\r\n" +
		"\"line\nbreak\rcr\",,0,\r\n" +
		`"'=HYPERLINK(""http://evil"")",,0,` + "\r\n" +
		"'-2+3,,0,\r\n" +
		"a;b,,0,\r\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
	b.Reset()
	tw, _ = NewCSV(&b, cols[:1], Options{Delimiter: ';', BOM: true})
	tw.WriteRow([]any{"a;b"})
	tw.WriteRow([]any{"a,b"})
	if want := "\xEF\xBB\xBFs\r\n\"a;b\"\r\na,b\r\n"; b.String() != want {
		t.Errorf("semicolon with BOM: %q, want %q", b.String(), want)
	}
}

func TestJSONStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"b\s`, "\x00\x01\x1f\n\r\t", "ёлка «ёж»", "<a href='x'>&</a>", "\u2028\u2029", "bad\xffutf8", "😀"} {
		got := appendJSONString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Errorf("%q: %s is not JSON: %v", s, got, err)
			continue
		}
		if want := strings.ToValidUTF8(s, "\uFFFD"); back != want {
			t.Errorf("%q: read back %q", s, back)
		}
	}
	if got := string(appendJSONValue(nil, math.Inf(1))); got != "null" {
		t.Errorf("Inf written as %s", got)
	}
}

func TestXLSXTextEscaping(t *testing.T) {
	cases := map[string]string{
		"a<b>&c":          "a&lt;b&gt;&amp;c",
		"cr\rlf\n tab\t":  "cr&#13;lf\n tab\t",
		"nul\x00bell\x07": "nul_x0000_bell_x0007_",
		"_x0041_ _xZZ":    "_x005F_x0041_ _xZZ",
		"bad\xff":         "bad\uFFFD",
		"\uFFFE":          "_xFFFE_",
		"ёлка":            "ёлка",
	}
	for in, want := range cases {
		got := string(appendXMLText(nil, in))
		if got != want {
			t.Errorf("%q: got %q want %q", in, got, want)
		}
		if in != "bad\xff" && tabulartest.DecodeXstring(xmlUnescape(t, got)) != in {
			t.Errorf("%q does not read back: %q", in, tabulartest.DecodeXstring(xmlUnescape(t, got)))
		}
	}
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 51: "AZ", 52: "BA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := columnLetters(i); got != want {
			t.Errorf("column %d: %s, want %s", i, got, want)
		}
	}
}

func xmlUnescape(t *testing.T, s string) string {
	t.Helper()
	var v struct {
		T string `xml:",chardata"`
	}
	if err := xml.Unmarshal([]byte("<t>"+s+"</t>"), &v); err != nil {
		t.Fatal(err)
	}
	return v.T
}

// TestXLSXContinuationSheets fills sheets to the row limit and goes on in
// numbered sheets, each with the header.
func TestXLSXContinuationSheets(t *testing.T) {
	defer func(n int) { xlsxMaxRows = n }(xlsxMaxRows)
	xlsxMaxRows = 4 // header + 3 rows
	cols := []survey.ExportColumn{{Name: "i", Type: survey.ColInt}, {Name: "at", Type: survey.ColTime}}
	var b bytes.Buffer
	x, err := NewXLSX(&b, "responses", cols)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 1, 2, 3, 4, 5, 678901000, time.UTC)
	for i := range 8 {
		if err := x.WriteRow([]any{int64(i), at}); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	sheets := tabulartest.ReadXLSX(t, b.Bytes())
	var names []string
	next := int64(0)
	for _, s := range sheets {
		names = append(names, s.Name)
		if s.Rows[0][0].Text != "i" || s.Rows[0][0].S != strconv.Itoa(xlsxStyleHeader) {
			t.Errorf("sheet %s header %+v", s.Name, s.Rows[0][0])
		}
		for _, r := range s.Rows[1:] {
			if got := tabulartest.XLSXValue(t, r[0], survey.ColInt); got != next {
				t.Errorf("sheet %s: row %v, want %d", s.Name, got, next)
			}
			if got := tabulartest.XLSXValue(t, r[1], survey.ColTime).(time.Time); !got.Equal(at) {
				t.Errorf("time %v, want %v", got, at)
			}
			next++
		}
	}
	if fmt.Sprint(names) != "[responses responses 2 responses 3]" || next != 8 {
		t.Errorf("sheets %v, %d rows", names, next)
	}
}

// TestParquetRowGroups writes more rows than a row group holds and reads
// them back, in order, with nulls.
func TestParquetRowGroups(t *testing.T) {
	cols := []survey.ExportColumn{{Name: "z_id", Type: survey.ColString}, {Name: "a_n", Type: survey.ColInt, Nullable: true},
		{Name: "w", Type: survey.ColFloat}, {Name: "at", Type: survey.ColTime, Nullable: true}}
	var b bytes.Buffer
	tw, err := NewParquet(&b, cols, Options{})
	if err != nil {
		t.Fatal(err)
	}
	const n = parquetRowGroup*2 + 10
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	row := make([]any, 4)
	for i := range n {
		row[0], row[1], row[2], row[3] = "r"+strconv.Itoa(i), int64(i), float64(i)/3, base.Add(time.Duration(i)*time.Microsecond)
		if i%7 == 0 {
			row[1], row[3] = nil, nil
		}
		if err := tw.WriteRow(row); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if g := len(f.RowGroups()); g != 3 {
		t.Errorf("%d row groups, want 3", g)
	}
	got := tabulartest.ParquetTable(t, b.Bytes(), cols)
	if len(got) != n {
		t.Fatalf("%d rows, want %d", len(got), n)
	}
	for i, r := range got {
		if r[0] != "r"+strconv.Itoa(i) || r[2] != float64(i)/3 || (i%7 == 0) != (r[1] == nil) || (i%7 == 0) != (r[3] == nil) {
			t.Fatalf("row %d: %v", i, r)
		}
		if i%7 != 0 && (r[1] != int64(i) || !r[3].(time.Time).Equal(base.Add(time.Duration(i)*time.Microsecond))) {
			t.Fatalf("row %d: %v", i, r)
		}
	}
	if _, err := parquetSchema(append(cols, cols[0])); err == nil {
		t.Error("duplicate column names accepted")
	}
	tw, _ = NewParquet(io.Discard, cols, Options{})
	if err := tw.WriteRow([]any{nil, nil, 1.0, nil}); err == nil {
		t.Error("null accepted in a required column")
	}
	if err := tw.WriteRow([]any{"x", "not a number", 1.0, nil}); err == nil {
		t.Error("string accepted in an int column")
	}
}
