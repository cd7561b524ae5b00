package tabular

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/api/tabular/tabulartest"
	"github.com/brandlift/brandlift/survey"
)

// xlsxParts reads the raw XML of a workbook's parts.
func xlsxParts(t *testing.T, b []byte) map[string][]byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name], err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// styleFormats maps each cellXfs index of styles.xml to its number format
// code, resolving custom numFmts and General (id 0).
func styleFormats(t *testing.T, styles []byte) map[string]string {
	t.Helper()
	var ss struct {
		NumFmts []struct {
			ID   string `xml:"numFmtId,attr"`
			Code string `xml:"formatCode,attr"`
		} `xml:"numFmts>numFmt"`
		Xfs []struct {
			NumFmtID string `xml:"numFmtId,attr"`
			Apply    string `xml:"applyNumberFormat,attr"`
		} `xml:"cellXfs>xf"`
	}
	if err := xml.Unmarshal(styles, &ss); err != nil {
		t.Fatal(err)
	}
	codes := map[string]string{"0": "General"}
	for _, f := range ss.NumFmts {
		codes[f.ID] = f.Code
	}
	out := map[string]string{}
	for i, x := range ss.Xfs {
		code, ok := codes[x.NumFmtID]
		if !ok {
			t.Fatalf("xf %d: numFmtId %s is neither declared nor General", i, x.NumFmtID)
		}
		if x.NumFmtID != "0" && x.Apply != "1" {
			t.Errorf("xf %d: format %s without applyNumberFormat", i, code)
		}
		out[strconv.Itoa(i)] = code
	}
	out[""] = "General"
	return out
}

// sheetLayout is a worksheet's pane and column widths.
type sheetLayout struct {
	Pane struct {
		YSplit  string `xml:"ySplit,attr"`
		TopLeft string `xml:"topLeftCell,attr"`
		State   string `xml:"state,attr"`
	} `xml:"sheetViews>sheetView>pane"`
	Cols []struct {
		Min    int     `xml:"min,attr"`
		Max    int     `xml:"max,attr"`
		Width  float64 `xml:"width,attr"`
		Custom string  `xml:"customWidth,attr"`
	} `xml:"cols>col"`
}

func layoutOf(t *testing.T, sheet []byte) sheetLayout {
	t.Helper()
	var l sheetLayout
	if err := xml.Unmarshal(sheet, &l); err != nil {
		t.Fatal(err)
	}
	if l.Pane.YSplit != "1" || l.Pane.TopLeft != "A2" || l.Pane.State != "frozen" {
		t.Errorf("header row not frozen: %+v", l.Pane)
	}
	return l
}

// TestXLSXNumberFormats: numbers take their column's format or their
// own (Formatted); text, booleans and the header take none; each format
// is declared in styles.xml with its Excel code.
func TestXLSXNumberFormats(t *testing.T) {
	cols := []survey.ExportColumn{{Name: "rate", Format: survey.FormatPercent}, {Name: "p", Format: survey.FormatScientific},
		{Name: "n", Format: survey.FormatInteger}, {Name: "nps", Format: survey.FormatOneDecimal},
		{Name: "cost", Format: survey.FormatTwoDecimals}, {Name: "mixed"}, {Name: "at", Type: survey.ColTime}}
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	rows := [][]any{
		{0.25, 1e-300, int64(1234567), 12.5, 1.1111, Formatted{Value: 0.5, Format: survey.FormatPercent}, at},
		{"n/a", true, 3, -7.25, nil, Formatted{Value: int64(42), Format: survey.FormatInteger}, nil},
		{math.NaN(), 0.0, -2, 0.0, 0.0, Formatted{Value: 3.14159, Format: survey.FormatGeneral}, nil},
	}
	var b bytes.Buffer
	x, err := NewWorkbook(&b)
	if err != nil {
		t.Fatal(err)
	}
	if err := x.Table("formats", cols, rows); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	parts := xlsxParts(t, b.Bytes())
	formats := styleFormats(t, parts["xl/styles.xml"])
	sheets := tabulartest.ReadXLSX(t, b.Bytes())
	got := make([][]string, len(sheets[0].Rows))
	for i, r := range sheets[0].Rows {
		for j := range cols {
			f := "-" // no cell
			if j < len(r) && r[j] != nil {
				f = formats[r[j].S]
			}
			got[i] = append(got[i], f)
		}
	}
	want := [][]string{
		{"General", "General", "General", "General", "General", "General", "General"}, // the header: bold, no number format
		{"0.0%", "0.00E+00", "#,##0", "0.0", "0.00", "0.0%", "yyyy-mm-dd hh:mm:ss"},
		{"General", "General", "#,##0", "0.0", "-", "#,##0", "-"},
		{"-", "0.00E+00", "#,##0", "0.0", "0.00", "General", "-"},
	}
	for i := range want {
		if strings.Join(got[i], " | ") != strings.Join(want[i], " | ") {
			t.Errorf("row %d formats\n got %v\nwant %v", i, got[i], want[i])
		}
	}
	if h := sheets[0].Rows[0][0]; h.S != strconv.Itoa(xlsxStyleHeader) {
		t.Errorf("header style %q", h.S)
	}
	// The values are the numbers themselves, whatever their format.
	r1 := sheets[0].Rows[1]
	for j, want := range []string{"0.25", "1e-300", "1234567", "12.5", "1.1111", "0.5"} {
		if r1[j].V != want {
			t.Errorf("column %s: %q, want %q", cols[j].Name, r1[j].V, want)
		}
	}
	if c := sheets[0].Rows[2][5]; c.V != "42" {
		t.Errorf("formatted int64 written as %+v", c)
	}
}

// TestXLSXColumnWidths: a table's columns fit their widest cell as
// shown in its format, within [8, MaxColumnWidth]; a streamed sheet's fit
// its header (and instants); continuation sheets keep the widths.
func TestXLSXColumnWidths(t *testing.T) {
	cols := []survey.ExportColumn{{Name: "rate", Format: survey.FormatPercent}, {Name: "p_value", Format: survey.FormatScientific},
		{Name: "n", Format: survey.FormatInteger}, {Name: "notes"}, {Name: "a_rather_long_header_name"}, {Name: "mixed"}}
	rows := [][]any{
		{0.123, 1e-300, int64(-1234567), strings.Repeat("ж", 100), 1.0, Formatted{Value: 1234.5, Format: survey.FormatTwoDecimals}},
		{-1.0, 0.5, 12, "short\nlines", nil, "x"},
	}
	var b bytes.Buffer
	x, _ := NewWorkbook(&b)
	if err := x.Table("fit", cols, rows); err != nil {
		t.Fatal(err)
	}
	stream := []survey.ExportColumn{{Name: "response_id"}, {Name: "completed_at", Type: survey.ColTime}, {Name: "p", Format: survey.FormatScientific}}
	if err := x.Sheet("stream", stream); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	parts := xlsxParts(t, b.Bytes())
	for sheet, want := range map[string][]float64{
		// "-100.0%" 7, "1.00E-300" 9, "-1,234,567" 10, capped, header 25 x 1.1, "1234.50" 7; +2 padding
		"xl/worksheets/sheet1.xml": {9, 11, 12, MaxColumnWidth, 30, 9},
		// header "response_id" 11 x 1.1; an instant 19; "1.00E-300" 9
		"xl/worksheets/sheet2.xml": {15, 21, 11},
	} {
		l := layoutOf(t, parts[sheet])
		var got []float64
		for i, c := range l.Cols {
			if c.Min != i+1 || c.Max != i+1 || c.Custom != "1" {
				t.Errorf("%s col %+v", sheet, c)
			}
			got = append(got, c.Width)
		}
		if len(got) != len(want) {
			t.Fatalf("%s widths %v, want %v", sheet, got, want)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s widths %v, want %v", sheet, got, want)
				break
			}
		}
	}

	defer func(n int) { xlsxMaxRows = n }(xlsxMaxRows)
	xlsxMaxRows = 2
	b.Reset()
	x, _ = NewWorkbook(&b)
	if err := x.Table("fit", cols, rows); err != nil {
		t.Fatal(err)
	}
	x.Close()
	parts = xlsxParts(t, b.Bytes())
	first, second := layoutOf(t, parts["xl/worksheets/sheet1.xml"]), layoutOf(t, parts["xl/worksheets/sheet2.xml"])
	if len(second.Cols) != len(cols) || second.Cols[3].Width != first.Cols[3].Width {
		t.Errorf("continuation widths %+v, first %+v", second.Cols, first.Cols)
	}
}

// TestTinyNumbersKeepTheirValue: p-values far below any display precision
// are written with every digit, in XLSX and CSV alike, down to the
// smallest double.
func TestTinyNumbersKeepTheirValue(t *testing.T) {
	values := []float64{1e-300, 5e-324, 2.2250738585072014e-308, 1.234567890123e-17, -3e-200, 0.049999999999999996}
	cols := []survey.ExportColumn{{Name: "p", Type: survey.ColFloat, Format: survey.FormatScientific}}
	var xb, cb bytes.Buffer
	x, _ := NewXLSX(&xb, "p", cols)
	c, _ := NewCSV(&cb, cols, Options{Delimiter: ','})
	for _, v := range values {
		if err := x.WriteRow([]any{v}); err != nil {
			t.Fatal(err)
		}
		if err := c.WriteRow(Plain([]any{Formatted{Value: v, Format: survey.FormatScientific}})); err != nil {
			t.Fatal(err)
		}
	}
	x.Close()
	c.Close()
	rows := tabulartest.ReadXLSX(t, xb.Bytes())[0].Rows[1:]
	recs, err := csv.NewReader(&cb).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range values {
		fx, errX := strconv.ParseFloat(rows[i][0].V, 64)
		fc, errC := strconv.ParseFloat(recs[i+1][0], 64)
		if errX != nil || errC != nil || fx != want || fc != want {
			t.Errorf("%g: xlsx %q, csv %q", want, rows[i][0].V, recs[i+1][0])
		}
	}
}

func TestPlainAndEmptyWorkbook(t *testing.T) {
	row := []any{"a", Formatted{Value: 0.5, Format: survey.FormatPercent}, nil, Formatted{Value: int64(3)}}
	if got := Plain(row); got[1] != 0.5 || got[3] != int64(3) || got[0] != "a" || got[2] != nil {
		t.Errorf("Plain %v", got)
	}
	x, _ := NewWorkbook(io.Discard)
	if err := x.Close(); err == nil {
		t.Errorf("a workbook without sheets closed without error")
	}
}
