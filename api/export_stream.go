package api

import (
	"bufio"
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// exportWriteTimeout replaces the server's 30 s write timeout for a file
// download, which may take minutes for a large study on a slow link.
const exportWriteTimeout = 10 * time.Minute

// exportBufferSize is how much of a file is held before the first bytes go
// out: a failure within it still becomes a problem response.
const exportBufferSize = 64 << 10

// delimiters are the CSV delimiters by query value.
var delimiters = map[string]byte{"comma": ',', "semicolon": ';'}

// readFileOptions reads bom and delimiter; they are checked whatever the
// format, so that a typo is refused rather than silently ignored.
func readFileOptions(c echo.Context) (tabular.Options, error) {
	o := tabular.Options{Delimiter: ','}
	if v := c.QueryParam("bom"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			p := badParam("bom", "must be 1 (true) or 0 (false), got %q", v)
			p.ValidValues = []string{"1", "0", "true", "false"}
			return o, p
		}
		o.BOM = b
	}
	if v := c.QueryParam("delimiter"); v != "" {
		d, ok := delimiters[v]
		if !ok {
			p := badParam("delimiter", "must be comma or semicolon, got %q", v)
			p.ValidValues = []string{"comma", "semicolon"}
			return o, p
		}
		o.Delimiter = d
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

// columnsOf names string columns, for tables built in this package.
func columnsOf(names ...string) []survey.ExportColumn {
	out := make([]survey.ExportColumn, len(names))
	for i, n := range names {
		out[i] = survey.ExportColumn{Name: n, Type: survey.ColString, Nullable: true}
	}
	return out
}

var _ io.Writer = (*download)(nil)
