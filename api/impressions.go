package api

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// impressionsBodyLimit bounds one impression log: about 40 million rows
// of a typical log; bigger ones are split.
const impressionsBodyLimit = 2 << 30

// impressionsDeadline replaces the server's read and write timeouts for
// an upload, which are sized for small JSON bodies: a 2 GiB log takes
// minutes on a slow link.
const impressionsDeadline = time.Hour

// importImpressions answers POST /api/v1/studies/{id}/impressions: an ad
// server's impression log as CSV (text/csv) or JSON Lines
// (application/x-ndjson, application/jsonl), streamed through the store
// without being held in memory. Good rows are taken and bad rows reported;
// 201 with the report, or 200 with the stored report when the study
// already has the file id (Idempotent-Replayed: true).
func (s *Server) importImpressions(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	fileID, err := impressionFileID(c)
	if err != nil {
		return err
	}
	req := c.Request()
	rc := http.NewResponseController(c.Response())
	rc.SetReadDeadline(time.Now().Add(impressionsDeadline)) // not every writer supports deadlines (httptest); then none applies
	rc.SetWriteDeadline(time.Now().Add(impressionsDeadline))
	body := &recordingReader{r: http.MaxBytesReader(c.Response(), req.Body, impressionsBodyLimit)}
	now := time.Now()
	var src survey.ImpressionLogReader
	mt, _, _ := mime.ParseMediaType(req.Header.Get(echo.HeaderContentType))
	switch mt {
	case "text/csv":
		if src, err = survey.NewImpressionCSV(body, now); err != nil {
			return impressionsError(err, body.err)
		}
	case "application/x-ndjson", "application/jsonl", "application/jsonlines":
		src = survey.NewImpressionJSONL(body, now)
	default:
		return newProblem(http.StatusUnsupportedMediaType, "unsupported-media-type",
			fmt.Sprintf("Content-Type %q is not accepted; send text/csv or application/x-ndjson", req.Header.Get(echo.HeaderContentType)))
	}
	rep, err := s.store.ImportImpressions(req.Context(), st, fileID, src)
	if err != nil {
		return impressionsError(err, body.err)
	}
	if rep.Replay {
		c.Response().Header().Set("Idempotent-Replayed", "true")
		return writeJSON(c, http.StatusOK, rep)
	}
	s.audit(c, principal(c), "impressions.import", st.ID, map[string]any{"file_id": fileID,
		"rows_taken": rep.RowsTaken, "rows_rejected": rep.RowsRejected, "impressions_added": rep.ImpressionsAdded})
	return writeJSON(c, http.StatusCreated, rep)
}

// impressionFileID is the upload's file id: ?file_id= or the
// Idempotency-Key header (the same value when both are sent).
func impressionFileID(c echo.Context) (string, error) {
	q, h := c.QueryParam("file_id"), c.Request().Header.Get("Idempotency-Key")
	switch {
	case q != "" && h != "" && q != h:
		return "", badParam("file_id", "differs from the Idempotency-Key header; send one of them")
	case q == "" && h == "":
		return "", badParam("file_id", "is required (or an Idempotency-Key header): it makes a repeated upload count nothing twice")
	case q == "":
		q = h
	}
	if msg := survey.ImpressionFileIDProblem(q); msg != "" {
		return "", badParam("file_id", "%s", msg)
	}
	return q, nil
}

// impressionsError maps what the import returns mid-stream: a body over
// the limit, a file of more rows than allowed, a file with no good row
// (422 with the report), a body that could not be read (readErr).
func impressionsError(err, readErr error) error {
	var tooLarge *http.MaxBytesError
	var rejected *survey.ImpressionLogRejected
	var ve *survey.ValidationError
	var ce *survey.ConflictError
	switch {
	case errors.As(err, &tooLarge):
		return newProblem(http.StatusRequestEntityTooLarge, "too-large",
			fmt.Sprintf("request body exceeds the limit of %d bytes; split the log into files", int64(impressionsBodyLimit)))
	case errors.Is(err, survey.ErrImpressionLogTooLong):
		return newProblem(http.StatusRequestEntityTooLarge, "too-large", err.Error())
	case errors.As(err, &rejected):
		rep := rejected.Report
		p := newProblem(http.StatusUnprocessableEntity, "validation",
			fmt.Sprintf("no row was taken: %d read, %d rejected; nothing was stored and the file id stays free", rep.RowsRead, rep.RowsRejected))
		if rep.RowsRead == 0 {
			p.Detail = "the file has a header but no rows; nothing was stored"
		}
		for _, r := range rep.Rejections {
			p.Errors = append(p.Errors, survey.FieldError{Field: cmp.Or(r.Field, "row"), Code: r.Code, Message: fmt.Sprintf("line %d: %s", r.Line, r.Detail)})
		}
		p.Import = &rep
		return p
	case errors.As(err, &ve), errors.As(err, &ce), errors.Is(err, survey.ErrNotFound):
		return err
	case readErr != nil:
		p := badRequest("unable to read the request body; nothing was stored")
		p.cause = err
		return p
	}
	return err
}

// recordingReader keeps the first error of reading the body other than
// its end, to tell a client that went away from a failing database.
type recordingReader struct {
	r   io.Reader
	err error
}

func (b *recordingReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF && b.err == nil {
		b.err = err
	}
	return n, err
}
