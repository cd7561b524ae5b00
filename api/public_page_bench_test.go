package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// BenchmarkSurveyPage renders the respondent page of the example study
// (api/testdata/example_study.json) for a new respondent each time, as a
// phone following an ad's signed link: the study from the cache, the
// token, the lookups a first visit needs, and the page itself.
func BenchmarkSurveyPage(b *testing.B) {
	raw, err := os.ReadFile("testdata/example_study.json")
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range surveytest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			s := surveytest.New(b, d)
			srv := New(Config{Store: s, Logger: testLogger(&syncBuffer{}), BaseURL: "http://brandlift.test", Version: "bench"})
			st := launchedFromJSON(b, s, string(raw))
			const respondents = 4096
			paths := make([]string, respondents)
			for i := range paths {
				tok := st.SignToken(&survey.Token{RID: fmt.Sprint("r-", i), Group: survey.GroupExposed})
				paths[i] = "/s/" + st.PublicKey + "?t=" + url.QueryEscape(tok)
			}
			h := srv.Handler()
			i := 0
			// What phones send (Chrome, Safari), what Go's client sends
			// (the loadtest), and none.
			for _, enc := range []string{"gzip, deflate, br", "gzip", ""} {
				b.Run("accept="+enc, func(b *testing.B) {
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, paths[i%respondents], nil)
						if enc != "" {
							req.Header.Set("Accept-Encoding", enc)
						}
						rec := httptest.NewRecorder()
						h.ServeHTTP(rec, req)
						if rec.Code != http.StatusOK {
							b.Fatalf("%d %s", rec.Code, rec.Body.String())
						}
						i++
					}
				})
			}
		})
	}
}
