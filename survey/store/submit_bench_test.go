package store_test

import (
	"context"
	"encoding/json"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// BenchmarkSubmit is the hot path of ingestion without HTTP: Submit of a
// valid response from 16 and from 256 goroutines at once, so that the
// group commit batches as it does under load (validation, the batch's
// reads, inserts and running counts). One op is one committed response;
// responses/s is reported.
//
//	TEST_DATABASE_URL=postgres://... go test ./survey/store -run '^$' -bench Submit -benchtime 20000x
func BenchmarkSubmit(b *testing.B) {
	for _, d := range surveytest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			for _, clients := range []int{16, 256} {
				b.Run("clients="+strconv.Itoa(clients), func(b *testing.B) {
					s := surveytest.New(b, d)
					st := launchStudy(b, s, studyJSON, nil)
					var raw map[string]any
					answers, _ := json.Marshal(goodAnswers())
					json.Unmarshal(answers, &raw)
					var next atomic.Int64
					b.SetParallelism(max(1, clients/runtime.GOMAXPROCS(0)))
					// A table of some size with its statistics, as in production:
					// on a new empty table the planner's generic plans, which the
					// connections cache, scan it whole.
					for i := range 2000 {
						tok := st.SignToken(&survey.Token{RID: "w-" + strconv.Itoa(i), Group: survey.GroupControl})
						if _, err := s.Submit(context.Background(), survey.SubmitRequest{Token: tok, Answers: raw}); err != nil {
							b.Fatal(err)
						}
					}
					if err := s.DB().Exec("ANALYZE").Error; err != nil {
						b.Fatal(err)
					}
					b.ResetTimer()
					b.RunParallel(func(pb *testing.PB) {
						for pb.Next() {
							i := next.Add(1)
							tok := st.SignToken(&survey.Token{RID: "b-" + strconv.FormatInt(i, 10), Group: survey.GroupExposed})
							if _, err := s.Submit(context.Background(), survey.SubmitRequest{Token: tok, Answers: raw}); err != nil {
								b.Error(err)
								return
							}
						}
					})
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
				})
			}
		})
	}
}
