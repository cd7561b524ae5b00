package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// The replica test's environment, set by .ci/replica: the standby's base
// URL (TEST_DATABASE_URL is then its primary) and the cluster to stop,
// as "VERSION NAME" for pg_ctlcluster.
const (
	envStandby        = "TEST_REPLICA_URL"
	envStandbyCluster = "TEST_REPLICA_CLUSTER"
)

// TestReportsSayWhereTheyReadFrom: without a replica every report, trend
// and export is read from the primary and says so, with as_of the moment
// of the read.
func TestReportsSayWhereTheyReadFrom(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		ctx := context.Background()
		submitN(t, s, st, "p", 3)
		before := time.Now().UTC()
		r, err := s.Results(ctx, st.ID, results.Options{})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := s.ResultsTrend(ctx, st.ID, "day", results.Options{})
		if err != nil {
			t.Fatal(err)
		}
		e, err := s.NewExport(ctx, st.ID, store.ExportOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for name, f := range map[string]results.Freshness{"report": r.Freshness, "trend": tr.Freshness, "export": e.Freshness} {
			if f.ReadFrom != "primary" || f.LagSeconds != nil || f.Note != "" || f.AsOf.Before(before) {
				t.Errorf("%s: freshness %+v, want read from the primary at or after %v", name, f, before)
			}
		}
		if s.HasReplica() {
			t.Error("HasReplica is true without a replica")
		}
	})
}

// TestAttachReplicaRefuses: a replica needs PostgreSQL on both sides, and
// a database that is not a standby is refused rather than read as if it
// were a copy of the primary.
func TestAttachReplicaRefuses(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if s.Dialect() == store.SQLite {
			err := s.AttachReplica(ctx, "postgres://postgres@127.0.0.1:5432/x", nil)
			if err == nil || !strings.Contains(err.Error(), "needs PostgreSQL") {
				t.Errorf("a replica of SQLite: %v, want a refusal naming PostgreSQL", err)
			}
			return
		}
		err := s.AttachReplica(ctx, "sqlite:replica.db", nil)
		if err == nil || !strings.Contains(err.Error(), "must be a PostgreSQL DSN") {
			t.Errorf("a SQLite replica: %v, want a refusal", err)
		}
		err = s.AttachReplica(ctx, os.Getenv(surveytest.EnvPostgres), nil) // a primary, not a standby
		if err == nil || !strings.Contains(err.Error(), "not a standby") {
			t.Errorf("a primary given as the replica: %v, want \"not a standby\"", err)
		}
		if s.HasReplica() {
			t.Error("a refused replica was attached")
		}
	})
}

// TestReadReplica runs against a real streaming replica made by
// .ci/replica (pg_basebackup into a second cluster): reports and exports
// read from it; with its replay paused they show the older counts, with
// an as_of before the newer answers and a lag that says how far behind
// they are; after replay resumes they catch up; with the replica stopped
// they are read from the primary and say why, and the replica is used
// again once it is back.
func TestReadReplica(t *testing.T) {
	standbyBase := os.Getenv(envStandby)
	if standbyBase == "" {
		t.Skip(envStandby + " is not set; .ci/replica sets up a replica and runs this test")
	}
	dsn := surveytest.DSN(t, store.Postgres) // a fresh schema on the primary
	s := surveytest.OpenMigrated(t, dsn)
	ctx := context.Background()
	var failures atomic.Int64 // what the server would log
	if err := s.AttachReplica(ctx, withSearchPath(t, standbyBase, dsn), func(error) { failures.Add(1) }); err != nil {
		t.Fatal(err)
	}
	st := newLiveStudy(t, s, nil)
	submitN(t, s, st, "a", 10)
	committed := time.Now().UTC()
	r := waitForReport(t, s, st.ID, func(r *results.Report) bool { return total(r) == 10 && r.ReadFrom == "replica" })
	if r.AsOf.Before(committed.Add(-time.Second)) { // the primary's clock, on this machine
		t.Errorf("caught up: as_of %v, want about %v or later", r.AsOf, committed)
	}

	standby, err := sql.Open("pgx", standbyBase)
	if err != nil {
		t.Fatal(err)
	}
	defer standby.Close()
	if _, err := standby.Exec("SELECT pg_wal_replay_pause()"); err != nil {
		t.Fatal(err)
	}
	resumed := false
	defer func() {
		if !resumed {
			standby.Exec("SELECT pg_wal_replay_resume()")
		}
	}()
	waitFor(t, "replay paused", func() bool {
		var state string
		return standby.QueryRow("SELECT pg_get_wal_replay_pause_state()").Scan(&state) == nil && state == "paused"
	})
	newer := time.Now().UTC()
	submitN(t, s, st, "b", 5)
	time.Sleep(300 * time.Millisecond)
	r, err = s.Results(ctx, st.ID, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if total(r) != 10 || r.ReadFrom != "replica" {
		t.Fatalf("paused replica: %d responses read from %s, want the 10 it had, from the replica", total(r), r.ReadFrom)
	}
	if !r.AsOf.Before(newer) || r.LagSeconds == nil || *r.LagSeconds < 0.3 {
		t.Errorf("paused replica: as_of %v, lag %v; want before %v and at least 0.3 s", r.AsOf, r.LagSeconds, newer)
	}
	e, err := s.NewExport(ctx, st.ID, store.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rows := exportedRows(t, e); rows != 10 || e.Freshness.ReadFrom != "replica" || !e.Freshness.AsOf.Before(newer) {
		t.Errorf("export from the paused replica: %d rows, %+v; want the 10 it had, as of before %v", rows, e.Freshness, newer)
	}
	tr, err := s.ResultsTrend(ctx, st.ID, "day", results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.ReadFrom != "replica" || !tr.AsOf.Before(newer) {
		t.Errorf("trend from the paused replica: %+v, want as of before %v", tr.Freshness, newer)
	}

	if _, err := standby.Exec("SELECT pg_wal_replay_resume()"); err != nil {
		t.Fatal(err)
	}
	resumed = true
	r = waitForReport(t, s, st.ID, func(r *results.Report) bool { return total(r) == 15 && r.ReadFrom == "replica" })
	if r.AsOf.Before(newer) {
		t.Errorf("resumed: as_of %v, want after %v", r.AsOf, newer)
	}

	cluster := strings.Fields(os.Getenv(envStandbyCluster))
	if len(cluster) != 2 {
		t.Fatalf("%s = %q, want \"VERSION NAME\"", envStandbyCluster, os.Getenv(envStandbyCluster))
	}
	pgctl := func(action string) {
		t.Helper()
		if out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", cluster[0], cluster[1], action, "-m", "fast").CombinedOutput(); err != nil {
			t.Fatalf("pg_ctlcluster %s: %v\n%s", action, err, out)
		}
	}
	if n := failures.Load(); n != 0 {
		t.Errorf("a replica paused and resumed was reported failing %d times", n)
	}
	pgctl("stop")
	started := false
	defer func() {
		if !started {
			pgctl("start")
		}
	}()
	submitN(t, s, st, "c", 2)
	r, err = s.Results(ctx, st.ID, results.Options{})
	if err != nil {
		t.Fatalf("replica down: %v, want the report from the primary", err)
	}
	if total(r) != 17 || r.ReadFrom != "primary" || r.Note == "" {
		t.Errorf("replica down: %d responses from %s (note %q), want all 17 from the primary with a note", total(r), r.ReadFrom, r.Note)
	}
	if _, err := s.Results(ctx, st.ID, results.Options{}); err != nil || failures.Load() != 1 {
		t.Errorf("replica down, two reports: %d failures told (err %v), want one: the replica then rests", failures.Load(), err)
	}
	pgctl("start")
	started = true
	waitForReport(t, s, st.ID, func(r *results.Report) bool { return total(r) == 17 && r.ReadFrom == "replica" })
}

// submitN submits n complete responses, half of them exposed.
func submitN(t *testing.T, s *store.Store, st *survey.Study, prefix string, n int) {
	t.Helper()
	for i := range n {
		g := survey.GroupExposed
		if i%2 == 1 {
			g = survey.GroupControl
		}
		if _, err := s.Submit(context.Background(), survey.SubmitRequest{Token: token(st, fmt.Sprint(prefix, i), g), Answers: goodAnswers()}); err != nil {
			t.Fatal(err)
		}
	}
}

func total(r *results.Report) int64 { return r.Counts.Exposed + r.Counts.Control }

func exportedRows(t *testing.T, e *store.Export) int {
	t.Helper()
	n := 0
	if err := e.Rows(context.Background(), func([]any) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitForReport polls the report until ok holds, for up to 30 s.
func waitForReport(t *testing.T, s *store.Store, studyID string, ok func(*results.Report) bool) *results.Report {
	t.Helper()
	var r *results.Report
	waitFor(t, "the report", func() bool {
		var err error
		r, err = s.Results(context.Background(), studyID, results.Options{})
		return err == nil && ok(r)
	})
	return r
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("waited 30 s for %s", what)
}

// withSearchPath is the standby's URL with the schema of the primary's
// test DSN, which replication has copied.
func withSearchPath(t *testing.T, standby, primary string) string {
	t.Helper()
	p, err := url.Parse(primary)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(standby)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", p.Query().Get("search_path"))
	u.RawQuery = q.Encode()
	return u.String()
}
