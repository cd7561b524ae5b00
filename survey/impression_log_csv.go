package survey

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
)

// impressionColumns are the columns of an impression log; only rid is
// required.
var impressionColumns = []string{"rid", "count", "creative", "placement", "time"}

// ImpressionCSV reads an impression log as CSV: a header row naming the
// columns (rid required; count, creative, placement, time optional; any
// order), then one impression record per row. Comma or semicolon, as the
// header shows; UTF-8 with or without a byte order mark.
type ImpressionCSV struct {
	r    *csv.Reader
	col  [5]int // index of each of impressionColumns in a record, -1 when absent
	n    int    // fields of the header
	rows int64
	now  time.Time
}

// NewImpressionCSV reads the header of a CSV log. A header with unknown
// or repeated columns, or without rid, is a *ValidationError naming them.
func NewImpressionCSV(src io.Reader, now time.Time) (*ImpressionCSV, error) {
	br := bufio.NewReaderSize(&lineLimitReader{r: src}, 64<<10)
	head, _ := br.Peek(4096)
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	r := csv.NewReader(br)
	if bytes.IndexByte(head, ',') < 0 && bytes.IndexByte(head, ';') >= 0 {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1 // a row of the wrong width is a rejected row, not the end of the file
	r.ReuseRecord = true
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		v := &ValidationError{}
		v.Add("file", "the file is empty; send a header row (rid,count,creative,placement,time) and one row per impression record")
		return nil, v
	}
	if err != nil {
		return nil, headerError(err)
	}
	c := &ImpressionCSV{r: r, n: len(header), now: now}
	for i := range c.col {
		c.col[i] = -1
	}
	var unknown, repeated []string
	for i, name := range header {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\uFEFF")))
		k := indexOf(impressionColumns, name)
		switch {
		case k < 0:
			unknown = append(unknown, fmt.Sprintf("%q", name))
		case c.col[k] >= 0:
			repeated = append(repeated, name)
		default:
			c.col[k] = i
		}
	}
	v := &ValidationError{}
	if len(unknown) > 0 {
		v.AddCode("columns", RejectUnknownField, "unknown column(s) %s; the columns are %s",
			strings.Join(unknown, ", "), strings.Join(impressionColumns, ", "))
	}
	if len(repeated) > 0 {
		v.Add("columns", "column(s) %s appear more than once", strings.Join(repeated, ", "))
	}
	if c.col[0] < 0 {
		v.Add("columns", "the header has no rid column")
	}
	if len(v.Errors) > 0 {
		return nil, v
	}
	return c, nil
}

// Next returns the next row, a rejection, or an error that ends the file.
func (c *ImpressionCSV) Next() (ImpressionLogRow, *ImpressionRejection, error) {
	rec, err := c.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) && !errors.Is(err, errLineTooLong) {
			c.rows++
			return ImpressionLogRow{}, &ImpressionRejection{Line: int64(pe.StartLine), Field: "", Code: RejectMalformed,
				Detail: "not a CSV record: " + pe.Err.Error()}, c.limit()
		}
		return ImpressionLogRow{}, nil, lineError(err)
	}
	c.rows++
	if err := c.limit(); err != nil {
		return ImpressionLogRow{}, nil, err
	}
	line, _ := c.r.FieldPos(0)
	if len(rec) != c.n {
		return ImpressionLogRow{}, &ImpressionRejection{Line: int64(line), Code: RejectMalformed,
			Detail: fmt.Sprintf("%d fields where the header has %d", len(rec), c.n)}, nil
	}
	get := func(k int) string {
		if c.col[k] < 0 {
			return ""
		}
		return rec[c.col[k]]
	}
	row, rej := impressionRow(int64(line), get(0), strings.TrimSpace(get(1)), get(2), get(3), strings.TrimSpace(get(4)), c.now)
	return row, rej, nil
}

func (c *ImpressionCSV) limit() error {
	if c.rows > MaxImpressionRows {
		return ErrImpressionLogTooLong
	}
	return nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func headerError(err error) error {
	if errors.Is(err, errLineTooLong) {
		return lineError(err)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		v := &ValidationError{}
		v.Add("columns", "the header row is not CSV: %s", pe.Err)
		return v
	}
	return err
}

// lineError turns a too long line into a validation error of the file;
// other errors (reading the body) pass through.
func lineError(err error) error {
	if errors.Is(err, errLineTooLong) {
		v := &ValidationError{}
		v.Add("file", "a line is longer than %d bytes; is this a CSV file with one record per line?", MaxImpressionLine)
		return v
	}
	return err
}

// errLineTooLong ends a CSV file with a line over MaxImpressionLine.
var errLineTooLong = errors.New("line too long")

// lineLimitReader fails once a line grows past MaxImpressionLine: the CSV
// reader holds a whole record in memory, and a body without line breaks
// must not become one record of two gigabytes.
type lineLimitReader struct {
	r   io.Reader
	run int // bytes since the last line break
}

func (l *lineLimitReader) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	first := bytes.IndexByte(p[:n], '\n')
	if first < 0 {
		l.run += n
	} else {
		// Lines that start and end within p are shorter than p, which the
		// 64 KiB buffer of the CSV reader bounds; only the first can be long.
		if l.run+first > MaxImpressionLine {
			return n, errLineTooLong
		}
		l.run = n - bytes.LastIndexByte(p[:n], '\n') - 1
	}
	if l.run > MaxImpressionLine {
		return n, errLineTooLong
	}
	return n, err
}
