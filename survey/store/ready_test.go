package store_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestReadOnlyDatabaseIsUnavailableAndRetryIsSafe: a database that takes
// no writes makes a submission fail as unavailable (a 503), /readyz's
// check says read_only, and sending the same submission again once
// writes work stores it once.
func TestReadOnlyDatabaseIsUnavailableAndRetryIsSafe(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			dsn := surveytest.DSN(t, d)
			s := surveytest.OpenMigrated(t, dsn)
			if err := s.Ready(ctx); err != nil {
				t.Fatalf("fresh store not ready: %v", err)
			}
			st := newLiveStudy(t, s, nil)
			ro := surveytest.ReadOnly(t, d, dsn)
			var nr *store.NotReadyError
			if err := ro.Ready(ctx); !errors.As(err, &nr) || nr.Reason != "read_only" {
				t.Errorf("read-only store: Ready = %v, want reason read_only", err)
			}
			req := survey.SubmitRequest{Token: token(st, "retry-me", survey.GroupExposed), Answers: goodAnswers()}
			_, err := ro.Submit(ctx, req)
			if !store.IsUnavailable(err) {
				t.Fatalf("submission to a read-only database: %v, want unavailable", err)
			}
			t.Logf("read-only: %v", err)
			first, err := s.Submit(ctx, req)
			if err != nil || first.Duplicate {
				t.Fatalf("retry after the outage: %+v %v", first, err)
			}
			again, err := s.Submit(ctx, req)
			if err != nil || !again.Duplicate || again.ResponseID != first.ResponseID {
				t.Fatalf("second retry: %+v %v, want the same id as a duplicate", again, err)
			}
			if check, _ := s.VerifyResponses(ctx, st.ID, []string{first.ResponseID}); check.Stored != 1 || len(check.Missing) != 0 {
				t.Errorf("stored %+v, want exactly the one response", check)
			}
		})
	}
}

func TestReadyAfterClose(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		s.Close()
		var nr *store.NotReadyError
		if err := s.Ready(context.Background()); !errors.As(err, &nr) || nr.Reason != "unreachable" {
			t.Errorf("closed store: Ready = %v", err)
		}
	})
}

// TestFullDiskSQLite runs SQLite on a small tmpfs and fills it: a
// submission then fails as unavailable (SQLITE_FULL), readiness says
// disk_full, and once space is back the same submission is stored once.
// It needs root to mount the tmpfs and skips otherwise.
func TestFullDiskSQLite(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", "-l", dir).Run() })
	ctx := context.Background()
	s, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "full.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	st := newLiveStudy(t, s, nil)
	var nr *store.NotReadyError
	if err := s.Ready(ctx); !errors.As(err, &nr) || nr.Reason != "disk_full" {
		t.Errorf("16 MiB disk: Ready = %v, want disk_full (below store.MinFreeDisk)", err)
	}
	// Fill every byte: a file grown until the file system says no.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 64<<10)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	f.Close()
	req := survey.SubmitRequest{Token: token(st, "full", survey.GroupControl), Answers: goodAnswers()}
	req.Answers["why"] = strings.Repeat("место закончилось ", 100) // a row larger than any free page
	_, err = s.Submit(ctx, req)
	if !store.IsUnavailable(err) {
		t.Fatalf("submission on a full disk: %v, want unavailable", err)
	}
	t.Logf("on a full disk: %v", err)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	res, err := s.Submit(ctx, req)
	if err != nil || res.Duplicate {
		t.Fatalf("after freeing the disk: %+v %v", res, err)
	}
	if check, _ := s.VerifyResponses(ctx, st.ID, []string{res.ResponseID}); check.Stored != 1 {
		t.Errorf("stored %d responses, want 1", check.Stored)
	}
}
