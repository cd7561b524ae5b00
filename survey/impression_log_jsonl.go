package survey

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"
)

// ImpressionJSONL reads an impression log as JSON Lines: one object per
// line with the keys of the CSV columns ({"rid":"u-1","count":3,
// "creative":"c","placement":"p","time":"2026-05-01T12:00:00Z"}); rid is
// required. Blank lines are skipped.
type ImpressionJSONL struct {
	r    *bufio.Reader
	line int64
	rows int64
	now  time.Time
}

// NewImpressionJSONL reads a JSON Lines log from src.
func NewImpressionJSONL(src io.Reader, now time.Time) *ImpressionJSONL {
	return &ImpressionJSONL{r: bufio.NewReaderSize(src, MaxImpressionLine), now: now}
}

// Next returns the next row, a rejection, or an error that ends the file.
func (j *ImpressionJSONL) Next() (ImpressionLogRow, *ImpressionRejection, error) {
	for {
		b, err := j.r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			j.line++
			if err := j.skipLine(); err != nil && !errors.Is(err, io.EOF) {
				return ImpressionLogRow{}, nil, err
			}
			return j.reject(&ImpressionRejection{Line: j.line, Code: RejectLineTooLong,
				Detail: fmt.Sprintf("the line is longer than %d bytes", MaxImpressionLine)})
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return ImpressionLogRow{}, nil, err
		}
		if len(b) == 0 && err != nil {
			return ImpressionLogRow{}, nil, io.EOF
		}
		j.line++
		b = bytes.TrimSpace(b)
		if len(b) == 0 {
			continue
		}
		j.rows++
		if j.rows > MaxImpressionRows {
			return ImpressionLogRow{}, nil, ErrImpressionLogTooLong
		}
		row, rej := j.parse(b)
		return row, rej, nil
	}
}

func (j *ImpressionJSONL) reject(rej *ImpressionRejection) (ImpressionLogRow, *ImpressionRejection, error) {
	j.rows++
	if j.rows > MaxImpressionRows {
		return ImpressionLogRow{}, nil, ErrImpressionLogTooLong
	}
	return ImpressionLogRow{}, rej, nil
}

// skipLine discards the rest of a line that did not fit the buffer.
func (j *ImpressionJSONL) skipLine() error {
	for {
		_, err := j.r.ReadSlice('\n')
		if !errors.Is(err, bufio.ErrBufferFull) {
			return err
		}
	}
}

func (j *ImpressionJSONL) parse(b []byte) (ImpressionLogRow, *ImpressionRejection) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return ImpressionLogRow{}, &ImpressionRejection{Line: j.line, Code: RejectMalformed, Detail: "not a JSON object"}
	}
	var unknown []string
	for k := range m {
		if indexOf(impressionColumns, k) < 0 {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return ImpressionLogRow{}, &ImpressionRejection{Line: j.line, Field: unknown[0], Code: RejectUnknownField,
			Detail: fmt.Sprintf("unknown key %q; the keys are rid, count, creative, placement, time", unknown[0])}
	}
	var vals [5]string
	for i, k := range impressionColumns {
		v, ok := jsonText(m[k], k == "count")
		if !ok {
			code := map[string]string{"rid": RejectRID, "count": RejectCount, "time": RejectTime}[k]
			if code == "" {
				code = RejectLabel
			}
			what := "a string"
			if k == "count" {
				what = "a whole number"
			}
			return ImpressionLogRow{}, &ImpressionRejection{Line: j.line, Field: k, Code: code, Detail: k + " must be " + what}
		}
		vals[i] = v
	}
	return impressionRow(j.line, vals[0], vals[1], vals[2], vals[3], vals[4], j.now)
}

// jsonText is the text of a JSON string (or, when number is set, of a
// number); "" for an absent key or null; false for any other value.
func jsonText(raw json.RawMessage, number bool) (string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", true
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return "", false
		}
		return s, true
	}
	if number && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9') {
		return string(raw), true
	}
	return "", false
}
