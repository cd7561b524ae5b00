// Package tabulartest reads back what package tabular writes, with minimal
// readers written for the tests (and Parquet's own reader): the tests of
// the writers and of the API's exports both check files through it.
package tabulartest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/parquet-go/parquet-go"
)

// XLSXCell is one cell as a minimal reader sees it.
type XLSXCell struct {
	Ref  string `xml:"r,attr"`
	T    string `xml:"t,attr"`
	S    string `xml:"s,attr"`
	V    string `xml:"v"`
	Text string `xml:"is>t"`
}

// XLSXSheet is a sheet's name and its rows of cells (nil where empty).
type XLSXSheet struct {
	Name string
	Rows [][]*XLSXCell
}

// ReadXLSX is a minimal SpreadsheetML reader for tests: it follows the
// workbook's relationships to the sheets and places cells by reference.
func ReadXLSX(t *testing.T, b []byte) []XLSXSheet {
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
	var out []XLSXSheet
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
				Cells []*XLSXCell `xml:"c"`
			} `xml:"sheetData>row"`
		}
		parse(target, &ws)
		sh := XLSXSheet{Name: s.Name}
		for i, r := range ws.Rows {
			if r.R != i+1 {
				t.Fatalf("sheet %s: row %d numbered %d", s.Name, i+1, r.R)
			}
			var row []*XLSXCell
			for _, c := range r.Cells {
				col, rn := splitRef(t, c.Ref)
				if rn != r.R {
					t.Fatalf("cell %s in row %d", c.Ref, r.R)
				}
				for len(row) <= col {
					row = append(row, nil)
				}
				c.Text = DecodeXstring(c.Text)
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

// xstringEscape is an _xHHHH_ escape at the start of a string.
var xstringEscape = regexp.MustCompile(`^_x[0-9A-Fa-f]{4}_`)

// excelEpoch is day 0 of Excel's 1900 date system for dates after
// February 1900.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// TimeStyle is the cell style the writer gives instants (its cellXfs
// index 1, a date-time number format).
const TimeStyle = "1"

// DecodeXstring undoes the _xHHHH_ escapes of ST_Xstring.
func DecodeXstring(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if xstringEscape.MatchString(s[i:]) {
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

// XLSXValue turns a cell back into the export's value for a column type.
func XLSXValue(t *testing.T, c *XLSXCell, typ survey.ColumnType) any {
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
		if err != nil || c.S != TimeStyle {
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

// ParquetTable reads a whole Parquet file back as rows of export values,
// checking its schema against cols.
func ParquetTable(t *testing.T, b []byte, cols []survey.ExportColumn) [][]any {
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
