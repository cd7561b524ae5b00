package api

import (
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// BenchmarkSQLiteExport sets the raw CSV export of a SQLite study of
// BRANDLIFT_BENCH_RESPONSES responses (default 100,000) beside its anchor
// in the same run: the sqlite3 command-line tool writing the same columns
// as CSV from the same file. Beside them, the tool's query through the
// product's driver, converting nothing: SQLite's JSON functions in the
// pure-Go SQLite, the way the export read its rows before it decoded the
// stored JSON in Go. Figures: docs/BENCHMARKS.md.
//
//	go test ./api -run '^$' -bench SQLiteExport -benchtime 3x
func BenchmarkSQLiteExport(b *testing.B) {
	n := 100_000
	if v := os.Getenv("BRANDLIFT_BENCH_RESPONSES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 10 {
			b.Fatalf("BRANDLIFT_BENCH_RESPONSES=%q", v)
		}
	}
	dsn := surveytest.DSN(b, store.SQLite)
	s := surveytest.OpenMigrated(b, dsn)
	srv := New(Config{Store: s})
	ctx := context.Background()
	_, key, err := s.CreateAPIKey(ctx, "bench", survey.RoleAnalyst)
	if err != nil {
		b.Fatal(err)
	}
	st := seedLarge(b, s, n)
	// The export's columns, as the sqlite3 tool would select them: the
	// answers and attributes taken apart by SQLite's JSON functions.
	has := func(opt string) string {
		return "CASE WHEN json_type(answers, '$.brands') IS NULL THEN NULL WHEN EXISTS (SELECT 1 FROM json_each(answers, '$.brands') WHERE value = '" +
			opt + "') THEN 1 ELSE 0 END"
	}
	cols := []string{"id", "grp", "status", "flags", "json_extract(attrs, '$.age')", "json_extract(attrs, '$.region')",
		"locale", "device", "frequency", "started_at", "completed_at", "duration_ms", "consent_at", "consent_version",
		"CASE WHEN consent_hash = '' THEN NULL ELSE consent_hash END",
		"json_extract(answers, '$.recall')", "json_extract(answers, '$.nps')", "json_extract(answers, '$.csat')",
		has("acme"), has("rival"), has("other"), has("none"), "json_extract(answers, '$.why')"}
	query := "SELECT " + strings.Join(cols, ", ") + " FROM responses WHERE study_id = '" + st.ID + "' ORDER BY id"

	b.Run("brandlift-csv", func(b *testing.B) {
		for b.Loop() {
			w := &countingWriter{header: http.Header{}}
			req := httptest.NewRequest("GET", "/api/v1/studies/"+st.ID+"/responses?format=csv", nil)
			req.Header.Set("Authorization", "Bearer "+key)
			srv.Handler().ServeHTTP(w, req)
			if w.code != http.StatusOK {
				b.Fatalf("status %d", w.code)
			}
			b.ReportMetric(float64(w.n), "bytes")
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("driver-json-functions", func(b *testing.B) {
		db, err := s.DB().DB()
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if got := rawRows(b, db, query, len(cols)); got != n {
				b.Fatalf("%d rows, want %d", got, n)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("sqlite3-cli-csv", func(b *testing.B) {
		bin, err := exec.LookPath("sqlite3")
		if err != nil {
			b.Skip("no sqlite3 tool: apt-get install sqlite3")
		}
		path := strings.TrimPrefix(dsn, "sqlite:")
		for b.Loop() {
			cmd := exec.Command(bin, "-csv", "-header", path, query)
			cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
			if err := cmd.Run(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}

// rawRows runs query and reads every row as raw bytes, converting nothing.
func rawRows(b *testing.B, db *sql.DB, query string, ncols int) int {
	rows, err := db.Query(query)
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	holders := make([]any, ncols)
	for i := range holders {
		holders[i] = new(sql.RawBytes)
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(holders...); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil {
		b.Fatal(err)
	}
	return n
}
