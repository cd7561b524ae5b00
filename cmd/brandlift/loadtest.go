package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/brandlift/brandlift/api"
	"github.com/brandlift/brandlift/survey"
)

// cmdLoadtest drives a running server the way an ad campaign's respondents
// do: it creates and launches a study, mints its links, and submits one
// response per respondent from many clients at once. Clients retry what
// the server says is temporary (503, 429, a refused or dropped connection)
// and give up on nothing else, so that the summary shows what a real
// client would have seen. Poisoned respondents (a NUL in a text answer)
// can be mixed in to check that one bad submission harms nobody else.
func cmdLoadtest(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("loadtest", stderr)
	o := loadOptions{}
	fs.StringVar(&o.url, "url", "http://"+defaultAddr, "the server's base URL")
	fs.StringVar(&o.key, "key", os.Getenv("BRANDLIFT_KEY"), "a marketer or admin API key (env BRANDLIFT_KEY)")
	fs.StringVar(&o.mode, "mode", modeSubmit, "submit (answers), pixel (impressions) or page (the survey page)")
	fs.IntVar(&o.responses, "responses", 2000, "submit mode: valid respondents, one submission each")
	fs.IntVar(&o.requests, "requests", 20000, "pixel and page modes: requests to send")
	fs.IntVar(&o.respondents, "respondents", 1000, "pixel and page modes: distinct respondents (the pixel draws one at random per request)")
	fs.Int64Var(&o.seed, "seed", 1, "pixel mode: the seed of the respondent draw")
	fs.IntVar(&o.clients, "clients", 16, "concurrent clients")
	fs.IntVar(&o.poison, "poison", 0, "poisoned respondents (a NUL in the text answer) mixed in")
	fs.IntVar(&o.replay, "replay", 100, "how often each poisoned submission is sent")
	fs.DurationVar(&o.patience, "patience", 2*time.Minute, "how long one submission keeps retrying through an outage")
	fs.StringVar(&o.acked, "acked", "", "write one line per acknowledged response (rid, id, status), or in pixel mode per respondent (rid, impressions answered), to this file")
	fs.Float64Var(&o.rate, "rate", 0, "submissions started per second, all clients together; 0 = as fast as answered")
	fs.BoolVar(&o.strict, "strict", false, "exit 1 unless every valid respondent was acknowledged, none got a 500, and every poisoned submission got a 422 (pixel and page modes: unless every request got a 200)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case o.key == "":
		return usageErr("--key (or BRANDLIFT_KEY) is required")
	case o.responses < 1 || o.clients < 1 || o.poison < 0 || o.replay < 1 || o.requests < 1 || o.respondents < 1:
		return usageErr("--responses, --requests, --respondents, --clients and --replay must be positive, --poison not negative")
	case o.mode != modeSubmit && o.mode != modePixel && o.mode != modePage:
		return usageErr("--mode must be submit, pixel or page, not %q", o.mode)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	var sum interface{ check() error }
	var err error
	if o.mode == modeSubmit {
		sum, err = runLoad(ctx, o)
	} else {
		sum, err = runHits(ctx, o)
	}
	if err != nil {
		return err
	}
	if err := printJSON(stdout, sum); err != nil {
		return err
	}
	if o.strict {
		return sum.check()
	}
	return nil
}

// The modes of loadtest.
const (
	modeSubmit = "submit"
	modePixel  = "pixel"
	modePage   = "page"
)

// printJSON writes v indented, as the summaries are printed.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// check says what a strict run found wrong.
func (sum *loadSummary) check() error {
	var problems []string
	if sum.Lost > 0 {
		problems = append(problems, fmt.Sprintf("%d valid respondents were never acknowledged", sum.Lost))
	}
	if n := sum.Statuses["500"]; n > 0 {
		problems = append(problems, fmt.Sprintf("%d answers were 500", n))
	}
	if sum.Rejected != sum.Poisoned {
		problems = append(problems, fmt.Sprintf("%d of %d poisoned submissions were refused with 422", sum.Rejected, sum.Poisoned))
	}
	if len(problems) > 0 {
		return fmt.Errorf("loadtest: %s", strings.Join(problems, "; "))
	}
	return nil
}

type loadOptions struct {
	mode               string // modeSubmit, modePixel or modePage
	requests           int    // pixel and page modes: GETs to send
	respondents        int    // pixel and page modes: distinct respondents
	seed               int64
	url, key, acked    string
	responses, clients int
	poison, replay     int
	patience           time.Duration
	rate               float64
	strict             bool
	httpClient         *http.Client
}

// loadSummary is what a load run saw, printed as JSON.
type loadSummary struct {
	StudyID  string `json:"study_id"`
	Valid    int    `json:"valid_respondents"`
	Poisoned int    `json:"poisoned_submissions"`
	// Created and Duplicate count valid respondents by their final answer.
	Created   int `json:"created"`
	Duplicate int `json:"duplicate"`
	// Rejected counts poisoned submissions answered 422, the right answer.
	Rejected int `json:"poison_rejected_422"`
	// Lost counts valid respondents never acknowledged.
	Lost int `json:"valid_not_acknowledged"`
	// Statuses counts every HTTP answer, retries included; "conn" counts
	// attempts that got no answer at all (refused or dropped connection).
	Statuses map[string]int `json:"statuses"`
	Retries  int            `json:"retries"`
	Seconds  float64        `json:"seconds"`
	PerSec   float64        `json:"acknowledged_per_second"`
	P50Ms    float64        `json:"p50_ms"`
	P95Ms    float64        `json:"p95_ms"`
	P99Ms    float64        `json:"p99_ms"`
}

// job is one submission to make.
type job struct {
	rid, token string
	poisoned   bool
}

// attemptResult is the final answer to one job.
type attemptResult struct {
	job      job
	status   int // 0 when the job gave up without an answer
	id       string
	statuses map[string]int
	retries  int
	latency  time.Duration // of the last attempt
}

func runLoad(ctx context.Context, o loadOptions) (*loadSummary, error) {
	o.connect()
	studyID, jobs, err := prepareLoad(ctx, &o)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	results := runJobs(ctx, o, jobs)
	elapsed := time.Since(start)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("loadtest: interrupted after %d of %d submissions", len(results), len(jobs))
	}
	return summarize(o, studyID, results, elapsed)
}

// connect sets up the client: one connection per client, kept alive.
func (o *loadOptions) connect() {
	o.httpClient = &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: o.clients, MaxConnsPerHost: o.clients},
	}
	o.url = strings.TrimRight(o.url, "/")
}

// loadStudyRef is the created study as a load run needs it.
type loadStudyRef struct {
	ID        string `json:"id"`
	PublicKey string `json:"public_key"`
}

// launchLoadStudy creates loadStudy and launches it.
func launchLoadStudy(ctx context.Context, o *loadOptions) (loadStudyRef, error) {
	var st loadStudyRef
	if err := o.call(ctx, http.MethodPost, "/api/v1/studies", loadStudy, http.StatusCreated, &st); err != nil {
		return st, fmt.Errorf("loadtest: create study: %w", err)
	}
	if err := o.call(ctx, http.MethodPost, "/api/v1/studies/"+st.ID+"/launch", nil, http.StatusOK, nil); err != nil {
		return st, fmt.Errorf("loadtest: launch study: %w", err)
	}
	return st, nil
}

// prepareLoad creates and launches the study and mints every link.
func prepareLoad(ctx context.Context, o *loadOptions) (string, []job, error) {
	st, err := launchLoadStudy(ctx, o)
	if err != nil {
		return "", nil, err
	}
	jobs, err := mintLinks(ctx, o, st.ID, o.responses+o.poison, "lt-")
	if err != nil {
		return "", nil, err
	}
	// Poisoned respondents are the last o.poison links; spread their
	// replays evenly among the valid submissions.
	valid, poisoned := jobs[:o.responses], jobs[o.responses:]
	if len(poisoned) == 0 {
		return st.ID, valid, nil
	}
	mixed := make([]job, 0, len(valid)+len(poisoned)*o.replay)
	every := max(1, len(valid)/(len(poisoned)*o.replay))
	next := 0
	for i, j := range valid {
		mixed = append(mixed, j)
		if i%every == 0 && next < len(poisoned)*o.replay {
			p := poisoned[next%len(poisoned)]
			p.poisoned = true
			mixed = append(mixed, p)
			next++
		}
	}
	for ; next < len(poisoned)*o.replay; next++ {
		p := poisoned[next%len(poisoned)]
		p.poisoned = true
		mixed = append(mixed, p)
	}
	return st.ID, mixed, nil
}

// mintLinks mints n signed links for respondents prefix0, prefix1, ...,
// exposed and control in turn.
func mintLinks(ctx context.Context, o *loadOptions, studyID string, n int, prefix string) ([]job, error) {
	var jobs []job
	for from := 0; from < n; from += api.MaxLinksPerCall {
		var req api.LinksRequest
		for i := from; i < min(n, from+api.MaxLinksPerCall); i++ {
			g := "exposed"
			if i%2 == 1 {
				g = "control"
			}
			req.Respondents = append(req.Respondents, api.LinkRespondent{RID: prefix + strconv.Itoa(i), Group: survey.Group(g)})
		}
		var out struct {
			Links []api.Link `json:"links"`
		}
		if err := o.call(ctx, http.MethodPost, "/api/v1/studies/"+studyID+"/links", req, http.StatusOK, &out); err != nil {
			return nil, fmt.Errorf("loadtest: mint links: %w", err)
		}
		for _, l := range out.Links {
			jobs = append(jobs, job{rid: l.RID, token: l.Token})
		}
	}
	return jobs, nil
}

// loadStudy is the study a load run answers: three questions of the kinds
// that touch every running count.
var loadStudy = map[string]any{
	"name": "loadtest", "kind": "brand_lift", "brand": "Acme", "locales": []string{"ru"},
	"assignment": "signed_link", "control_share": 0.5,
	"questions": []map[string]any{
		{"key": "recall", "type": "single_choice", "metric": "ad_recall", "text": map[string]string{"ru": "Видели рекламу?"},
			"options": []map[string]any{
				{"key": "yes", "text": map[string]string{"ru": "Да"}, "positive": true},
				{"key": "no", "text": map[string]string{"ru": "Нет"}}}},
		{"key": "nps", "type": "nps", "text": map[string]string{"ru": "Порекомендуете?"}},
		{"key": "why", "type": "text", "required": false, "text": map[string]string{"ru": "Почему?"}},
	},
}

func runJobs(ctx context.Context, o loadOptions, jobs []job) []attemptResult {
	in := make(chan job)
	out := make(chan attemptResult, o.clients)
	for range o.clients {
		go func() {
			for j := range in {
				out <- o.submit(ctx, j)
			}
		}()
	}
	go func() {
		defer close(in)
		var tick <-chan time.Time
		if o.rate > 0 {
			t := time.NewTicker(time.Duration(float64(time.Second) / o.rate))
			defer t.Stop()
			tick = t.C
		}
		for _, j := range jobs {
			if tick != nil {
				select {
				case <-tick:
				case <-ctx.Done():
					return
				}
			}
			select {
			case in <- j:
			case <-ctx.Done():
				return
			}
		}
	}()
	results := make([]attemptResult, 0, len(jobs))
	for range jobs {
		select {
		case r := <-out:
			results = append(results, r)
		case <-ctx.Done():
			return results
		}
	}
	return results
}

// submit sends one response, retrying what is temporary until patience
// runs out.
func (o loadOptions) submit(ctx context.Context, j job) attemptResult {
	answers := map[string]any{"recall": "yes", "nps": 9, "why": "нравится"}
	if j.rid[len(j.rid)-1]%2 == 0 {
		answers["recall"], answers["nps"] = "no", 6
	}
	if j.poisoned {
		answers["why"] = "bad\x00answer"
	}
	body, _ := json.Marshal(map[string]any{"token": j.token, "answers": answers})
	res := attemptResult{job: j, statuses: map[string]int{}}
	deadline := time.Now().Add(o.patience)
	wait := 50 * time.Millisecond
	for {
		start := time.Now()
		status, id, retryAfter, err := o.post(ctx, body)
		res.latency = time.Since(start)
		key := strconv.Itoa(status)
		if err != nil {
			key = "conn"
		}
		res.statuses[key]++
		temporary := err != nil || status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests ||
			status == http.StatusBadGateway
		if !temporary {
			res.status, res.id = status, id
			return res
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return res
		}
		res.retries++
		if retryAfter > 0 {
			wait = min(retryAfter, 2*time.Second)
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return res
		}
		wait = min(wait*2, time.Second)
	}
}

func (o loadOptions) post(ctx context.Context, body []byte) (status int, id string, retryAfter time.Duration, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, o.url+"/api/v1/public/responses", bytes.NewReader(body))
	if err != nil {
		return 0, "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := o.httpClient.Do(req)
	if err != nil {
		return 0, "", 0, err
	}
	defer resp.Body.Close()
	var reply api.SubmitReply
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", 0, err // the connection dropped mid-answer: unknown outcome
	}
	if resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, &reply); err != nil {
			return 0, "", 0, fmt.Errorf("unreadable reply %q: %w", raw, err)
		}
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		retryAfter = time.Duration(s) * time.Second
	}
	return resp.StatusCode, reply.ID, retryAfter, nil
}

// call makes one management request and decodes its JSON answer.
func (o loadOptions) call(ctx context.Context, method, path string, in any, want int, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, o.url+path, body)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+o.key)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := o.httpClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: status %d: %s", method, path, resp.StatusCode, oneLine(string(raw)))
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(raw, out)
}

func summarize(o loadOptions, studyID string, results []attemptResult, elapsed time.Duration) (*loadSummary, error) {
	sum := &loadSummary{StudyID: studyID, Valid: o.responses, Statuses: map[string]int{}, Seconds: elapsed.Seconds()}
	var acked strings.Builder
	var latencies []time.Duration
	ackedValid := map[string]bool{}
	for _, r := range results {
		for k, n := range r.statuses {
			sum.Statuses[k] += n
		}
		sum.Retries += r.retries
		if r.job.poisoned {
			sum.Poisoned++
			if r.status == http.StatusUnprocessableEntity {
				sum.Rejected++
			}
			continue
		}
		switch r.status {
		case http.StatusCreated:
			sum.Created++
		case http.StatusOK:
			sum.Duplicate++
		default:
			continue
		}
		ackedValid[r.job.rid] = true
		latencies = append(latencies, r.latency)
		fmt.Fprintf(&acked, "%s\t%s\t%d\n", r.job.rid, r.id, r.status)
	}
	sum.Lost = o.responses - len(ackedValid)
	sum.PerSec = float64(len(ackedValid)) / elapsed.Seconds()
	slices.Sort(latencies)
	sum.P50Ms, sum.P95Ms, sum.P99Ms = percentileMs(latencies, 0.5), percentileMs(latencies, 0.95), percentileMs(latencies, 0.99)
	if o.acked != "" {
		if err := os.WriteFile(o.acked, []byte(acked.String()), 0o644); err != nil {
			return nil, fmt.Errorf("loadtest: %w", err)
		}
	}
	return sum, nil
}

// percentileMs is the q-quantile of sorted latencies in milliseconds
// (nearest rank), 0 when there are none.
func percentileMs(ds []time.Duration, q float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	i := min(len(ds)-1, int(math.Ceil(q*float64(len(ds))))-1)
	return float64(ds[max(i, 0)].Microseconds()) / 1000
}
