package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// BenchmarkDashResultsPage renders the results page of a study of the
// demo's size (5,500 responses per group, 11,000 in all; set
// BRANDLIFT_BENCH_PER_GROUP for another size) on each database: the
// report and the trend from running counts, the attribute names, the
// charts and the template. The study is seeded once per database.
func BenchmarkDashResultsPage(b *testing.B) {
	perGroup := 5500
	if v := os.Getenv("BRANDLIFT_BENCH_PER_GROUP"); v != "" {
		perGroup, _ = strconv.Atoi(v)
	}
	for _, d := range surveytest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			s := surveytest.New(b, d)
			srv := New(Config{Store: s, Logger: testLogger(&syncBuffer{}), BaseURL: "http://brandlift.test", Version: "bench"})
			// The demo's target, above the seeded size: a full group refuses responses.
			spec := strings.Replace(dashResultsSpec, `"target_per_group": 600`, `"target_per_group": 6000`, 1)
			st := seedResultsStudy(b, s, spec, perGroup)
			ctx := context.Background()
			u, err := s.CreateUser(ctx, "bench-analyst@example.com", survey.RoleAnalyst, testPassword)
			if err != nil {
				b.Fatal(err)
			}
			token, _, err := s.CreateSession(ctx, u)
			if err != nil {
				b.Fatal(err)
			}
			for name, query := range map[string]string{"default": "", "segment=age&weighting=rake": "?segment=age&weighting=rake"} {
				b.Run(name, func(b *testing.B) {
					path := "/dashboard/studies/" + st.ID + "/results" + query
					var once sync.Once
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, path, nil)
						req.AddCookie(&http.Cookie{Name: SessionCookie, Value: token})
						rec := httptest.NewRecorder()
						srv.Handler().ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
						}
						once.Do(func() { b.ReportMetric(float64(rec.Body.Len()), "page-bytes") })
					}
				})
			}
		})
	}
}
