package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The pixel and page modes of loadtest: many GET requests that store at
// most a count, answered without retries, so that the summary shows the
// rate and latency the server gives an ad server or a phone.

// hitSummary is what a pixel or page run saw, printed as JSON.
type hitSummary struct {
	Mode        string         `json:"mode"`
	StudyID     string         `json:"study_id"`
	Requests    int            `json:"requests"`
	Respondents int            `json:"respondents"`
	Statuses    map[string]int `json:"statuses"`
	Seconds     float64        `json:"seconds"`
	PerSec      float64        `json:"answered_per_second"`
	P50Ms       float64        `json:"p50_ms"`
	P95Ms       float64        `json:"p95_ms"`
	P99Ms       float64        `json:"p99_ms"`
}

// check says what a strict run found wrong: every request must get a 200.
func (sum *hitSummary) check() error {
	if ok := sum.Statuses["200"]; ok != sum.Requests {
		return fmt.Errorf("loadtest: %d of %d requests were not answered 200: %v", sum.Requests-ok, sum.Requests, sum.Statuses)
	}
	return nil
}

// runHits prepares the study, then sends o.requests GETs from o.clients
// clients: to the pixel with a respondent id drawn at random from
// o.respondents (so that many clients count the same respondent at once),
// or to the survey page with a token per respondent.
func runHits(ctx context.Context, o loadOptions) (*hitSummary, error) {
	o.connect()
	studyID, publicKey, tokens, err := prepareHits(ctx, &o)
	if err != nil {
		return nil, err
	}
	urls := make([]string, o.requests)
	perRID := map[string]int{}
	rng := rand.New(rand.NewPCG(uint64(o.seed), 0))
	for i := range urls {
		k := i % o.respondents
		if o.mode == modePixel {
			k = rng.IntN(o.respondents)
			rid := "px-" + strconv.Itoa(k)
			perRID[rid]++
			urls[i] = o.url + "/px/" + publicKey + "?rid=" + rid + "&creative=cr-" + strconv.Itoa(k%3) + "&placement=lt"
			continue
		}
		urls[i] = o.url + "/s/" + publicKey + "?t=" + url.QueryEscape(tokens[k])
	}
	sum := &hitSummary{Mode: o.mode, StudyID: studyID, Requests: o.requests, Respondents: o.respondents, Statuses: map[string]int{}}
	latencies := make([]time.Duration, len(urls))
	statuses := make([]string, len(urls))
	start := time.Now()
	var wg sync.WaitGroup
	next := make(chan int)
	for range o.clients {
		wg.Go(func() {
			for i := range next {
				t := time.Now()
				statuses[i] = o.get(ctx, urls[i])
				latencies[i] = time.Since(t)
			}
		})
	}
	for i := range urls {
		select {
		case next <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(next)
	wg.Wait()
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("loadtest: interrupted")
	}
	for _, s := range statuses {
		sum.Statuses[s]++
	}
	sum.Seconds = elapsed.Seconds()
	sum.PerSec = float64(sum.Statuses["200"]) / elapsed.Seconds()
	slices.Sort(latencies)
	sum.P50Ms, sum.P95Ms, sum.P99Ms = percentileMs(latencies, 0.5), percentileMs(latencies, 0.95), percentileMs(latencies, 0.99)
	if o.mode == modePixel && o.acked != "" {
		if err := writeImpressionCounts(o.acked, perRID, statuses, urls); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

// prepareHits creates and launches the study; the page mode mints a link
// per respondent, before the clock starts.
func prepareHits(ctx context.Context, o *loadOptions) (id, publicKey string, tokens []string, err error) {
	st, err := launchLoadStudy(ctx, o)
	if err != nil {
		return "", "", nil, err
	}
	if o.mode == modePage {
		links, err := mintLinks(ctx, o, st.ID, o.respondents, "pg-")
		if err != nil {
			return "", "", nil, err
		}
		for _, l := range links {
			tokens = append(tokens, l.token)
		}
	}
	return st.ID, st.PublicKey, tokens, nil
}

// get fetches u and reads the whole answer; the status is "conn" when no
// answer came.
func (o loadOptions) get(ctx context.Context, u string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "conn"
	}
	resp, err := o.httpClient.Do(req)
	if err != nil {
		return "conn"
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return "conn"
	}
	return strconv.Itoa(resp.StatusCode)
}

// writeImpressionCounts writes, per respondent, how many of its pixel
// requests were answered 200 (rid and count, tab-separated): what
// `verify --impressions` compares with the exposures table.
func writeImpressionCounts(path string, perRID map[string]int, statuses, urls []string) error {
	answered := map[string]int{}
	for i, u := range urls {
		if statuses[i] != "200" {
			continue
		}
		q, _ := url.ParseQuery(u[strings.IndexByte(u, '?')+1:])
		answered[q.Get("rid")]++
	}
	var b strings.Builder
	for rid := range perRID {
		fmt.Fprintf(&b, "%s\t%d\n", rid, answered[rid])
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return fmt.Errorf("loadtest: %w", err)
	}
	return nil
}
