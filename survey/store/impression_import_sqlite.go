package store

import (
	"context"
	"database/sql"
	"strings"
	"time"
)

// sqliteImpressionSink stages with multi-row inserts into a temporary
// table of the transaction's connection; the transaction begins with
// the write lock (_txlock=immediate), which it holds from the first
// chunk written to the commit.
type sqliteImpressionSink struct {
	db *sql.DB
	tx *sql.Tx
}

func (s *Store) sqliteImpressionSink(context.Context) (*sqliteImpressionSink, error) {
	db, err := s.db.DB()
	if err != nil {
		return nil, err
	}
	return &sqliteImpressionSink{db: db}, nil
}

func (q *sqliteImpressionSink) claim(ctx context.Context, studyID, fileID string, at time.Time) (bool, error) {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	q.tx = tx
	res, err := tx.ExecContext(ctx, claimFileSQL, studyID, fileID, at)
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	_, err = tx.ExecContext(ctx, `CREATE TEMP TABLE impression_staging (
		chunk INTEGER NOT NULL, respondent TEXT NOT NULL, first_seen DATETIME NOT NULL, last_seen DATETIME NOT NULL,
		count INTEGER NOT NULL, creative TEXT NOT NULL, placement TEXT NOT NULL)`)
	return err == nil, err
}

// wantsSorted is true: rows are written in the order given, so sorted
// they walk the index in order.
func (q *sqliteImpressionSink) wantsSorted() bool { return true }

func (q *sqliteImpressionSink) stage(ctx context.Context, chunk int, rows []stagedExposure) error {
	per := rowsPerInsert(len(stagingColumns))
	for start := 0; start < len(rows); start += per {
		part := rows[start:min(start+per, len(rows))]
		var b strings.Builder
		b.WriteString("INSERT INTO impression_staging (" + strings.Join(stagingColumns, ", ") + ") VALUES ")
		args := make([]any, 0, len(part)*len(stagingColumns))
		for i := range part {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?, ?, ?, ?)")
			r := &part[i]
			args = append(args, chunk, r.respondent, r.first, r.last, r.count, r.creative, r.placement)
		}
		if _, err := q.tx.ExecContext(ctx, b.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

func (q *sqliteImpressionSink) merge(ctx context.Context, studyID string, chunk int) error {
	_, err := q.tx.ExecContext(ctx, mergeStagedSQL, studyID, chunk)
	return err
}

func (q *sqliteImpressionSink) distinct(ctx context.Context) (int64, error) {
	var n int64
	err := q.tx.QueryRowContext(ctx, distinctSQL).Scan(&n)
	return n, err
}

func (q *sqliteImpressionSink) commit(ctx context.Context, studyID, fileID string, report []byte) error {
	if _, err := q.tx.ExecContext(ctx, reportFileSQL, string(report), studyID, fileID); err != nil {
		return err
	}
	// The temporary table lives as long as the pooled connection: drop it
	// in the transaction, so that the next import creates it afresh.
	if _, err := q.tx.ExecContext(ctx, `DROP TABLE temp.impression_staging`); err != nil {
		return err
	}
	err := q.tx.Commit()
	q.tx = nil
	return err
}

func (q *sqliteImpressionSink) rollback() {
	if q.tx != nil {
		q.tx.Rollback()
		q.tx = nil
	}
}
