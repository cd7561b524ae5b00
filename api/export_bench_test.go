package api

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
	"github.com/jackc/pgx/v5/stdlib"
)

// BenchmarkLargeStudy measures the results endpoint and the exports on a
// study of BRANDLIFT_BENCH_RESPONSES responses (default 200,000) and one a
// tenth of its size, on every database of the run; on PostgreSQL also
// COPY ... TO STDOUT of the same rows, through pgx and through psql. The
// studies are seeded once, before anything is timed, and only when this
// benchmark runs (benchmarks never run without -bench). Besides time it
// reports rows/s, allocated bytes per row, the file's size, the live heap
// before the request, its peak growth during the request and what is left
// after it (see measureExport): flat memory means the same peak growth at both
// sizes and nothing left. Figures and commands: docs/BENCHMARKS.md.
//
//	TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/brandlift_dev \
//	  go test ./api -run '^$' -bench LargeStudy -benchtime 3x -timeout 90m
func BenchmarkLargeStudy(b *testing.B) {
	n := 200_000
	if v := os.Getenv("BRANDLIFT_BENCH_RESPONSES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 10 {
			b.Fatalf("BRANDLIFT_BENCH_RESPONSES=%q", v)
		}
	}
	for _, d := range surveytest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			ctx := context.Background()
			s := surveytest.New(b, d)
			srv := New(Config{Store: s})
			_, key, err := s.CreateAPIKey(ctx, "bench", survey.RoleAnalyst)
			if err != nil {
				b.Fatal(err)
			}
			for _, size := range []int{n / 10, n} {
				start := time.Now()
				st := seedLarge(b, s, size)
				b.Logf("%s: seeded %d responses in %s", d, size, time.Since(start).Round(time.Millisecond))
				cases := []struct{ name, path string }{
					{"results", "/results"},
					{"results.csv", "/results?format=csv"},
					{"responses.csv", "/responses?format=csv"},
					{"responses.jsonl", "/responses?format=jsonl"},
					{"responses.xlsx", "/responses?format=xlsx"},
					{"responses.parquet", "/responses?format=parquet"},
				}
				for _, c := range cases {
					b.Run(fmt.Sprintf("n=%d/%s", size, c.name), func(b *testing.B) {
						rows := int64(size)
						if c.name == "results" || c.name == "results.csv" {
							rows = 0
						}
						measureExport(b, rows, func(w *countingWriter) {
							req := httptest.NewRequest("GET", "/api/v1/studies/"+st.ID+c.path, nil)
							req.Header.Set("Authorization", "Bearer "+key)
							srv.Handler().ServeHTTP(w, req)
							if w.code != http.StatusOK {
								b.Fatalf("%s: status %d", c.path, w.code)
							}
						})
					})
				}
				if d == store.Postgres {
					benchCopy(b, s, st.ID, size)
				}
			}
		})
	}
}

// benchCopy measures PostgreSQL's own CSV output of the same rows: the
// responses' columns as stored (answers and attributes as JSON), in the
// export's order, through pgx's COPY protocol and through psql.
func benchCopy(b *testing.B, s *store.Store, studyID string, size int) {
	ctx := context.Background()
	var schema string
	if err := s.DB().Raw("SELECT current_schema()").Scan(&schema).Error; err != nil {
		b.Fatal(err)
	}
	query := "COPY (SELECT id, grp, status, flags, attrs, locale, device, frequency, started_at, completed_at, " +
		"duration_ms, consent_at, answers FROM " + schema + ".responses WHERE study_id = '" + studyID + "' ORDER BY id) " +
		"TO STDOUT WITH (FORMAT csv, HEADER)"
	db, err := s.DB().DB()
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("n=%d/pgx-copy", size), func(b *testing.B) {
		measureExport(b, int64(size), func(w *countingWriter) {
			if err := copyOut(ctx, db, w, query); err != nil {
				b.Fatal(err)
			}
		})
	})
	psql, err := exec.LookPath("psql")
	if err != nil {
		b.Logf("no psql: %v", err)
		return
	}
	b.Run(fmt.Sprintf("n=%d/psql-copy", size), func(b *testing.B) {
		measureExport(b, int64(size), func(w *countingWriter) {
			cmd := exec.Command(psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", os.Getenv(surveytest.EnvPostgres), "-c", query)
			var stderr strings.Builder
			cmd.Stdout, cmd.Stderr = w, &stderr
			if err := cmd.Run(); err != nil {
				b.Fatalf("psql: %v %s", err, stderr.String())
			}
		})
	})
}

func copyOut(ctx context.Context, db *sql.DB, w *countingWriter, query string) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		_, err := dc.(*stdlib.Conn).Conn().PgConn().CopyTo(ctx, w, query)
		return err
	})
}

// measureExport times fn in a b.Loop and reports rows/s, bytes out, allocated
// bytes per row, the live heap before fn, its peak growth while fn runs,
// and what fn leaves behind. The live heap is what the garbage collector
// found reachable at each collection during fn (runtime/metrics
// /gc/heap/live:bytes): unlike the heap's size it does not depend on how
// much garbage the collector lets pile up, so it shows whether memory
// grows with the rows.
func measureExport(b *testing.B, rows int64, fn func(w *countingWriter)) {
	b.ReportAllocs()
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC() // and the pools' victim caches
	before := liveHeap()
	runtime.ReadMemStats(&ms)
	allocBefore := ms.TotalAlloc
	peak := watchHeap()
	var out int64
	for b.Loop() {
		w := &countingWriter{header: http.Header{}}
		fn(w)
		out = w.n
	}
	growth := peak.stop() - before
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(out)/1e6, "MB/file")
	b.ReportMetric(float64(before)/(1<<20), "live-heap-MiB")
	b.ReportMetric(float64(growth)/(1<<20), "peak-live-growth-MiB")
	b.ReportMetric(float64(liveHeap()-before)/(1<<20), "left-MiB")
	if rows > 0 {
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		b.ReportMetric(float64(ms.TotalAlloc-allocBefore)/float64(b.N)/float64(rows), "B/row")
	}
}

// liveHeap is the heap the last collection found reachable.
func liveHeap() int64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return int64(s[0].Value.Uint64())
}

// heapWatch samples the live heap every millisecond.
type heapWatch struct {
	peak atomic.Int64
	quit chan struct{}
	done chan struct{}
}

func watchHeap() *heapWatch {
	h := &heapWatch{quit: make(chan struct{}), done: make(chan struct{})}
	read := func() {
		if v := liveHeap(); v > h.peak.Load() {
			h.peak.Store(v)
		}
	}
	go func() {
		defer close(h.done)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-h.quit:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return h
}

func (h *heapWatch) stop() int64 {
	close(h.quit)
	<-h.done
	return h.peak.Load()
}

// countingWriter is a client that reads and drops the body.
type countingWriter struct {
	header http.Header
	code   int
	n      int64
}

func (w *countingWriter) Header() http.Header { return w.header }
func (w *countingWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}
func (w *countingWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	w.n += int64(len(p))
	return len(p), nil
}

// seedLarge creates a live study like the round-trip one and submits n
// responses through Store.Submit from many goroutines (the committer
// batches them), with every question type, text in Russian on a quarter
// of them, and two attributes.
func seedLarge(b *testing.B, s *store.Store, n int) *survey.Study {
	b.Helper()
	ctx := context.Background()
	raw, err := os.ReadFile("testdata/example_study.json")
	if err != nil {
		b.Fatal(err)
	}
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		b.Fatal(err)
	}
	qs := body["questions"].([]any)
	text := map[string]any{"ru": "Какие марки вы знаете?", "en": "Which brands do you know?"}
	opt := func(k string) map[string]any {
		return map[string]any{"key": k, "text": map[string]any{"ru": k, "en": k}}
	}
	none := opt("none")
	none["exclusive"] = true
	acme := opt("acme")
	acme["positive"] = true
	body["questions"] = []any{qs[0], qs[1], qs[2],
		map[string]any{"key": "brands", "type": "multi_choice", "metric": "awareness", "required": false, "text": text,
			"options": []any{acme, opt("rival"), opt("other"), none}}, qs[3]}
	body["weighting"] = map[string]any{"attributes": []any{"age"}}
	body["target_per_group"] = 10 * n
	body["name"] = fmt.Sprintf("Bench %d", n)
	raw, _ = json.Marshal(body)
	var in survey.StudyInput
	if err := json.Unmarshal(raw, &in); err != nil {
		b.Fatal(err)
	}
	st, err := s.CreateStudy(ctx, &in)
	if err != nil {
		b.Fatal(err)
	}
	if st, err = s.Transition(ctx, st.ID, survey.Launch); err != nil {
		b.Fatal(err)
	}
	ages := []string{"18-24", "25-34", "35-44", "45+"}
	regions := []string{"Москва", "Санкт-Петербург", "Казань", "Новосибирск", "Екатеринбург"}
	brands := [][]any{{"acme"}, {"acme", "rival"}, {"rival", "other"}, {"none"}, {"other"}}
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 1)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				g := survey.GroupExposed
				if i%3 == 0 {
					g = survey.GroupControl
				}
				answers := map[string]any{
					"recall": []string{"yes", "no", "dk"}[i%3], "nps": json.Number(strconv.Itoa(i % 11)),
					"csat": json.Number(strconv.Itoa(1 + i%5)), "brands": brands[i%len(brands)],
				}
				if i%4 == 0 {
					answers["why"] = fmt.Sprintf("Ответ №%d: нравится, \"очень\"", i)
				}
				tok := st.SignToken(&survey.Token{RID: "r" + strconv.Itoa(i), Group: g,
					Attrs: map[string]string{"age": ages[i%len(ages)], "region": regions[i%len(regions)]}})
				if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: answers, UserAgent: "Mozilla/5.0 (iPhone)"}); err != nil {
					select {
					case errs <- fmt.Errorf("submit %d: %w", i, err):
					default:
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
	}
	return st
}
