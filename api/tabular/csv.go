package tabular

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// csvWriter writes RFC 4180 CSV in UTF-8: records end in CRLF; a field is
// quoted when it holds the delimiter, a double quote, CR or LF, and its
// quotes are doubled; text inside quotes is verbatim (line breaks included).
//
// Nulls and empty strings differ, as in PostgreSQL's COPY ... CSV: a null
// is an empty field, an empty string is "". Numbers are written as
// numbers (a '.' decimal point whatever the delimiter) and are never
// neutralised (Neutralised): -1 is a number, not a formula. String cells that start with
// = + - @, a tab or a carriage return get a leading single quote (see
// neutralised). Instants are RFC 3339 in UTC.
type csvWriter struct {
	w     io.Writer
	delim byte
	buf   []byte
}

// NewCSV writes the optional byte order mark and the header.
func NewCSV(w io.Writer, cols []survey.ExportColumn, o Options) (Writer, error) {
	cw := &csvWriter{w: w, delim: o.Delimiter, buf: make([]byte, 0, 1024)}
	if cw.delim == 0 {
		cw.delim = ','
	}
	if o.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.Name
	}
	return cw, cw.WriteRow(header)
}

// WriteRow writes one record.
func (cw *csvWriter) WriteRow(row []any) error {
	b := cw.buf[:0]
	for i, v := range row {
		if i > 0 {
			b = append(b, cw.delim)
		}
		b = cw.appendCell(b, v)
	}
	b = append(b, '\r', '\n')
	cw.buf = b
	_, err := cw.w.Write(b)
	return err
}

// Close has nothing to finish: CSV has no footer.
func (cw *csvWriter) Close() error { return nil }

func (cw *csvWriter) appendCell(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return b
	case string:
		return cw.appendString(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case float64:
		if !finite(v) {
			return b
		}
		return appendFloat(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case time.Time:
		return v.UTC().AppendFormat(b, timeFormat)
	default:
		return cw.appendString(b, fmt.Sprint(v))
	}
}

func (cw *csvWriter) appendString(b []byte, s string) []byte {
	quote := s == ""
	for i := 0; i < len(s) && !quote; i++ {
		switch s[i] {
		case cw.delim, '"', '\r', '\n':
			quote = true
		}
	}
	if !quote {
		if Neutralised(s) {
			b = append(b, '\'')
		}
		return append(b, s...)
	}
	b = append(b, '"')
	if Neutralised(s) {
		b = append(b, '\'')
	}
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			b = append(b, '"')
		}
		b = append(b, s[i])
	}
	return append(b, '"')
}
