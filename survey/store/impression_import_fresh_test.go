package store_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestImportFreshStudyMeetsThePixel: a study's first log is inserted
// plainly (it has no exposures yet), but the pixel may store one of the
// log's respondents meanwhile. Here the pixel's row is written and held
// uncommitted before the import starts; the import's insert waits on it,
// and once it commits hits the unique key, rolls back to its savepoint
// and upserts the chunk: both the pixel's impression and the log's count.
func TestImportFreshStudyMeetsThePixel(t *testing.T) {
	if surveytest.Dialects()[len(surveytest.Dialects())-1] != store.Postgres {
		t.Skip("the fresh-study insert is PostgreSQL's; set " + surveytest.EnvPostgres)
	}
	dsn := surveytest.DSN(t, store.Postgres)
	s := surveytest.OpenMigrated(t, dsn)
	ctx := context.Background()
	st := newLiveStudy(t, s, nil)
	other, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	pixel, err := other.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer pixel.Rollback()
	now := time.Now().UTC()
	if _, err := pixel.Exec("INSERT INTO exposures (study_id, respondent, first_seen, last_seen, count, creative, placement) VALUES ($1, $2, $3, $3, 1, '', '')",
		st.ID, st.RespondentHash("u-2"), now); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.ImportImpressions(ctx, st, "first-log", csvLog(t, "rid,count\nu-1,2\nu-2,3\nu-3,4\n"))
		done <- err
	}()
	// Commit the pixel's row once the import's insert waits on it.
	waitFor(t, "the import to wait on the pixel's row", func() bool {
		var n int
		other.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO exposures%'").Scan(&n)
		return n > 0
	})
	if err := pixel.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("import: %v", err)
	}
	impressions, respondents := exposureTotals(t, s, st.ID)
	if impressions != 10 || respondents != 3 {
		t.Errorf("exposures hold %d impressions of %d respondents, want 10 of 3 (the pixel's 1 and the log's 9)", impressions, respondents)
	}
	var u2 int64
	if err := s.DB().Raw("SELECT count FROM exposures WHERE study_id = ? AND respondent = ?", st.ID, st.RespondentHash("u-2")).Scan(&u2).Error; err != nil {
		t.Fatal(err)
	}
	if u2 != 4 {
		t.Errorf("u-2 has %d impressions, want the pixel's 1 and the log's 3", u2)
	}
}
