package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// impressionLog is a CSV log with good and bad rows; its columns are out
// of order on purpose.
const impressionLog = "placement,rid,count,creative,time\r\n" +
	"p1,u-1,2,c1,2026-05-01T10:00:00Z\r\n" + // 2
	"p2,u-1,,c2,2026-05-01T12:00:00+00:00\r\n" + // 3: count defaults to 1; the latest labels
	",u-2,1,c3,2026-05-01T11:00:00.123456Z\r\n" + // 4
	"p9,u-1,1,c0,2026-05-01T09:00:00Z\r\n" + // 5: earlier: widens first_seen, keeps the labels
	"p1,,1,c1,\r\n" + // 6: no rid
	"p1,u-3,0,c1,\r\n" + // 7: count 0
	"p1,u-3,x,c1,\r\n" + // 8: count x
	"p1,u-3,1,c1,yesterday\r\n" + // 9: bad time
	"p1,u-3\r\n" + // 10: too few fields
	"p1,u-4,5,c1,\r\n" // 11: no time: now

func csvLog(t *testing.T, body string) survey.ImpressionLogReader {
	t.Helper()
	r, err := survey.NewImpressionCSV(strings.NewReader(body), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// exposureTotals are the study's impressions and respondents in the table.
func exposureTotals(t *testing.T, s *store.Store, studyID string) (impressions, respondents int64) {
	t.Helper()
	var row struct{ Sum, N int64 }
	if err := s.DB().Raw("SELECT COALESCE(SUM(count), 0) AS sum, COUNT(*) AS n FROM exposures WHERE study_id = ?", studyID).Scan(&row).Error; err != nil {
		t.Fatal(err)
	}
	return row.Sum, row.N
}

// TestImportImpressionsCSV: good rows are taken and folded per respondent
// (counts, first and last seen, latest labels), bad rows are counted by
// reason and named by line; the same file id again counts nothing and
// returns the same report; another file id counts again.
func TestImportImpressionsCSV(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, nil)
		before := time.Now().UTC().Add(-time.Second)
		rep, err := s.ImportImpressions(ctx, st, "log-1", csvLog(t, impressionLog))
		if err != nil {
			t.Fatal(err)
		}
		if rep.Replay || rep.FileID != "log-1" || rep.RowsRead != 10 || rep.RowsTaken != 5 || rep.RowsRejected != 5 ||
			rep.ImpressionsAdded != 10 || rep.RespondentsTouched != 3 {
			t.Errorf("report %+v", rep)
		}
		wantReasons := map[string]int64{survey.RejectRID: 1, survey.RejectCount: 2, survey.RejectTime: 1, survey.RejectMalformed: 1}
		if !reflect.DeepEqual(rep.RejectedByReason, wantReasons) {
			t.Errorf("by reason %v", rep.RejectedByReason)
		}
		var lines []string
		for _, r := range rep.Rejections {
			lines = append(lines, fmt.Sprintf("%d:%s:%s", r.Line, r.Field, r.Code))
		}
		if got := strings.Join(lines, " "); got != "6:rid:invalid_rid 7:count:invalid_count 8:count:invalid_count 9:time:invalid_time 10::malformed_line" {
			t.Errorf("rejections %s", got)
		}
		if imps, n := exposureTotals(t, s, st.ID); imps != 10 || n != 3 {
			t.Errorf("exposures: %d impressions of %d respondents", imps, n)
		}
		at := func(s string) time.Time { v, _ := time.Parse(time.RFC3339Nano, s); return v }
		e, err := s.Exposure(ctx, st, "u-1")
		if err != nil || e.Count != 4 || !e.FirstSeen.Equal(at("2026-05-01T09:00:00Z")) || !e.LastSeen.Equal(at("2026-05-01T12:00:00Z")) ||
			e.Creative != "c2" || e.Placement != "p2" {
			t.Errorf("u-1: %+v %v", e, err)
		}
		if e, err := s.Exposure(ctx, st, "u-2"); err != nil || e.Count != 1 || !e.FirstSeen.Equal(at("2026-05-01T11:00:00.123456Z")) ||
			e.Creative != "c3" || e.Placement != "" {
			t.Errorf("u-2: %+v %v", e, err)
		}
		if e, err := s.Exposure(ctx, st, "u-4"); err != nil || e.Count != 5 || e.FirstSeen.Before(before) || !e.FirstSeen.Equal(e.LastSeen) {
			t.Errorf("u-4: %+v %v", e, err)
		}

		again, err := s.ImportImpressions(ctx, st, "log-1", csvLog(t, impressionLog))
		if err != nil || !again.Replay {
			t.Fatalf("replay %+v %v", again, err)
		}
		again.Replay = false
		a, _ := json.Marshal(again)
		b, _ := json.Marshal(rep)
		if string(a) != string(b) {
			t.Errorf("replayed report\n%s\nwant\n%s", a, b)
		}
		if imps, n := exposureTotals(t, s, st.ID); imps != 10 || n != 3 {
			t.Errorf("after the replay: %d impressions of %d respondents", imps, n)
		}
		if _, err := s.ImportImpressions(ctx, st, "log-2", csvLog(t, impressionLog)); err != nil {
			t.Fatal(err)
		}
		if imps, n := exposureTotals(t, s, st.ID); imps != 20 || n != 3 {
			t.Errorf("after a second file: %d impressions of %d respondents", imps, n)
		}
	})
}

// TestImportImpressionsRefusals: unknown columns, a file of only bad rows
// (which stores nothing and leaves its file id free), a closed study.
func TestImportImpressionsRefusals(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		_, err := survey.NewImpressionCSV(strings.NewReader("rid,ip,user_agent\nu-1,1.2.3.4,x\n"), time.Now())
		var v *survey.ValidationError
		if !errors.As(err, &v) || !strings.Contains(v.Error(), `"ip", "user_agent"`) {
			t.Errorf("unknown columns: %v", err)
		}
		st := newLiveStudy(t, s, nil)
		_, err = s.ImportImpressions(ctx, st, "f", csvLog(t, "rid,count\n,1\nu-1,-3\n"))
		var rej *survey.ImpressionLogRejected
		if !errors.As(err, &rej) || rej.Report.RowsRead != 2 || rej.Report.RowsRejected != 2 || rej.Report.RowsTaken != 0 {
			t.Fatalf("only bad rows: %v", err)
		}
		if imps, _ := exposureTotals(t, s, st.ID); imps != 0 {
			t.Errorf("a refused file stored %d impressions", imps)
		}
		if _, err := s.ImpressionFile(ctx, st.ID, "f"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("a refused file id was recorded: %v", err)
		}
		if rep, err := s.ImportImpressions(ctx, st, "f", csvLog(t, "rid\nu-1\n")); err != nil || rep.Replay || rep.RowsTaken != 1 {
			t.Errorf("the corrected file: %+v %v", rep, err)
		}
		closed, err := s.Transition(ctx, st.ID, survey.Close)
		if err != nil {
			t.Fatal(err)
		}
		var ce *survey.ConflictError
		if _, err := s.ImportImpressions(ctx, closed, "g", csvLog(t, "rid\nu-1\n")); !errors.As(err, &ce) || ce.Status != survey.StatusClosed {
			t.Errorf("closed study: %v", err)
		}
	})
}

// TestImportImpressionsJSONLinesAndChunks: a JSON Lines log with bad
// lines, imported with a chunk of two respondents so that respondents
// recur across chunks and are still counted once.
func TestImportImpressionsJSONLinesAndChunks(t *testing.T) {
	defer store.SetChunkRespondents(2)()
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, nil)
		body := `{"rid":"u-1","count":2,"creative":"c1","time":"2026-05-01T10:00:00Z"}
{"rid":"u-2"}

{"rid":"u-3","count":"4","placement":"p"}
{"rid":"u-1","time":"2026-05-01T08:00:00Z","creative":"old"}
{"rid":"u-2","ip":"1.2.3.4"}
[1,2]
{"rid":7}
{"rid":"u-1","count":1.5}
{"rid":"u-1","creative":{"id":1}}
{"rid":"u-3","time":"2026-05-01"}
`
		rep, err := s.ImportImpressions(ctx, st, "j", survey.NewImpressionJSONL(strings.NewReader(body), time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{survey.RejectUnknownField: 1, survey.RejectMalformed: 1, survey.RejectRID: 1,
			survey.RejectCount: 1, survey.RejectLabel: 1, survey.RejectTime: 1}
		if rep.RowsRead != 10 || rep.RowsTaken != 4 || rep.ImpressionsAdded != 8 || rep.RespondentsTouched != 3 ||
			!reflect.DeepEqual(rep.RejectedByReason, want) || rep.Rejections[0].Line != 6 || rep.Rejections[0].Field != "ip" {
			t.Errorf("report %+v", rep)
		}
		if imps, n := exposureTotals(t, s, st.ID); imps != 8 || n != 3 {
			t.Errorf("exposures: %d impressions of %d respondents", imps, n)
		}
		if e, err := s.Exposure(ctx, st, "u-1"); err != nil || e.Count != 3 || e.Creative != "c1" || e.FirstSeen.Hour() != 8 {
			t.Errorf("u-1: %+v %v", e, err)
		}
	})
}

// TestImportImpressionsConcurrentSameFile: uploads of one file id at the
// same time count it once; the others answer the winner's report.
func TestImportImpressionsConcurrentSameFile(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		var wg sync.WaitGroup
		reps := make([]survey.ImpressionImport, 4)
		errs := make([]error, 4)
		for i := range reps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				reps[i], errs[i] = s.ImportImpressions(context.Background(), st, "same", csvLog(t, impressionLog))
			}()
		}
		wg.Wait()
		fresh := 0
		for i := range reps {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if !reps[i].Replay {
				fresh++
			}
			if reps[i].ImpressionsAdded != 10 {
				t.Errorf("report %d: %+v", i, reps[i])
			}
		}
		if imps, _ := exposureTotals(t, s, st.ID); fresh != 1 || imps != 10 {
			t.Errorf("%d fresh imports, %d impressions", fresh, imps)
		}
	})
}

// TestImportImpressionsStreams200k: a 200,000-row log written into a pipe
// while it is imported (PostgreSQL: COPY), with 50,000 respondents.
func TestImportImpressionsStreams200k(t *testing.T) {
	s := surveytest.New(t, store.Postgres) // skips without TEST_DATABASE_URL
	st := newLiveStudy(t, s, nil)
	pr, pw := io.Pipe()
	go func() {
		w := &strings.Builder{}
		fmt.Fprintln(w, "rid,count,creative,placement,time")
		for i := range 200_000 {
			fmt.Fprintf(w, "user-%06d,%d,cr-%d,pl-%d,2026-05-01T%02d:%02d:00Z\n", i%50_000, 1+i%3, i%7, i%5, i/60_000%24, i%60)
			if w.Len() > 32<<10 {
				pw.Write([]byte(w.String()))
				w.Reset()
			}
		}
		pw.Write([]byte(w.String()))
		pw.Close()
	}()
	r, err := survey.NewImpressionCSV(pr, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.ImportImpressions(context.Background(), st, "big", r)
	if err != nil {
		t.Fatal(err)
	}
	// counts cycle 1, 2, 3: 66,667 ones and twos, 66,666 threes
	if rep.RowsTaken != 200_000 || rep.ImpressionsAdded != 399_999 || rep.RespondentsTouched != 50_000 {
		t.Errorf("report %+v", rep)
	}
	if imps, n := exposureTotals(t, s, st.ID); imps != 399_999 || n != 50_000 {
		t.Errorf("exposures: %d impressions of %d respondents", imps, n)
	}
}
