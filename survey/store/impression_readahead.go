package store

import (
	"io"

	"github.com/brandlift/brandlift/survey"
)

// readAheadBatch is how many parsed rows travel together between the
// reader's goroutine and the fold.
const readAheadBatch = 2048

// readItem is one result of a reader's Next.
type readItem struct {
	row survey.ImpressionLogRow
	rej *survey.ImpressionRejection
	err error
}

// readAhead parses the log in a goroutine of its own, a few batches
// ahead, so that parsing and validating one part of the file runs on one
// core while the fold takes in the part before on another: together they
// were the import's largest phase. Rows are values whose strings the
// reader does not reuse, so they may cross goroutines. stop ends the
// goroutine; call it when the import is done, however it ends.
func readAhead(src survey.ImpressionLogReader) (next func() (survey.ImpressionLogRow, *survey.ImpressionRejection, error), stop func()) {
	batches := make(chan []readItem, 4)
	done := make(chan struct{})
	go func() {
		defer close(batches)
		for {
			batch := make([]readItem, 0, readAheadBatch)
			for len(batch) < readAheadBatch {
				row, rej, err := src.Next()
				batch = append(batch, readItem{row, rej, err})
				if err != nil {
					break
				}
			}
			select {
			case batches <- batch:
			case <-done:
				return
			}
			if batch[len(batch)-1].err != nil {
				return
			}
		}
	}()
	var cur []readItem
	next = func() (survey.ImpressionLogRow, *survey.ImpressionRejection, error) {
		for len(cur) == 0 {
			b, ok := <-batches
			if !ok {
				// Only after the reader's error or EOF was handed over.
				return survey.ImpressionLogRow{}, nil, io.EOF
			}
			cur = b
		}
		it := cur[0]
		cur = cur[1:]
		return it.row, it.rej, it.err
	}
	stop = func() {
		close(done)
		for range batches { // let the goroutine finish its Next and exit
		}
	}
	return next, stop
}
