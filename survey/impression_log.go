package survey

import (
	"fmt"
	"strconv"
	"time"
)

// Limits of an impression log (POST /api/v1/studies/{id}/impressions).
const (
	// MaxImpressionCount bounds the count of one row: an ad server that
	// pre-aggregates writes a respondent's impressions of a day or a
	// campaign, never millions.
	MaxImpressionCount = 1_000_000
	// MaxImpressionRows bounds the rows of one file; a bigger log is split.
	MaxImpressionRows = 50_000_000
	// MaxImpressionLine bounds one line of a file, so that a file without
	// line breaks cannot fill the memory.
	MaxImpressionLine = 64 << 10
	// MaxImpressionRejections is how many rejected rows a report names;
	// the counts by reason cover all of them.
	MaxImpressionRejections = 100
	// MaxImpressionFileID bounds a file id.
	MaxImpressionFileID = 200
	// impressionFutureSlack is how far ahead of the server's clock a time
	// may be: clocks of ad servers drift, but not by days.
	impressionFutureSlack = 24 * time.Hour
)

// Reasons a row of an impression log is rejected; stable identifiers that
// the report counts and clients may switch on.
const (
	RejectRID          = "invalid_rid"
	RejectCount        = "invalid_count"
	RejectTime         = "invalid_time"
	RejectLabel        = "invalid_label"
	RejectUnknownField = "unknown_field"
	RejectMalformed    = "malformed_line"
	RejectLineTooLong  = "line_too_long"
)

// ErrImpressionLogTooLong is returned by a log reader after
// MaxImpressionRows rows: the whole file is refused.
var ErrImpressionLogTooLong = fmt.Errorf("the file has more than %d rows; split it", MaxImpressionRows)

// ImpressionLogRow is one valid row of an ad server's log.
type ImpressionLogRow struct {
	Line      int64 // 1-based line of the file (JSON Lines) or record start (CSV)
	RID       string
	Count     int64     // 1..MaxImpressionCount
	Creative  string    // as sent; the store cleans labels as the pixel's
	Placement string    // as sent
	Time      time.Time // UTC, microseconds; zero when the row has none
}

// ImpressionRejection names a row that was not taken and why. It never
// holds the row's values: a report is stored, and rids are personal data.
type ImpressionRejection struct {
	Line  int64  `json:"line"`
	Field string `json:"field"`
	// Code is the stable reason identifier (the Reject* constants).
	Code   string `json:"reason"`
	Detail string `json:"detail"`
}

// ImpressionLogReader yields the rows of a log one at a time: a valid row,
// or a rejection, or an error that ends the file (io.EOF at its end).
type ImpressionLogReader interface {
	Next() (ImpressionLogRow, *ImpressionRejection, error)
}

// ImpressionImport is the report of one impression log.
type ImpressionImport struct {
	FileID             string                `json:"file_id"`
	RowsRead           int64                 `json:"rows_read"`
	RowsTaken          int64                 `json:"rows_taken"`
	RowsRejected       int64                 `json:"rows_rejected"`
	ImpressionsAdded   int64                 `json:"impressions_added"`
	RespondentsTouched int64                 `json:"respondents_touched"`
	RejectedByReason   map[string]int64      `json:"rejected_by_reason"`
	Rejections         []ImpressionRejection `json:"rejections"`
	ImportedAt         time.Time             `json:"imported_at"`
	// Replay is true when the study already had the file: the report is
	// the stored one and nothing was counted again.
	Replay bool `json:"replay"`
}

// Reject counts a rejected row and keeps the first few.
func (r *ImpressionImport) Reject(rej ImpressionRejection) {
	r.RowsRejected++
	if r.RejectedByReason == nil {
		r.RejectedByReason = map[string]int64{}
	}
	r.RejectedByReason[rej.Code]++
	if len(r.Rejections) < MaxImpressionRejections {
		r.Rejections = append(r.Rejections, rej)
	}
}

// ImpressionFileIDProblem says what is wrong with a file id, or "".
func ImpressionFileIDProblem(id string) string {
	if id == "" || len(id) > MaxImpressionFileID {
		return fmt.Sprintf("must be 1 to %d bytes", MaxImpressionFileID)
	}
	return TextProblem(id)
}

// impressionRow validates the fields of one row as sent; count and at are
// the raw text ("" when absent). now is the reference for times ahead.
func impressionRow(line int64, rid, count, creative, placement, at string, now time.Time) (ImpressionLogRow, *ImpressionRejection) {
	if msg := RIDProblem(rid); msg != "" {
		return ImpressionLogRow{}, &ImpressionRejection{Line: line, Field: "rid", Code: RejectRID, Detail: msg}
	}
	row := ImpressionLogRow{Line: line, RID: rid, Count: 1,
		Creative: creative, Placement: placement}
	if count != "" {
		n, err := strconv.ParseInt(count, 10, 64)
		if err != nil || n < 1 || n > MaxImpressionCount {
			return ImpressionLogRow{}, &ImpressionRejection{Line: line, Field: "count", Code: RejectCount,
				Detail: fmt.Sprintf("count must be a whole number from 1 to %d", MaxImpressionCount)}
		}
		row.Count = n
	}
	if at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return ImpressionLogRow{}, &ImpressionRejection{Line: line, Field: "time", Code: RejectTime,
				Detail: "time must be RFC 3339, for example 2026-05-01T12:30:00Z"}
		}
		if t.After(now.Add(impressionFutureSlack)) {
			return ImpressionLogRow{}, &ImpressionRejection{Line: line, Field: "time", Code: RejectTime,
				Detail: "time is more than a day ahead of the server's clock"}
		}
		row.Time = t.UTC().Truncate(time.Microsecond) // what PostgreSQL keeps
	}
	return row, nil
}

// ImpressionLogRejected is the error of a file of which no row was taken:
// nothing is stored, and the file id stays free for a corrected upload.
type ImpressionLogRejected struct {
	Report ImpressionImport
}

func (e *ImpressionLogRejected) Error() string {
	return fmt.Sprintf("no row of the impression log was taken (%d read, %d rejected)", e.Report.RowsRead, e.Report.RowsRejected)
}
