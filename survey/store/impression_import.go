package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// ImportImpressions reads an ad server's impression log to its end and
// adds it to the study's exposures, idempotently by fileID:
//
//   - Rows the reader rejects are counted and named in the report; the
//     good rows are taken. A file of which no row is good stores nothing
//     and is a *survey.ImpressionLogRejected.
//   - The rows are folded per respondent in memory (up to
//     chunkRespondents at a time), staged in a temporary table (COPY on
//     PostgreSQL, batched inserts on SQLite) and merged into exposures:
//     counts add up, first_seen takes the earliest, last_seen the latest,
//     and a non-empty label replaces the stored one unless the stored
//     record is newer than the file's rows.
//   - The file id is recorded with the report in the same transaction as
//     the merge, so an interrupted import leaves nothing, and a file id
//     the study already has returns the stored report with Replay set,
//     counting nothing. Of two concurrent uploads of one file id, the
//     second waits for the first to commit and then replays its report.
//
// Closed studies take no impressions (a *survey.ConflictError); draft,
// live and paused studies do: an exposure study's campaign may start
// before the survey does, and a log arrives after the day it covers.
func (s *Store) ImportImpressions(ctx context.Context, st *survey.Study, fileID string, src survey.ImpressionLogReader) (survey.ImpressionImport, error) {
	if st.Status == survey.StatusClosed {
		return survey.ImpressionImport{}, &survey.ConflictError{Status: st.Status,
			Detail: "the study is closed and takes no more impressions"}
	}
	if prior, err := s.ImpressionFile(ctx, st.ID, fileID); err == nil || !errors.Is(err, survey.ErrNotFound) {
		return prior, err
	}
	if s.dialect == Postgres {
		return s.importImpressionsPG(ctx, st, fileID, src)
	}
	sink, err := s.sqliteImpressionSink(ctx)
	if err != nil {
		return survey.ImpressionImport{}, err
	}
	return s.importImpressions(ctx, st, fileID, src, sink)
}

// impressionSink is where an import writes: one transaction, opened by
// claim, that stages chunks of folded rows and merges each into exposures.
type impressionSink interface {
	// claim begins the transaction and records the file id; false when
	// the study has the file already (another upload committed it).
	claim(ctx context.Context, studyID, fileID string, at time.Time) (bool, error)
	stage(ctx context.Context, chunk int, rows []stagedExposure) error
	// wantsSorted says whether stage wants the rows in respondent order.
	wantsSorted() bool
	merge(ctx context.Context, studyID string, chunk int) error
	// distinct counts the respondents of every chunk staged.
	distinct(ctx context.Context) (int64, error)
	// commit stores the report with the file id and commits.
	commit(ctx context.Context, studyID, fileID string, report []byte) error
	// rollback ends the transaction, if any, without a trace; it is
	// called after commit too, and then does nothing.
	rollback()
}

func (s *Store) importImpressions(ctx context.Context, st *survey.Study, fileID string, src survey.ImpressionLogReader, sink impressionSink) (survey.ImpressionImport, error) {
	defer sink.rollback()
	next, stop := readAhead(src)
	defer stop()
	now := time.Now().UTC().Truncate(time.Microsecond)
	rep := survey.ImpressionImport{FileID: fileID, ImportedAt: now,
		Rejections: []survey.ImpressionRejection{}, RejectedByReason: map[string]int64{}}
	chunk := newImpressionChunk(now)
	chunks, claimed := 0, false
	var touched int64
	// flush writes the folded rows; false when the file turned out to be
	// taken by a concurrent upload.
	flush := func() (bool, error) {
		if !claimed {
			ok, err := sink.claim(ctx, st.ID, fileID, now)
			if err != nil || !ok {
				return false, err
			}
			claimed = true
		}
		rows := chunk.hashed(st, sink.wantsSorted())
		if err := sink.stage(ctx, chunks, rows); err != nil {
			return false, err
		}
		if err := sink.merge(ctx, st.ID, chunks); err != nil {
			return false, err
		}
		chunks++
		touched += int64(len(rows))
		chunk.reset()
		return true, nil
	}
	for {
		row, rej, err := next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return rep, err
		}
		rep.RowsRead++
		if rej != nil {
			rep.Reject(*rej)
			continue
		}
		rep.RowsTaken++
		rep.ImpressionsAdded += row.Count
		chunk.add(row)
		if chunk.full() {
			if ok, err := flush(); err != nil || !ok {
				return s.replayOrFail(ctx, st.ID, fileID, sink, err)
			}
		}
	}
	if rep.RowsTaken == 0 {
		return rep, &survey.ImpressionLogRejected{Report: rep}
	}
	if len(chunk.rows) > 0 {
		if ok, err := flush(); err != nil || !ok {
			return s.replayOrFail(ctx, st.ID, fileID, sink, err)
		}
	}
	rep.RespondentsTouched = touched
	if chunks > 1 { // a respondent may be in several chunks
		n, err := sink.distinct(ctx)
		if err != nil {
			return rep, fmt.Errorf("store: unable to count the respondents of an impression log: %w", err)
		}
		rep.RespondentsTouched = n
	}
	body, err := json.Marshal(rep)
	if err != nil {
		return rep, err
	}
	if err := sink.commit(ctx, st.ID, fileID, body); err != nil {
		return rep, fmt.Errorf("store: unable to import impressions: %w", err)
	}
	return rep, nil
}

// replayOrFail answers an import that lost the race for its file id with
// the winner's report, or wraps err.
func (s *Store) replayOrFail(ctx context.Context, studyID, fileID string, sink impressionSink, err error) (survey.ImpressionImport, error) {
	sink.rollback()
	if err != nil {
		return survey.ImpressionImport{}, fmt.Errorf("store: unable to import impressions: %w", err)
	}
	return s.ImpressionFile(ctx, studyID, fileID)
}

// stagingColumns are the columns of the staging table, in COPY order.
var stagingColumns = []string{"chunk", "respondent", "first_seen", "last_seen", "count", "creative", "placement"}

// mergeStagedSQL merges one staged chunk into exposures (parameters: the
// study id, the chunk). A label replaces the stored one when it is not
// empty and the chunk's rows reach at least as late as the stored record:
// an old log uploaded after the pixel recorded newer impressions keeps
// the pixel's label. The sort keeps the lock order of the pixel's batches,
// which write sorted rows too.
const mergeStagedSQL = `INSERT INTO exposures (study_id, respondent, first_seen, last_seen, count, creative, placement)
SELECT ?, respondent, first_seen, last_seen, count, creative, placement
FROM impression_staging WHERE chunk = ? ORDER BY respondent
ON CONFLICT (study_id, respondent) DO UPDATE SET
  count = exposures.count + excluded.count,
  first_seen = CASE WHEN excluded.first_seen < exposures.first_seen THEN excluded.first_seen ELSE exposures.first_seen END,
  last_seen = CASE WHEN excluded.last_seen > exposures.last_seen THEN excluded.last_seen ELSE exposures.last_seen END,
  creative = CASE WHEN excluded.creative <> '' AND (exposures.creative = '' OR excluded.last_seen >= exposures.last_seen)
    THEN excluded.creative ELSE exposures.creative END,
  placement = CASE WHEN excluded.placement <> '' AND (exposures.placement = '' OR excluded.last_seen >= exposures.last_seen)
    THEN excluded.placement ELSE exposures.placement END`

// insertStagedSQL is mergeStagedSQL for a study with no exposures yet:
// every row is new (see pgImpressionSink.merge).
const insertStagedSQL = `INSERT INTO exposures (study_id, respondent, first_seen, last_seen, count, creative, placement)
SELECT ?, respondent, first_seen, last_seen, count, creative, placement
FROM impression_staging WHERE chunk = ? ORDER BY respondent`

// Statements of the file claim, in ? form (dollarParams turns them into
// PostgreSQL's $n).
const (
	claimFileSQL  = `INSERT INTO impression_files (study_id, file_id, report, created_at) VALUES (?, ?, '{}', ?) ON CONFLICT DO NOTHING`
	reportFileSQL = `UPDATE impression_files SET report = ? WHERE study_id = ? AND file_id = ?`
	distinctSQL   = `SELECT count(DISTINCT respondent) FROM impression_staging`
)

// dollarParams numbers the ? placeholders of q as $1, $2, ... (none of
// the statements here has a ? in a literal).
func dollarParams(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
