package api

import (
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// TestMethodsSayWhereTheReportWasRead: a report read from the replica
// tells the reader in words how current it is; one that fell back to the
// primary says the replica was unavailable; one read from the primary of
// a server without a replica says neither.
func TestMethodsSayWhereTheReportWasRead(t *testing.T) {
	st := &survey.Study{ID: "s1"}
	st.Kind = survey.KindBrandLift
	asOf := time.Date(2026, 12, 4, 10, 30, 0, 0, time.UTC)
	lag := 2.5
	cases := []struct {
		name, lang string
		f          results.Freshness
		want, not  string
	}{
		{"replica ru", "ru", results.Freshness{AsOf: asOf, ReadFrom: "replica", LagSeconds: &lag}, "отставание 2,5 с", "недоступна"},
		{"replica en", "en", results.Freshness{AsOf: asOf, ReadFrom: "replica", LagSeconds: &lag}, "(2.5 s behind)", "unavailable"},
		{"fallback", "en", results.Freshness{AsOf: asOf, ReadFrom: "primary", Note: "replica down"}, "replica is unavailable", "behind"},
		{"primary", "en", results.Freshness{AsOf: asOf, ReadFrom: "primary"}, "Generated", "replica"},
	}
	for _, c := range cases {
		r := &results.Report{StudyID: st.ID, Kind: st.Kind, Freshness: c.f}
		got := strings.Join(methods(c.lang, st, r), "\n")
		if !strings.Contains(got, c.want) || strings.Contains(got, c.not) {
			t.Errorf("%s: methods\n%s\nwant %q and not %q", c.name, got, c.want, c.not)
		}
	}
}
