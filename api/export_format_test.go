package api

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"path"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/parquet-go/parquet-go"
)

// xlsxCell is one cell as a minimal reader sees it.
type xlsxCell struct {
	Ref  string `xml:"r,attr"`
	T    string `xml:"t,attr"`
	S    string `xml:"s,attr"`
	V    string `xml:"v"`
	Text string `xml:"is>t"`
}

// xlsxSheet is a sheet's name and its rows of cells (nil where empty).
type xlsxSheet struct {
	Name string
	Rows [][]*xlsxCell
}

// readXLSX is a minimal SpreadsheetML reader for tests: it follows the
// workbook's relationships to the sheets and places cells by reference.
func readXLSX(t *testing.T, b []byte) []xlsxSheet {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("xlsx is not a zip: %v", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	parse := func(name string, v any) {
		t.Helper()
		f, ok := files[name]
		if !ok {
			t.Fatalf("xlsx has no %s", name)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		if err := xml.NewDecoder(rc).Decode(v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	var ct struct {
		Defaults []struct {
			Extension string `xml:"Extension,attr"`
		} `xml:"Default"`
	}
	parse("[Content_Types].xml", &ct)
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	parse("xl/workbook.xml", &wb)
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	parse("xl/_rels/workbook.xml.rels", &rels)
	parse("xl/styles.xml", new(struct{}))
	var out []xlsxSheet
	for _, s := range wb.Sheets {
		target := ""
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				target = path.Join("xl", r.Target)
			}
		}
		var ws struct {
			Rows []struct {
				R     int         `xml:"r,attr"`
				Cells []*xlsxCell `xml:"c"`
			} `xml:"sheetData>row"`
		}
		parse(target, &ws)
		sh := xlsxSheet{Name: s.Name}
		for i, r := range ws.Rows {
			if r.R != i+1 {
				t.Fatalf("sheet %s: row %d numbered %d", s.Name, i+1, r.R)
			}
			var row []*xlsxCell
			for _, c := range r.Cells {
				col, rn := splitRef(t, c.Ref)
				if rn != r.R {
					t.Fatalf("cell %s in row %d", c.Ref, r.R)
				}
				for len(row) <= col {
					row = append(row, nil)
				}
				c.Text = decodeXstring(c.Text)
				row[col] = c
			}
			sh.Rows = append(sh.Rows, row)
		}
		out = append(out, sh)
	}
	return out
}

func splitRef(t *testing.T, ref string) (col, row int) {
	t.Helper()
	i := 0
	for i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z' {
		col = col*26 + int(ref[i]-'A'+1)
		i++
	}
	row, err := strconv.Atoi(ref[i:])
	if err != nil || i == 0 {
		t.Fatalf("bad cell reference %q", ref)
	}
	return col - 1, row
}

// decodeXstring undoes the _xHHHH_ escapes of ST_Xstring.
func decodeXstring(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if looksEscaped(s[i:]) {
			n, _ := strconv.ParseUint(s[i+2:i+6], 16, 32)
			b.WriteRune(rune(n))
			i += 7
			continue
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

// xlsxValue turns a cell back into the export's value for a column type.
func xlsxValue(t *testing.T, c *xlsxCell, typ survey.ColumnType) any {
	t.Helper()
	if c == nil {
		return nil
	}
	switch {
	case c.T == "inlineStr":
		return c.Text
	case c.T == "b":
		return c.V == "1"
	case typ == survey.ColTime:
		f, err := strconv.ParseFloat(c.V, 64)
		if err != nil || c.S != strconv.Itoa(xlsxStyleTime) {
			t.Fatalf("time cell %+v", c)
		}
		return time.UnixMicro(int64(math.Round(f*86400e6)) + excelEpoch.UnixMicro()).UTC()
	case typ == survey.ColInt:
		n, err := strconv.ParseInt(c.V, 10, 64)
		if err != nil {
			t.Fatalf("int cell %+v", c)
		}
		return n
	default:
		f, err := strconv.ParseFloat(c.V, 64)
		if err != nil {
			t.Fatalf("number cell %+v", c)
		}
		return f
	}
}

// parquetTable reads a whole Parquet file back as rows of export values,
// checking its schema against cols.
func parquetTable(t *testing.T, b []byte, cols []survey.ExportColumn) [][]any {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("open parquet: %v", err)
	}
	fields := f.Schema().Fields()
	if len(fields) != len(cols) {
		t.Fatalf("parquet has %d columns, want %d", len(fields), len(cols))
	}
	for i, fl := range fields {
		c := cols[i]
		lt := ""
		if l := fl.Type().LogicalType(); l != nil {
			lt = l.String()
		}
		ok := fl.Name() == c.Name && fl.Optional() == c.Nullable && fl.Required() == !c.Nullable
		switch c.Type {
		case survey.ColString:
			ok = ok && fl.Type().Kind() == parquet.ByteArray && lt == "STRING"
		case survey.ColInt:
			ok = ok && fl.Type().Kind() == parquet.Int64 && lt == "INT(64,true)"
		case survey.ColFloat:
			ok = ok && fl.Type().Kind() == parquet.Double
		case survey.ColTime:
			ok = ok && fl.Type().Kind() == parquet.Int64 && lt == "TIMESTAMP(isAdjustedToUTC=true,unit=MICROS)"
		}
		if !ok {
			t.Errorf("parquet column %d: %s %v %s optional=%v, want %+v", i, fl.Name(), fl.Type(), lt, fl.Optional(), c)
		}
	}
	r := parquet.NewReader(f)
	defer r.Close()
	var out [][]any
	buf := make([]parquet.Row, 100)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			vals := make([]any, len(cols))
			for _, v := range row {
				i := v.Column()
				if v.IsNull() {
					continue
				}
				switch cols[i].Type {
				case survey.ColString:
					vals[i] = string(v.ByteArray())
				case survey.ColInt:
					vals[i] = v.Int64()
				case survey.ColFloat:
					vals[i] = v.Double()
				case survey.ColTime:
					vals[i] = time.UnixMicro(v.Int64()).UTC()
				}
			}
			out = append(out, vals)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("read parquet: %v", err)
		}
	}
	return out
}

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
	tw, err := newCSV(&b, cols, fileOptions{delimiter: ','})
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
	tw, _ = newCSV(&b, cols[:1], fileOptions{delimiter: ';', bom: true})
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
		if in != "bad\xff" && decodeXstring(xmlUnescape(t, got)) != in {
			t.Errorf("%q does not read back: %q", in, decodeXstring(xmlUnescape(t, got)))
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
	x, err := newXLSX(&b, "responses", cols)
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
	sheets := readXLSX(t, b.Bytes())
	var names []string
	next := int64(0)
	for _, s := range sheets {
		names = append(names, s.Name)
		if s.Rows[0][0].Text != "i" || s.Rows[0][0].S != strconv.Itoa(xlsxStyleHeader) {
			t.Errorf("sheet %s header %+v", s.Name, s.Rows[0][0])
		}
		for _, r := range s.Rows[1:] {
			if got := xlsxValue(t, r[0], survey.ColInt); got != next {
				t.Errorf("sheet %s: row %v, want %d", s.Name, got, next)
			}
			if got := xlsxValue(t, r[1], survey.ColTime).(time.Time); !got.Equal(at) {
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
	tw, err := newParquet(&b, cols, fileOptions{})
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
	got := parquetTable(t, b.Bytes(), cols)
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
	tw, _ = newParquet(io.Discard, cols, fileOptions{})
	if err := tw.WriteRow([]any{nil, nil, 1.0, nil}); err == nil {
		t.Error("null accepted in a required column")
	}
	if err := tw.WriteRow([]any{"x", "not a number", 1.0, nil}); err == nil {
		t.Error("string accepted in an int column")
	}
}
