package api

import (
	"bufio"
	"context"
	"errors"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// exportWriteTimeout replaces the server's 30 s write timeout for a file
// download, which may take minutes for a large study on a slow link.
const exportWriteTimeout = 10 * time.Minute

// exportBufferSize is how much of a file is held before the first bytes go
// out: a failure within it still becomes a problem response.
const exportBufferSize = 64 << 10

// tableWriter writes one table to a file, row by row, in flat memory. Its
// constructor writes the header; Close finishes the file (a zip's central
// directory, a Parquet footer) but does not flush the download buffer.
type tableWriter interface {
	// WriteRow writes one row of values: string, int64, float64,
	// time.Time or nil, matching the columns' types (CSV, JSON Lines and
	// XLSX also take int and bool, for the report's tables). The row may
	// be reused once WriteRow returns.
	WriteRow(row []any) error
	Close() error
}

// fileOptions are the query options that shape a file.
type fileOptions struct {
	bom       bool // CSV: start with a UTF-8 byte order mark (for Excel)
	delimiter byte // CSV: ',' or ';'
}

// delimiters are the CSV delimiters by query value.
var delimiters = map[string]byte{"comma": ',', "semicolon": ';'}

// readFileOptions reads bom and delimiter; they are checked whatever the
// format, so that a typo is refused rather than silently ignored.
func readFileOptions(c echo.Context) (fileOptions, error) {
	o := fileOptions{delimiter: ','}
	if v := c.QueryParam("bom"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			p := badParam("bom", "must be 1 (true) or 0 (false), got %q", v)
			p.ValidValues = []string{"1", "0", "true", "false"}
			return o, p
		}
		o.bom = b
	}
	if v := c.QueryParam("delimiter"); v != "" {
		d, ok := delimiters[v]
		if !ok {
			p := badParam("delimiter", "must be comma or semicolon, got %q", v)
			p.ValidValues = []string{"comma", "semicolon"}
			return o, p
		}
		o.delimiter = d
	}
	return o, nil
}

// unknownFormat is the 400 for a format the endpoint does not write.
func unknownFormat(format string, valid []string) *Problem {
	p := badParam("format", "unknown format %q; valid: %s", format, strings.Join(valid, ", "))
	p.ValidValues = valid
	return p
}

// download is a file on its way to the client. Bytes are buffered, so a
// failure before the first exportBufferSize bytes still becomes a problem
// response; after that the status is sent, and a failure drops the
// connection so that the client never takes a truncated file for whole.
type download struct {
	c   echo.Context
	buf *bufio.Writer
}

// startDownload sets the headers of an attachment and lifts the write
// deadline for the time the file takes.
func startDownload(c echo.Context, contentType, fileName string) *download {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": fileName}))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	// Unsupported by test recorders; the server's deadline then stays.
	_ = http.NewResponseController(c.Response()).SetWriteDeadline(time.Now().Add(exportWriteTimeout))
	return &download{c: c, buf: bufio.NewWriterSize(c.Response(), exportBufferSize)}
}

// Write buffers p for the client.
func (d *download) Write(p []byte) (int, error) { return d.buf.Write(p) }

// finish sends the rest of the file, or deals with err: as a problem while
// nothing was sent, else by logging it and aborting the connection.
func (s *Server) finish(d *download, err error) error {
	if err == nil {
		if err = d.buf.Flush(); err == nil {
			return nil
		}
	}
	if !d.c.Response().Committed {
		d.c.Response().Header().Del(echo.HeaderContentDisposition)
		return err
	}
	gone := errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
	s.log.Error("export failed after the response started; connection dropped",
		"request_id", requestID(d.c), "path", d.c.Request().URL.Path, "client_gone", gone, "err", err)
	panic(http.ErrAbortHandler)
}

// neutralised reports whether a spreadsheet would read s as a formula:
// it starts with = + - @, a tab or a carriage return (OWASP, "CSV
// Injection"). Such string cells are written with a leading single quote
// in CSV and XLSX; numbers are never changed.
func neutralised(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// appendFloat writes f as encoding/json does: plain decimals, exponent
// only for very small or large magnitudes. Callers handle NaN and Inf.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, 64)
}

// finite reports whether f can be written as a number.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// timeFormat is how CSV and JSON Lines write instants: RFC 3339 in UTC.
const timeFormat = time.RFC3339Nano

// columnsOf names string columns, for tables built in this package.
func columnsOf(names ...string) []survey.ExportColumn {
	out := make([]survey.ExportColumn, len(names))
	for i, n := range names {
		out[i] = survey.ExportColumn{Name: n, Type: survey.ColString, Nullable: true}
	}
	return out
}

var _ io.Writer = (*download)(nil)
