package tabular

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brandlift/brandlift/survey"
)

// XLSX streams an Office Open XML workbook (ECMA-376, SpreadsheetML)
// straight into a zip, one row at a time, so memory stays flat whatever
// the table's size. It is small on purpose: inline strings (no shared
// string table, which would have to be held in memory), numbers, booleans,
// and instants as Excel serial dates in UTC with a date-time style.
//
// Every sheet has its header row frozen and its columns sized: to the
// header while streaming (Sheet), to the widest cell for a table held in
// memory (Table). Numbers take their column's survey.NumberFormat, or a
// cell's own (Formatted).
//
// String cells that a spreadsheet would read as a formula get a leading
// single quote (see Neutralised). A sheet holds at most xlsxMaxRows rows,
// Excel's limit; longer tables go on in sheets named "name 2", "name 3",
// each with the header again.
type XLSX struct {
	zw     *zip.Writer
	part   io.Writer // the open sheet's zip entry
	sheets []string  // names, in order
	base   string    // the table's sheet name, for continuations
	cols   []survey.ExportColumn
	refs   []string  // column letters
	styles []int     // cell style of each column's numbers
	widths []float64 // column widths, in characters
	rows   int       // rows in the open sheet, header included
	buf    []byte
}

// Formatted is a number with its own spreadsheet format, for a column
// whose rows mix kinds of numbers (a rate's interval in one row, an NPS
// interval in the next; a list of fields and values). XLSX applies Format;
// the other writers take Value alone (see Plain).
type Formatted struct {
	Value  any // int, int64 or float64
	Format survey.NumberFormat
}

// Plain replaces Formatted cells of row by their values, in place, for
// the writers that know no formats.
func Plain(row []any) []any {
	for i, v := range row {
		if f, ok := v.(Formatted); ok {
			row[i] = f.Value
		}
	}
	return row
}

// MaxColumnWidth caps a column's width, in characters: longer text (notes,
// methods) runs on into the empty cells to its right or is cut off.
const MaxColumnWidth = 60

// xlsxMaxRows is Excel's row limit per sheet; a variable for tests.
var xlsxMaxRows = 1 << 20

// xlsxFlushAt is how many bytes of sheet XML are gathered per zip write.
const xlsxFlushAt = 32 << 10

// excelEpoch is day 0 of Excel's 1900 date system as it is used for dates
// after February 1900: serial = days since 1899-12-30.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// NewXLSX starts a workbook with its first sheet.
func NewXLSX(w io.Writer, sheet string, cols []survey.ExportColumn) (*XLSX, error) {
	x, err := NewWorkbook(w)
	if err != nil {
		return nil, err
	}
	return x, x.Sheet(sheet, cols)
}

// NewWorkbook starts a workbook without a sheet: add them with Sheet or
// Table before Close.
func NewWorkbook(w io.Writer) (*XLSX, error) {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	x := &XLSX{zw: zw, buf: make([]byte, 0, xlsxFlushAt+4096)}
	// Sheets are declared by the xml extension's default content type, so
	// the content types can come first though the sheets are not known yet.
	for _, p := range [][2]string{{"[Content_Types].xml", xlsxContentTypes}, {"_rels/.rels", xlsxRootRels},
		{"xl/styles.xml", xlsxStyles}} {
		if err := x.writePart(p[0], p[1]); err != nil {
			return nil, err
		}
	}
	return x, nil
}

// NewXLSXTable is the Writer of the raw export: one sheet.
func NewXLSXTable(w io.Writer, cols []survey.ExportColumn, _ Options) (Writer, error) {
	return NewXLSX(w, "responses", cols)
}

func (x *XLSX) writePart(name, content string) error {
	f, err := x.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, content)
	return err
}

// Sheet ends the open sheet and starts another with a header row. The
// rows are not known yet, so a column is as wide as its header, or as an
// instant or a number in its format.
func (x *XLSX) Sheet(name string, cols []survey.ExportColumn) error {
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = fitWidth(headerChars(c.Name), columnChars(c))
	}
	return x.startSheet(name, cols, widths)
}

// Table writes a sheet of rows held in memory (a report's tables), each
// column as wide as its widest cell as the sheet shows it, up to
// MaxColumnWidth.
func (x *XLSX) Table(name string, cols []survey.ExportColumn, rows [][]any) error {
	widths := make([]float64, len(cols))
	for i, c := range cols {
		n := 0
		for _, r := range rows {
			if i < len(r) {
				n = max(n, cellChars(r[i], c.Format))
			}
		}
		widths[i] = fitWidth(headerChars(c.Name), n)
	}
	if err := x.startSheet(name, cols, widths); err != nil {
		return err
	}
	for _, r := range rows {
		if err := x.WriteRow(r); err != nil {
			return err
		}
	}
	return nil
}

func (x *XLSX) startSheet(name string, cols []survey.ExportColumn, widths []float64) error {
	x.base, x.cols, x.widths = name, cols, widths
	x.refs = make([]string, len(cols))
	x.styles = make([]int, len(cols))
	for i, c := range cols {
		x.refs[i] = columnLetters(i)
		x.styles[i] = numberStyle(c.Format)
	}
	return x.openSheet(name)
}

func (x *XLSX) openSheet(name string) error {
	if err := x.closeSheet(); err != nil {
		return err
	}
	x.sheets = append(x.sheets, name)
	f, err := x.zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("xl/worksheets/sheet%d.xml", len(x.sheets)),
		Method: zip.Deflate, Modified: time.Now()})
	if err != nil {
		return err
	}
	x.part, x.rows = f, 0
	b := append(x.buf[:0], xlsxSheetStart...)
	b = x.appendCols(b)
	b = append(b, "<sheetData>"...)
	x.buf = b
	header := make([]any, len(x.cols))
	for i, c := range x.cols {
		header[i] = c.Name
	}
	return x.writeRow(header, true)
}

// appendCols sets the column widths (ECMA-376 Part 1, 18.3.1.13), which
// must come before the sheet's data; without them Excel shows instants and
// long numbers as ####.
func (x *XLSX) appendCols(b []byte) []byte {
	if len(x.widths) == 0 {
		return b
	}
	b = append(b, "<cols>"...)
	for i, w := range x.widths {
		n := strconv.Itoa(i + 1)
		b = append(b, `<col min="`+n+`" max="`+n+`" width="`...)
		b = strconv.AppendFloat(b, w, 'f', -1, 64)
		b = append(b, `" customWidth="1"/>`...)
	}
	return append(b, "</cols>"...)
}

// Column widths are in characters of the default font's digits (ECMA-376
// Part 1, 18.3.1.13); fitWidth adds two for the cell's padding, and bold
// header text counts a tenth more.
func fitWidth(header, cells int) float64 {
	return math.Min(float64(max(header, cells, 6)+2), MaxColumnWidth)
}

func headerChars(name string) int { return int(math.Ceil(1.1 * float64(utf8.RuneCountInString(name)))) }

// columnChars is the width a streamed column's cells need before they are
// seen: an instant's, or a typical number's in the column's format.
func columnChars(c survey.ExportColumn) int {
	if c.Type == survey.ColTime {
		return len("2006-01-02 15:04:05")
	}
	return map[survey.NumberFormat]int{survey.FormatPercent: len("-100.0%"), survey.FormatScientific: len("1.00E-300"),
		survey.FormatInteger: len("1,000,000"), survey.FormatOneDecimal: len("-100.0"), survey.FormatTwoDecimals: len("10000.00")}[c.Format]
}

// cellChars is how many characters v takes as the sheet shows it: a text's
// longest line, a number in its format (General shows at most 11).
func cellChars(v any, f survey.NumberFormat) int {
	switch v := v.(type) {
	case nil:
		return 0
	case Formatted:
		return cellChars(v.Value, v.Format)
	case string:
		n := 0
		for _, line := range strings.Split(v, "\n") {
			n = max(n, utf8.RuneCountInString(line))
		}
		if Neutralised(v) {
			n++
		}
		return n
	case bool:
		return len("FALSE")
	case time.Time:
		return len("2006-01-02 15:04:05")
	case int:
		return numberChars(float64(v), f)
	case int64:
		return numberChars(float64(v), f)
	case float64:
		if !finite(v) {
			return 0
		}
		return numberChars(v, f)
	}
	return utf8.RuneCountInString(fmt.Sprint(v))
}

func numberChars(v float64, f survey.NumberFormat) int {
	switch f {
	case survey.FormatPercent:
		return len(strconv.FormatFloat(v*100, 'f', 1, 64)) + 1
	case survey.FormatScientific:
		return len(fmt.Sprintf("%.2E", v))
	case survey.FormatInteger:
		s := strconv.FormatFloat(math.Abs(math.Round(v)), 'f', 0, 64)
		n := len(s) + (len(s)-1)/3
		if v <= -0.5 {
			n++
		}
		return n
	case survey.FormatOneDecimal:
		return len(strconv.FormatFloat(v, 'f', 1, 64))
	case survey.FormatTwoDecimals:
		return len(strconv.FormatFloat(v, 'f', 2, 64))
	}
	return min(len(appendFloat(nil, v)), 11)
}

func (x *XLSX) closeSheet() error {
	if x.part == nil {
		return nil
	}
	x.buf = append(x.buf, "</sheetData></worksheet>"...)
	_, err := x.part.Write(x.buf)
	x.buf, x.part = x.buf[:0], nil
	return err
}

// WriteRow writes one row, starting a continuation sheet at the limit.
func (x *XLSX) WriteRow(row []any) error {
	if x.rows >= xlsxMaxRows {
		name := x.base + " " + strconv.Itoa(len(x.sheets)+1)
		if err := x.openSheet(name); err != nil {
			return err
		}
	}
	return x.writeRow(row, false)
}

// Cell styles of xlsxStyles' cellXfs.
const (
	xlsxStyleTime   = 1
	xlsxStyleHeader = 2
	// One per survey.NumberFormat, in the order of numberStyle.
	xlsxStylePercent     = 3
	xlsxStyleScientific  = 4
	xlsxStyleInteger     = 5
	xlsxStyleOneDecimal  = 6
	xlsxStyleTwoDecimals = 7
)

// numberStyle is the cell style of numbers in format f; 0 for General and
// for a format the writer does not know.
func numberStyle(f survey.NumberFormat) int {
	switch f {
	case survey.FormatPercent:
		return xlsxStylePercent
	case survey.FormatScientific:
		return xlsxStyleScientific
	case survey.FormatInteger:
		return xlsxStyleInteger
	case survey.FormatOneDecimal:
		return xlsxStyleOneDecimal
	case survey.FormatTwoDecimals:
		return xlsxStyleTwoDecimals
	}
	return 0
}

// writeRow writes a row; the header's text is bold.
func (x *XLSX) writeRow(row []any, header bool) error {
	textStyle := 0
	if header {
		textStyle = xlsxStyleHeader
	}
	x.rows++
	rn := strconv.Itoa(x.rows)
	b := append(x.buf, `<row r="`...)
	b = append(b, rn...)
	b = append(b, `">`...)
	for i, v := range row {
		style := x.styles[i]
		if f, ok := v.(Formatted); ok {
			v, style = f.Value, numberStyle(f.Format)
		}
		if v == nil {
			continue
		}
		if f, ok := v.(float64); ok && !finite(f) {
			continue
		}
		b = append(b, `<c r="`...)
		b = append(b, x.refs[i]...)
		b = append(b, rn...)
		b = append(b, '"')
		switch v := v.(type) {
		case string:
			b = appendXLSXString(b, v, textStyle)
		case int64:
			b = appendStyle(b, style)
			b = append(b, "><v>"...)
			b = strconv.AppendInt(b, v, 10)
			b = append(b, "</v></c>"...)
		case int:
			b = appendStyle(b, style)
			b = append(b, "><v>"...)
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, "</v></c>"...)
		case float64:
			// appendFloat keeps every digit and the exponent: a p-value
			// of 1e-300 stays 1e-300 (Excel reads doubles to ±1e-307).
			b = appendStyle(b, style)
			b = append(b, "><v>"...)
			b = appendFloat(b, v)
			b = append(b, "</v></c>"...)
		case bool:
			if v {
				b = append(b, ` t="b"><v>1</v></c>`...)
			} else {
				b = append(b, ` t="b"><v>0</v></c>`...)
			}
		case time.Time:
			b = append(b, ` s="`+strconv.Itoa(xlsxStyleTime)+`"><v>`...)
			b = strconv.AppendFloat(b, excelSerial(v), 'f', -1, 64)
			b = append(b, "</v></c>"...)
		default:
			b = appendXLSXString(b, fmt.Sprint(v), textStyle)
		}
	}
	b = append(b, "</row>"...)
	x.buf = b
	if len(b) >= xlsxFlushAt {
		_, err := x.part.Write(b)
		x.buf = b[:0]
		return err
	}
	return nil
}

// excelSerial is t as an Excel serial date: days since 1899-12-30, UTC,
// to the microsecond.
func excelSerial(t time.Time) float64 {
	return float64(t.UnixMicro()-excelEpoch.UnixMicro()) / 86400e6
}

// appendStyle writes a cell's style attribute, none for style 0.
func appendStyle(b []byte, style int) []byte {
	if style == 0 {
		return b
	}
	b = append(b, ` s="`...)
	b = strconv.AppendInt(b, int64(style), 10)
	return append(b, '"')
}

// appendXLSXString writes the rest of an inline-string cell.
func appendXLSXString(b []byte, s string, style int) []byte {
	b = appendStyle(b, style)
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" && (isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	if Neutralised(s) {
		b = append(b, '\'')
	}
	b = appendXMLText(b, s)
	return append(b, "</t></is></c>"...)
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// appendXMLText escapes s for SpreadsheetML text: the XML specials, CR as
// a character reference (XML would read a raw CR back as LF), and the
// characters XML cannot hold as _xHHHH_ (ECMA-376 Part 1, 22.9.2.19
// ST_Xstring), an underscore that would read as such an escape itself
// escaped as _x005F_; invalid UTF-8 becomes U+FFFD.
func appendXMLText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '<':
				b = append(b, "&lt;"...)
			case c == '>':
				b = append(b, "&gt;"...)
			case c == '&':
				b = append(b, "&amp;"...)
			case c == '\r':
				b = append(b, "&#13;"...)
			case c == '\t' || c == '\n':
				b = append(b, c)
			case c < 0x20:
				b = appendXstringEscape(b, rune(c))
			case c == '_' && looksEscaped(s[i:]):
				b = append(b, "_x005F_"...)
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, "\uFFFD"...)
		case r == 0xFFFE || r == 0xFFFF:
			b = appendXstringEscape(b, r)
		default:
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return b
}

func appendXstringEscape(b []byte, r rune) []byte {
	const hex = "0123456789ABCDEF"
	return append(b, '_', 'x', hex[r>>12&0xF], hex[r>>8&0xF], hex[r>>4&0xF], hex[r&0xF], '_')
}

// looksEscaped reports whether s starts with _xHHHH_.
func looksEscaped(s string) bool {
	if len(s) < 7 || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// columnLetters is the spreadsheet name of the i-th column: A..Z, AA...
func columnLetters(i int) string {
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// Close ends the last sheet and writes the workbook that lists the sheets.
func (x *XLSX) Close() error {
	if len(x.sheets) == 0 {
		return errors.New("tabular: a workbook needs a sheet")
	}
	if err := x.closeSheet(); err != nil {
		return err
	}
	wb := []byte(xmlDecl + `<workbook xmlns="` + nsMain + `" xmlns:r="` + nsRel + `"><sheets>`)
	rels := []byte(xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, name := range x.sheets {
		n := strconv.Itoa(i + 1)
		wb = append(wb, `<sheet name="`...)
		wb = appendXMLText(wb, name)
		wb = append(wb, `" sheetId="`+n+`" r:id="rId`+n+`"/>`...)
		rels = append(rels, `<Relationship Id="rId`+n+`" Type="`+nsRel+`/worksheet" Target="worksheets/sheet`+n+`.xml"/>`...)
	}
	wb = append(wb, `</sheets></workbook>`...)
	n := strconv.Itoa(len(x.sheets) + 1)
	rels = append(rels, `<Relationship Id="rId`+n+`" Type="`+nsRel+`/styles" Target="styles.xml"/></Relationships>`...)
	if err := x.writePart("xl/workbook.xml", string(wb)); err != nil {
		return err
	}
	if err := x.writePart("xl/_rels/workbook.xml.rels", string(rels)); err != nil {
		return err
	}
	return x.zw.Close()
}

const (
	xmlDecl = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	nsMain  = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsRel   = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

	xlsxContentTypes = xmlDecl + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>` +
		`</Types>`

	xlsxRootRels = xmlDecl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + nsRel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`

	// xlsxStyles: cell style 0 plain, 1 date-time, 2 bold (the header),
	// 3-7 the survey.NumberFormats (see numberStyle), each with its own
	// numFmt (not a built-in id, whose code depends on the reader's locale).
	xlsxStyles = xmlDecl + `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="6"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/>` +
		`<numFmt numFmtId="165" formatCode="` + string(survey.FormatPercent) + `"/>` +
		`<numFmt numFmtId="166" formatCode="` + string(survey.FormatScientific) + `"/>` +
		`<numFmt numFmtId="167" formatCode="` + string(survey.FormatInteger) + `"/>` +
		`<numFmt numFmtId="168" formatCode="` + string(survey.FormatOneDecimal) + `"/>` +
		`<numFmt numFmtId="169" formatCode="` + string(survey.FormatTwoDecimals) + `"/></numFmts>` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="8"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>` +
		`<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="169" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`

	// xlsxSheetStart opens a worksheet with its header row frozen.
	xlsxSheetStart = xmlDecl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`</sheetView></sheetViews>`
)
