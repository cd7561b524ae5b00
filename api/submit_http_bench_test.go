package api

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// BenchmarkSubmitHTTP is BenchmarkSubmit (survey/store) through the whole
// server over loopback TCP: 16 and 256 clients posting the JSON API's
// submissions, as `brandlift loadtest` does, in one process so that a CPU
// profile shows the server's share and the client's side by side
// (-cpuprofile). One op is one committed response (201).
//
//	TEST_DATABASE_URL=postgres://... go test ./api -run '^$' -bench SubmitHTTP -benchtime 20000x -cpuprofile cpu.out
func BenchmarkSubmitHTTP(b *testing.B) {
	for _, d := range surveytest.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			for _, clients := range []int{16, 256} {
				b.Run("clients="+strconv.Itoa(clients), func(b *testing.B) {
					s := surveytest.New(b, d)
					srv := New(Config{Store: s, Logger: testLogger(&syncBuffer{}), BaseURL: "http://brandlift.test", Version: "bench"})
					web := httptest.NewServer(srv.Handler())
					defer web.Close()
					st := launchedFromJSON(b, s, planStudyJSON)
					client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
					answers := map[string]any{"recall": "yes", "brands": []string{"ab", "cd"}, "nps": 9, "csat": 6, "why": "нравится"}
					var next atomic.Int64
					var failed atomic.Int64
					b.ResetTimer()
					var wg sync.WaitGroup
					for range clients {
						wg.Go(func() {
							for {
								i := next.Add(1)
								if i > int64(b.N) {
									return
								}
								tok := st.SignToken(&survey.Token{RID: "h-" + strconv.FormatInt(i, 10), Group: survey.GroupExposed})
								body, _ := json.Marshal(map[string]any{"token": tok, "answers": answers, "consent": true})
								res, err := client.Post(web.URL+"/api/v1/public/responses", "application/json", bytes.NewReader(body))
								if err != nil {
									failed.Add(1)
									continue
								}
								raw, _ := io.ReadAll(res.Body)
								res.Body.Close()
								if res.StatusCode != http.StatusCreated {
									if failed.Add(1) == 1 {
										b.Errorf("status %d: %s", res.StatusCode, raw)
									}
								}
							}
						})
					}
					wg.Wait()
					b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "responses/s")
				})
			}
		})
	}
}
