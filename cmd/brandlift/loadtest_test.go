package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/api"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestLoadtestAndVerify runs the load generator against the real app and
// checks the study with verify, as the fault script does: every valid
// respondent acknowledged and stored once, the poisoned one refused every
// time, running counts equal to a recount.
func TestLoadtestAndVerify(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn, srv, key := loadTarget(t, d)
			acked := filepath.Join(t.TempDir(), "acked.txt")
			code, out, stderr := runCmd("loadtest", "--url", srv.URL, "--key", key, "--responses", "60", "--clients", "8",
				"--poison", "1", "--replay", "5", "--acked", acked, "--strict")
			if code != 0 {
				t.Fatalf("loadtest exit %d: %s %s", code, stderr, out)
			}
			var sum loadSummary
			if err := json.Unmarshal([]byte(out), &sum); err != nil {
				t.Fatalf("summary %q: %v", out, err)
			}
			if sum.Created != 60 || sum.Lost != 0 || sum.Rejected != 5 || sum.Statuses["201"] != 60 || sum.Statuses["422"] != 5 {
				t.Errorf("summary %+v", sum)
			}
			if b, _ := os.ReadFile(acked); strings.Count(string(b), "\n") != 60 {
				t.Errorf("acknowledgements: %q", b)
			}
			code, out, stderr = runCmd("verify", "--db", dsn, "--study", sum.StudyID, "--acked", acked)
			if code != 0 || !strings.Contains(out, "stored responses: 60, distinct respondents: 60, acknowledged: 60, acknowledged but missing: 0") ||
				!strings.Contains(out, "equal a recount") {
				t.Errorf("verify exit %d: %s %s", code, out, stderr)
			}
			// An acknowledgement that is not stored fails verify.
			os.WriteFile(acked, []byte("ghost\t01M8NOTSTORED0000000000000\t201\n"), 0o644)
			if code, _, stderr := runCmd("verify", "--db", dsn, "--study", sum.StudyID, "--acked", acked); code != 1 ||
				!strings.Contains(stderr, "1 acknowledged responses are not stored") {
				t.Errorf("verify of a lost response: exit %d %s", code, stderr)
			}
		})
	}
}

// TestLoadtestPixelAndPage runs the pixel and page modes against the real
// app: the pixel's impressions, drawn at random over a few respondents
// from many clients, are each counted once (verify --impressions), and the
// survey page answers every token and stores nothing.
func TestLoadtestPixelAndPage(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn, srv, key := loadTarget(t, d)
			counts := filepath.Join(t.TempDir(), "impressions.txt")
			code, out, stderr := runCmd("loadtest", "--mode", "pixel", "--url", srv.URL, "--key", key, "--requests", "600",
				"--respondents", "7", "--clients", "12", "--acked", counts, "--strict")
			if code != 0 {
				t.Fatalf("pixel loadtest exit %d: %s %s", code, stderr, out)
			}
			var sum hitSummary
			if err := json.Unmarshal([]byte(out), &sum); err != nil {
				t.Fatalf("summary %q: %v", out, err)
			}
			if sum.Mode != "pixel" || sum.Statuses["200"] != 600 || sum.P99Ms < sum.P50Ms || sum.PerSec <= 0 {
				t.Errorf("pixel summary %+v", sum)
			}
			code, out, stderr = runCmd("verify", "--db", dsn, "--study", sum.StudyID, "--impressions", counts)
			if code != 0 || !strings.Contains(out, "stored impressions: 600, answered: 600, respondents: 7, with a wrong count: 0, not sent: 0") {
				t.Errorf("verify exit %d: %s %s", code, out, stderr)
			}
			// A count that was not stored fails verify.
			os.WriteFile(counts, []byte("px-0\t100000\n"), 0o644)
			if code, _, stderr := runCmd("verify", "--db", dsn, "--study", sum.StudyID, "--impressions", counts); code != 1 ||
				!strings.Contains(stderr, "1 respondents have a count other than their answered impressions") {
				t.Errorf("verify of a wrong count: exit %d %s", code, stderr)
			}

			code, out, stderr = runCmd("loadtest", "--mode", "page", "--url", srv.URL, "--key", key, "--requests", "90",
				"--respondents", "30", "--clients", "6", "--strict")
			if code != 0 {
				t.Fatalf("page loadtest exit %d: %s %s", code, stderr, out)
			}
			sum = hitSummary{}
			if err := json.Unmarshal([]byte(out), &sum); err != nil || sum.Mode != "page" || sum.Statuses["200"] != 90 {
				t.Errorf("page summary %+v %v", sum, err)
			}
			if code, out, _ := runCmd("verify", "--db", dsn, "--study", sum.StudyID); code != 0 || !strings.Contains(out, "stored responses: 0") {
				t.Errorf("the page stored something: %s", out)
			}
		})
	}
}

// loadTarget serves the real app on a fresh migrated database of dialect
// d for a load run: its DSN (for verify), the server and a marketer key.
func loadTarget(t *testing.T, d store.Dialect) (string, *httptest.Server, string) {
	t.Helper()
	dsn := surveytest.DSN(t, d)
	s := surveytest.OpenMigrated(t, dsn)
	_, key, err := s.CreateAPIKey(context.Background(), "load", survey.RoleMarketer)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.New(api.Config{Store: s, BaseURL: "http://x"}).Handler())
	t.Cleanup(srv.Close)
	return dsn, srv, key
}
