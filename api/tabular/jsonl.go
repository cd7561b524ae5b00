package tabular

import (
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/brandlift/brandlift/survey"
)

// jsonlWriter writes JSON Lines: one object per row, keyed by column name
// in column order, values verbatim (no formula neutralising: JSON is not
// read by spreadsheets), numbers as numbers, instants as RFC 3339 strings
// in UTC, nulls as null.
type jsonlWriter struct {
	w    io.Writer
	keys [][]byte // `"name":` per column, encoded once
	buf  []byte
}

// NewJSONL writes nothing up front: every line is a whole object.
func NewJSONL(w io.Writer, cols []survey.ExportColumn, _ Options) (Writer, error) {
	jw := &jsonlWriter{w: w, keys: make([][]byte, len(cols)), buf: make([]byte, 0, 1024)}
	for i, c := range cols {
		k := appendJSONString(nil, c.Name)
		jw.keys[i] = append(k, ':')
	}
	return jw, nil
}

// WriteRow writes one line.
func (jw *jsonlWriter) WriteRow(row []any) error {
	b := append(jw.buf[:0], '{')
	for i, v := range row {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, jw.keys[i]...)
		b = appendJSONValue(b, v)
	}
	b = append(b, '}', '\n')
	jw.buf = b
	_, err := jw.w.Write(b)
	return err
}

// Close has nothing to finish.
func (jw *jsonlWriter) Close() error { return nil }

func appendJSONValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...)
	case string:
		return appendJSONString(b, v)
	case int64:
		return strconv.AppendInt(b, v, 10)
	case int:
		return strconv.AppendInt(b, int64(v), 10)
	case float64:
		if !finite(v) {
			return append(b, "null"...)
		}
		return appendFloat(b, v)
	case bool:
		return strconv.AppendBool(b, v)
	case time.Time:
		b = append(b, '"')
		b = v.UTC().AppendFormat(b, timeFormat)
		return append(b, '"')
	default:
		return appendJSONString(b, fmt.Sprint(v))
	}
}

const hexDigits = "0123456789abcdef"

// appendJSONString quotes s as a JSON string (RFC 8259): quotes,
// backslashes and control characters escaped, U+2028 and U+2029 escaped
// for JavaScript, invalid UTF-8 replaced by U+FFFD; <, > and & verbatim.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
