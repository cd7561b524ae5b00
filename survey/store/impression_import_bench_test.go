package store_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// BenchmarkImpressionImport times an impression log of
// BRANDLIFT_BENCH_IMPRESSIONS rows (default 1,000,000; a respondent per
// four rows, 20 creatives, 10 placements, times over one day) imported
// into a fresh study through Store.ImportImpressions, against psql's plain
// COPY of the same file into an unindexed table of the file's shape, in
// the same iteration. PostgreSQL only; it needs psql on the PATH.
func BenchmarkImpressionImport(b *testing.B) {
	rows := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BRANDLIFT_BENCH_IMPRESSIONS")); err == nil && v > 0 {
		rows = v
	}
	s := surveytest.New(b, store.Postgres)
	file := filepath.Join(b.TempDir(), "impressions.csv")
	writeImpressionLog(b, file, rows)
	fi, _ := os.Stat(file)
	dsn := surveytest.DSN(b, store.Postgres) // a scratch schema for the plain COPY
	u, _ := url.Parse(dsn)
	schema := u.Query().Get("search_path")
	base := os.Getenv(surveytest.EnvPostgres)
	psql := func(sql string, stdin *os.File) {
		cmd := exec.Command("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", base, "-c", sql)
		cmd.Stdin = stdin
		if out, err := cmd.CombinedOutput(); err != nil {
			b.Fatalf("psql %s: %v\n%s", sql, err, out)
		}
	}
	table := schema + ".plain_copy"
	psql("CREATE TABLE "+table+" (rid TEXT, count BIGINT, creative TEXT, placement TEXT, time TIMESTAMPTZ)", nil)
	var copyTotal, importTotal time.Duration
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		psql("TRUNCATE "+table, nil)
		st := benchStudy(b, s)
		f, err := os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		psql("COPY "+table+" FROM STDIN WITH (FORMAT csv, HEADER)", f)
		copyTotal += time.Since(start)
		f.Close()
		b.StartTimer()

		start = time.Now()
		f, err = os.Open(file)
		if err != nil {
			b.Fatal(err)
		}
		r, err := survey.NewImpressionCSV(f, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		rep, err := s.ImportImpressions(context.Background(), st, fmt.Sprintf("bench-%d", i), r)
		if err != nil || rep.RowsTaken != int64(rows) {
			b.Fatalf("import: %+v %v", rep, err)
		}
		f.Close()
		importTotal += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(float64(rows)*n/importTotal.Seconds(), "import_rows/s")
	b.ReportMetric(float64(rows)*n/copyTotal.Seconds(), "copy_rows/s")
	b.ReportMetric(copyTotal.Seconds()/importTotal.Seconds(), "x_of_copy")
	b.ReportMetric(float64(fi.Size())/1e6, "file_MB")
}

// benchStudy creates and launches the fixture study.
func benchStudy(b *testing.B, s *store.Store) *survey.Study {
	var in survey.StudyInput
	if err := json.Unmarshal([]byte(studyJSON), &in); err != nil {
		b.Fatal(err)
	}
	st, err := s.CreateStudy(context.Background(), &in)
	if err == nil {
		st, err = s.Transition(context.Background(), st.ID, survey.Launch)
	}
	if err != nil {
		b.Fatal(err)
	}
	return st
}

// writeImpressionLog writes a CSV log of n rows to path.
func writeImpressionLog(b *testing.B, path string, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "rid,count,creative,placement,time")
	day := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		rid := (i * 7919) % max(1, n/4) // every respondent four times, spread over the file
		at := day.Add(time.Duration(i) * 24 * time.Hour / time.Duration(n))
		fmt.Fprintf(w, "user-%08d,%d,creative-%02d,placement-%d,%s\n", rid, 1+i%3, i%20, i%10, at.Format(time.RFC3339))
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	f.Close()
}
