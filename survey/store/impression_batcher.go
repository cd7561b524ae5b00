package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// maxImpressionBatch caps how many pixel impressions share one statement.
// Seven columns a row keep even a full batch far below the parameter
// limits of both databases (65,535 in PostgreSQL, 32,766 in SQLite).
const maxImpressionBatch = 1024

// impressionCommitTimeout bounds one batch's transaction: the writer must
// answer every waiting pixel even when the database hangs.
const impressionCommitTimeout = 10 * time.Second

// impressionWrite is one pixel impression waiting for its batch.
type impressionWrite struct {
	row    exposureRow
	reply  chan error
	queued time.Time // when it was handed to the writer, for the observer
}

// impressionBatcher is group commit for the exposure pixel, which takes
// every ad impression rather than every survey answer: impressions that
// arrive while a batch is being written wait and go into the next one, a
// single upsert with one row per respondent. Each pixel is answered only
// after its batch commits, so an impression the pixel answered is stored;
// one lost in a crash before its commit had not been answered yet.
type impressionBatcher struct {
	s    *Store
	in   chan *impressionWrite
	quit chan struct{}
	done chan struct{}
	once sync.Once
}

func startImpressionBatcher(s *Store) *impressionBatcher {
	b := &impressionBatcher{s: s, in: make(chan *impressionWrite), quit: make(chan struct{}), done: make(chan struct{})}
	go b.run()
	return b
}

// write hands w to the writer and waits until its batch committed or
// failed. The caller's context does not cancel the write: an ad's viewer
// who scrolls on, or a browser that drops the pixel's connection, has
// still seen the ad. It only bounds the wait for a place in the queue.
func (b *impressionBatcher) write(ctx context.Context, w *impressionWrite) error {
	w.reply = make(chan error, 1)
	w.queued = time.Now()
	queued, cancel := context.WithTimeout(context.WithoutCancel(ctx), impressionCommitTimeout)
	defer cancel()
	select {
	case b.in <- w:
	case <-b.quit:
		return errClosed
	case <-queued.Done():
		return fmt.Errorf("%w: the impression writer is behind", ErrUnavailable)
	}
	return <-w.reply // the writer answers every write it took
}

func (b *impressionBatcher) run() {
	defer close(b.done)
	for {
		select {
		case w := <-b.in:
			b.commit(b.collect(w))
		case <-b.quit:
			for {
				select {
				case w := <-b.in:
					b.commit(b.collect(w))
				default:
					return
				}
			}
		}
	}
}

// collect takes what is already waiting, without delaying the first.
func (b *impressionBatcher) collect(first *impressionWrite) []*impressionWrite {
	batch := []*impressionWrite{first}
	for len(batch) < maxImpressionBatch {
		select {
		case w := <-b.in:
			batch = append(batch, w)
		default:
			return batch
		}
	}
	return batch
}

func (b *impressionBatcher) stop() {
	b.once.Do(func() { close(b.quit) })
	<-b.done
}

// commit writes a batch, retrying what another attempt can cure (a
// deadlock with another replica, a dropped connection), and answers every
// member with the outcome.
func (b *impressionBatcher) commit(batch []*impressionWrite) {
	rows := mergeExposures(batch)
	start := time.Now()
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt*attempt) * 5 * time.Millisecond)
		}
		if err = b.upsert(rows); err == nil || classify(err) != classTransient {
			break
		}
	}
	b.s.observer().ObserveImpressionBatch(Batch{Size: len(batch), Wait: start.Sub(batch[0].queued),
		Took: time.Since(start), Failed: err != nil})
	if err != nil {
		if classify(err) == classTransient {
			err = fmt.Errorf("%w: unable to record impressions: %w", ErrUnavailable, err)
		} else {
			err = fmt.Errorf("store: unable to record impressions: %w", err)
		}
	}
	for _, w := range batch {
		w.reply <- err
	}
}

// upsert adds the rows' counts to the exposures table in one statement.
func (b *impressionBatcher) upsert(rows []exposureRow) (err error) {
	defer func() { // a bug here must fail this batch, not the one writer
		if r := recover(); r != nil {
			err = fmt.Errorf("store: panic while recording impressions: %v", r)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), impressionCommitTimeout)
	defer cancel()
	return upsertExposures(b.s.db.WithContext(ctx), rows)
}

// upsertExposures adds rows, one per respondent, to the exposures table:
// counts add up, first_seen keeps the earliest, last_seen the latest, and
// a label is replaced only by a non-empty one.
func upsertExposures(db *gorm.DB, rows []exposureRow) error {
	return db.Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "study_id"}, {Name: "respondent"}},
		DoUpdates: clause.Assignments(map[string]any{
			"count":      gorm.Expr("exposures.count + excluded.count"),
			"first_seen": gorm.Expr("CASE WHEN excluded.first_seen < exposures.first_seen THEN excluded.first_seen ELSE exposures.first_seen END"),
			"last_seen":  gorm.Expr("CASE WHEN excluded.last_seen > exposures.last_seen THEN excluded.last_seen ELSE exposures.last_seen END"),
			"creative":   gorm.Expr("CASE WHEN excluded.creative = '' THEN exposures.creative ELSE excluded.creative END"),
			"placement":  gorm.Expr("CASE WHEN excluded.placement = '' THEN exposures.placement ELSE excluded.placement END"),
		}),
	}).CreateInBatches(rows, maxImpressionBatch).Error
}

// mergeExposures folds a batch into one row per (study, respondent), since
// one upsert statement may not touch a row twice, and sorts the rows so
// that replicas writing the same respondents lock them in the same order
// and cannot deadlock each other.
func mergeExposures(batch []*impressionWrite) []exposureRow {
	at := make(map[[2]string]int, len(batch))
	rows := make([]exposureRow, 0, len(batch))
	for _, w := range batch {
		r := w.row
		key := [2]string{r.StudyID, r.Respondent}
		i, ok := at[key]
		if !ok {
			at[key] = len(rows)
			rows = append(rows, r)
			continue
		}
		m := &rows[i]
		m.Count += r.Count
		if r.FirstSeen.Before(m.FirstSeen) {
			m.FirstSeen = r.FirstSeen
		}
		if r.LastSeen.After(m.LastSeen) {
			m.LastSeen = r.LastSeen
		}
		m.Creative, m.Placement = keep(m.Creative, r.Creative), keep(m.Placement, r.Placement)
	}
	slices.SortFunc(rows, func(a, b exposureRow) int {
		if c := strings.Compare(a.StudyID, b.StudyID); c != 0 {
			return c
		}
		return strings.Compare(a.Respondent, b.Respondent)
	})
	return rows
}
