package store

import (
	"errors"
	"io"
	"strconv"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// countingLog yields n rows u-0, u-1, ... then io.EOF, or fails at row
// failAt with errBroken.
type countingLog struct {
	n, failAt, i int
}

var errBroken = errors.New("broken log")

func (l *countingLog) Next() (survey.ImpressionLogRow, *survey.ImpressionRejection, error) {
	if l.i == l.failAt {
		return survey.ImpressionLogRow{}, nil, errBroken
	}
	if l.i >= l.n {
		return survey.ImpressionLogRow{}, nil, io.EOF
	}
	l.i++
	return survey.ImpressionLogRow{RID: "u-" + strconv.Itoa(l.i-1), Count: 1}, nil, nil
}

// TestReadAhead: rows come in the file's order, then the reader's own
// end (EOF or its error); stopping early returns, with the reader left
// where its goroutine stopped.
func TestReadAhead(t *testing.T) {
	for _, c := range []struct {
		name   string
		log    *countingLog
		reads  int
		wantAt error
	}{
		{"whole file", &countingLog{n: 3*readAheadBatch + 17, failAt: -1}, 3*readAheadBatch + 17, io.EOF},
		{"broken file", &countingLog{n: 5000, failAt: 4000}, 4000, errBroken},
		{"stopped early", &countingLog{n: 10 * readAheadBatch, failAt: -1}, 5, nil},
	} {
		next, stop := readAhead(c.log)
		for i := range c.reads {
			row, _, err := next()
			if err != nil || row.RID != "u-"+strconv.Itoa(i) {
				t.Fatalf("%s: row %d is %q, %v", c.name, i, row.RID, err)
			}
		}
		if c.wantAt != nil {
			if _, _, err := next(); !errors.Is(err, c.wantAt) {
				t.Errorf("%s: after the rows: %v, want %v", c.name, err, c.wantAt)
			}
		}
		stop()
		if c.wantAt == nil && c.log.i >= c.log.n {
			t.Errorf("%s: the reader read all %d rows after an early stop", c.name, c.log.i)
		}
	}
}
