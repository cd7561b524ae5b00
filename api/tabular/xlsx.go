package tabular

import (
	"archive/zip"
	"compress/flate"
	"fmt"
	"io"
	"strconv"
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
	refs   []string // column letters
	rows   int      // rows in the open sheet, header included
	buf    []byte
}

// xlsxMaxRows is Excel's row limit per sheet; a variable for tests.
var xlsxMaxRows = 1 << 20

// xlsxFlushAt is how many bytes of sheet XML are gathered per zip write.
const xlsxFlushAt = 32 << 10

// excelEpoch is day 0 of Excel's 1900 date system as it is used for dates
// after February 1900: serial = days since 1899-12-30.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// NewXLSX starts a workbook with its first sheet.
func NewXLSX(w io.Writer, sheet string, cols []survey.ExportColumn) (*XLSX, error) {
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
	return x, x.Sheet(sheet, cols)
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

// Sheet ends the open sheet and starts another with a header row.
func (x *XLSX) Sheet(name string, cols []survey.ExportColumn) error {
	x.base, x.cols = name, cols
	x.refs = make([]string, len(cols))
	for i := range cols {
		x.refs[i] = columnLetters(i)
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
	return x.writeRow(header, xlsxStyleHeader)
}

// appendCols widens the columns of instants, which Excel would otherwise
// show as ####.
func (x *XLSX) appendCols(b []byte) []byte {
	open := false
	for i, c := range x.cols {
		if c.Type != survey.ColTime {
			continue
		}
		if !open {
			b = append(b, "<cols>"...)
			open = true
		}
		n := strconv.Itoa(i + 1)
		b = append(b, `<col min="`+n+`" max="`+n+`" width="20" customWidth="1"/>`...)
	}
	if open {
		b = append(b, "</cols>"...)
	}
	return b
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
	return x.writeRow(row, 0)
}

// Cell styles of xlsxStyles' cellXfs.
const (
	xlsxStyleTime   = 1
	xlsxStyleHeader = 2
)

func (x *XLSX) writeRow(row []any, style int) error {
	x.rows++
	rn := strconv.Itoa(x.rows)
	b := append(x.buf, `<row r="`...)
	b = append(b, rn...)
	b = append(b, `">`...)
	for i, v := range row {
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
			b = appendXLSXString(b, v, style)
		case int64:
			b = append(b, "><v>"...)
			b = strconv.AppendInt(b, v, 10)
			b = append(b, "</v></c>"...)
		case int:
			b = append(b, "><v>"...)
			b = strconv.AppendInt(b, int64(v), 10)
			b = append(b, "</v></c>"...)
		case float64:
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
			b = appendXLSXString(b, fmt.Sprint(v), style)
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

// appendXLSXString writes the rest of an inline-string cell.
func appendXLSXString(b []byte, s string, style int) []byte {
	if style != 0 {
		b = append(b, ` s="`...)
		b = strconv.AppendInt(b, int64(style), 10)
		b = append(b, '"')
	}
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

	// xlsxStyles: cell style 0 plain, 1 date-time, 2 bold (the header).
	xlsxStyles = xmlDecl + `<styleSheet xmlns="` + nsMain + `">` +
		`<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>` +
		`<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>` +
		`<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
		`<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
		`<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
		`<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
		`<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>` +
		`<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>` +
		`<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>` +
		`<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
		`</styleSheet>`

	// xlsxSheetStart opens a worksheet with its header row frozen.
	xlsxSheetStart = xmlDecl + `<worksheet xmlns="` + nsMain + `" xmlns:r="` + nsRel + `">` +
		`<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>` +
		`</sheetView></sheetViews>`
)
