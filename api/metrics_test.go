package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

const testMetricsToken = "metrics-token-for-tests"

// scrape reads /metrics with the token and parses the exposition.
func (a *testApp) scrape() map[string]*dto.MetricFamily {
	a.t.Helper()
	res := a.do("GET", "/metrics", "", nil, "Authorization", "Bearer "+testMetricsToken).status(http.StatusOK)
	if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		a.t.Fatalf("content type %q, want the text format 0.0.4", ct)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(res.Body.String()))
	if err != nil {
		a.t.Fatalf("parse: %v\n%s", err, res.Body.String())
	}
	return families
}

// series finds the metric of family name whose labels include want.
func series(families map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	f := families[name]
	if f == nil {
		return nil
	}
next:
	for _, m := range f.GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if have[k] != v {
				continue next
			}
		}
		return m
	}
	return nil
}

// TestMetricsScrape makes a few requests and reads them back from
// /metrics: requests by route template, the group commit's batches, the
// database pool and the queues.
func TestMetricsScrape(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		app = newTestApp(t, app.store, func(c *Config) { c.MetricsToken = testMetricsToken })
		st := app.launched(nil)
		links := app.links(st, map[string]any{"rid": "m-1", "group": "exposed"}, map[string]any{"rid": "m-2", "group": "control"})
		for _, l := range links {
			app.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(l.Token), "", nil).status(http.StatusOK)
		}
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[0].Token, "answers": exampleAnswers}).
			status(http.StatusCreated)
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[1].Token, "answers": exampleAnswers}).
			status(http.StatusCreated)
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[0].Token, "answers": exampleAnswers}).
			status(http.StatusOK) // the duplicate is decided in its own batch too
		const submissions = 3 // one at a time, so one batch each
		const pixels = 2      // likewise
		for range pixels {
			app.do("GET", "/px/"+st.PublicKey+"?rid=m-1", "", nil).status(http.StatusOK)
		}
		app.do("GET", "/no/such/"+st.PublicKey, "", nil).status(http.StatusNotFound)
		app.do("DELETE", "/s/"+st.PublicKey, "", nil).status(http.StatusMethodNotAllowed)
		app.do("FROB", "/healthz", "", nil).status(http.StatusMethodNotAllowed)

		// The committer tells the observer after it answers the batch, so
		// the last batch may land a moment after its reply.
		families := app.scrape()
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); families = app.scrape() {
			sub := series(families, "brandlift_batch_size", map[string]string{"writer": "submissions"})
			px := series(families, "brandlift_batch_size", map[string]string{"writer": "impressions"})
			if sub != nil && sub.GetHistogram().GetSampleCount() >= submissions && px != nil && px.GetHistogram().GetSampleCount() >= pixels {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}

		count := func(route, method, status string) float64 {
			m := series(families, "brandlift_http_requests_total", map[string]string{"route": route, "method": method, "status": status})
			if m == nil {
				return 0
			}
			return m.GetCounter().GetValue()
		}
		if n := count("/s/:public_key", "GET", "200"); n != 2 {
			t.Errorf("GET /s/:public_key 200: %v requests, want 2", n)
		}
		if n := count("/api/v1/public/responses", "POST", "201"); n != 2 {
			t.Errorf("POST /api/v1/public/responses 201: %v requests, want 2", n)
		}
		if n := count("/api/v1/public/responses", "POST", "200"); n != 1 {
			t.Errorf("POST /api/v1/public/responses 200: %v requests, want 1", n)
		}
		if n := count(unmatchedRoute, "GET", "404"); n != 1 {
			t.Errorf("unmatched GET 404: %v requests, want 1", n)
		}
		if n := count("/s/:public_key", "DELETE", "405"); n != 1 {
			t.Errorf("DELETE /s/:public_key 405: %v requests, want 1", n)
		}
		if n := count("/healthz", "other", "405"); n != 1 {
			t.Errorf("an unknown method: %v requests labelled other, want 1", n)
		}
		d := series(families, "brandlift_http_request_duration_seconds", map[string]string{"route": "/s/:public_key", "method": "GET"})
		if d == nil || d.GetHistogram().GetSampleCount() != 2 {
			t.Errorf("duration of GET /s/:public_key: %v, want 2 samples", d)
		}
		// No label holds a raw URL's parts.
		for name, f := range families {
			for _, m := range f.GetMetric() {
				for _, l := range m.GetLabel() {
					if v := l.GetValue(); strings.Contains(v, st.PublicKey) || strings.Contains(v, st.ID) || strings.Contains(v, "/no/such") {
						t.Errorf("%s has label %s=%q from a raw URL", name, l.GetName(), v)
					}
				}
			}
		}

		size := series(families, "brandlift_batch_size", map[string]string{"writer": "submissions"})
		batches := series(families, "brandlift_batches_total", map[string]string{"writer": "submissions"})
		switch {
		case size == nil || batches == nil:
			t.Fatalf("no group-commit metrics: size %v, batches %v", size, batches)
		case size.GetHistogram().GetSampleCount() != submissions || size.GetHistogram().GetSampleSum() != submissions:
			t.Errorf("batch size histogram: %d batches of %v submissions, want %d of %d",
				size.GetHistogram().GetSampleCount(), size.GetHistogram().GetSampleSum(), submissions, submissions)
		case batches.GetCounter().GetValue() != submissions:
			t.Errorf("batches_total %v, want %d", batches.GetCounter().GetValue(), submissions)
		}
		for _, name := range []string{"brandlift_batch_wait_seconds", "brandlift_batch_commit_seconds"} {
			if m := series(families, name, map[string]string{"writer": "submissions"}); m == nil || m.GetHistogram().GetSampleCount() != submissions {
				t.Errorf("%s: %v, want %d samples", name, m, submissions)
			}
		}
		if m := series(families, "brandlift_batch_failures_total", map[string]string{"writer": "submissions"}); m == nil || m.GetCounter().GetValue() != 0 {
			t.Errorf("batch failures: %v, want 0", m)
		}
		// The pixel's batches, one impression each.
		if m := series(families, "brandlift_batch_size", map[string]string{"writer": "impressions"}); m == nil ||
			m.GetHistogram().GetSampleCount() != pixels || m.GetHistogram().GetSampleSum() != pixels {
			t.Errorf("impression batches: %v, want %d of 1", m, pixels)
		}

		for _, name := range []string{"go_sql_open_connections", "go_sql_max_open_connections", "go_sql_in_use_connections", "go_sql_idle_connections"} {
			if series(families, name, map[string]string{"db_name": "primary"}) == nil {
				t.Errorf("no database pool gauge %s", name)
			}
		}
		for _, name := range []string{"brandlift_email_invitations_pending", "brandlift_webhook_deliveries_pending"} {
			f := families[name]
			if f == nil || f.GetType() != dto.MetricType_GAUGE || len(f.GetMetric()) != 1 || f.GetMetric()[0].GetGauge().GetValue() != 0 {
				t.Errorf("queue gauge %s: %v, want one gauge at 0", name, f)
			}
		}
		if families["go_goroutines"] == nil || families["process_cpu_seconds_total"] == nil {
			t.Error("no Go runtime or process metrics")
		}
	})
}

// TestMetricsQueues shows the queue gauges counting pending rows.
func TestMetricsQueues(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		// No worker runs in tests, so the deliveries stay pending.
		app = newTestApp(t, app.store, func(c *Config) { c.MetricsToken, c.WebhookAllowPrivate = testMetricsToken, true })
		st := app.launched(nil)
		app.do("POST", "/api/v1/webhooks", survey.RoleMarketer, map[string]any{"url": "http://127.0.0.1:19199/hooks", "study_id": st.ID, "events": []string{"response.completed"}}).
			status(http.StatusCreated)
		links := app.links(st, map[string]any{"rid": "q-1", "group": "exposed"})
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[0].Token, "answers": exampleAnswers}).
			status(http.StatusCreated)
		var want float64
		if err := app.store.DB().Raw("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'").Scan(&want).Error; err != nil {
			t.Fatal(err)
		}
		f := app.scrape()["brandlift_webhook_deliveries_pending"]
		if want == 0 || f == nil || f.GetMetric()[0].GetGauge().GetValue() != want {
			t.Errorf("pending deliveries gauge %v, want %v (> 0)", f, want)
		}
	})
}

// TestMetricsProtected checks who may read /metrics on the main listener.
func TestMetricsProtected(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		// No configuration: no metrics at all.
		p := app.do("GET", "/metrics", "", nil).status(http.StatusNotFound).problem()
		if p.Type != problemBase+"not-found" {
			t.Errorf("unconfigured: %+v", p)
		}
		app.do("GET", "/metrics", "", nil, "Authorization", "Bearer "+testMetricsToken).status(http.StatusNotFound)

		withToken := newTestApp(t, app.store, func(c *Config) { c.MetricsToken = testMetricsToken })
		for _, auth := range []string{"", "Bearer wrong", "Bearer " + testMetricsToken + "x", "Basic " + testMetricsToken,
			"Bearer " + withToken.keys[survey.RoleAdmin]} {
			res := withToken.do("GET", "/metrics", "", nil, "Authorization", auth).status(http.StatusUnauthorized)
			if res.problem(); res.Header().Get("WWW-Authenticate") == "" || strings.Contains(res.Body.String(), "brandlift_") {
				t.Errorf("Authorization %q: %s", auth, res.Body.String())
			}
		}
		withToken.do("GET", "/metrics", "", nil, "Authorization", "bearer "+testMetricsToken).status(http.StatusOK)

		// A listener of its own: the main one has no /metrics, token or not.
		separate := newTestApp(t, app.store, func(c *Config) { c.MetricsAddr = "127.0.0.1:0"; c.MetricsToken = testMetricsToken })
		separate.do("GET", "/metrics", "", nil, "Authorization", "Bearer "+testMetricsToken).status(http.StatusNotFound).problem()
		if app.srv.MetricsHTTPServer() != nil || withToken.srv.MetricsHTTPServer() != nil || separate.srv.MetricsHTTPServer() == nil {
			t.Fatal("MetricsHTTPServer exists exactly when MetricsAddr is set")
		}
		// Its own listener asks for the token too when one is set.
		own := separate.srv.MetricsHTTPServer().Handler
		for _, c := range []struct {
			path, auth string
			want       int
		}{{"/metrics", "", 401}, {"/metrics", "Bearer " + testMetricsToken, 200}, {"/healthz", "Bearer " + testMetricsToken, 404}} {
			req := httptest.NewRequest("GET", c.path, nil)
			req.Header.Set("Authorization", c.auth)
			rec := httptest.NewRecorder()
			own.ServeHTTP(rec, req)
			if rec.Code != c.want || (c.want != 200 && rec.Header().Get("Content-Type") != "application/problem+json") {
				t.Errorf("metrics listener GET %s (%q): %d %s, want %d", c.path, c.auth, rec.Code, rec.Header().Get("Content-Type"), c.want)
			}
		}
	})
}

// TestMetricsLookupAllocatesNothing keeps the per-request cost of the
// request metrics to a map lookup and two atomic updates.
func TestMetricsLookupAllocatesNothing(t *testing.T) {
	m := newHTTPMetrics(prometheus.NewRegistry())
	k := requestKey{route: "/s/:public_key", method: methodLabel("GET"), status: 200}
	m.child(k)
	if n := testing.AllocsPerRun(100, func() {
		ch := m.child(k)
		ch.requests.Inc()
		ch.duration.Observe(0.01)
	}); n != 0 {
		t.Errorf("%v allocations per request, want 0", n)
	}
}
