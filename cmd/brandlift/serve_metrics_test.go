package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestServeMetricsAddr starts serve with --metrics-addr: /metrics is on
// that address alone, the main address answers 404 for it, and both stop
// when serve does.
func TestServeMetricsAddr(t *testing.T) {
	fs := newFlags("serve", io.Discard)
	options := serverFlags(fs)
	if err := parseFlags(fs, []string{"--addr", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}); err != nil {
		t.Fatal(err)
	}
	o, log, err := options(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	st := surveytest.New(t, store.SQLite)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out, stdout := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- serve(ctx, st, o, log, stdout); stdout.Close() }()
	lines := bufio.NewReader(out)
	url := func(prefix string) string {
		line, err := lines.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, prefix) {
			t.Fatalf("want a line %q..., got %q (%v)", prefix, line, err)
		}
		return strings.TrimSpace(strings.TrimPrefix(line, prefix))
	}
	mainURL := url("Brandlift is listening on ")
	metrics := url("Metrics are served on ")
	go io.Copy(io.Discard, out)

	get := func(u string) (int, string) {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if code, body := get(metrics); code != http.StatusOK || !strings.Contains(body, "brandlift_batches_total") ||
		!strings.Contains(body, "go_sql_open_connections") {
		t.Errorf("GET %s: %d %.200s", metrics, code, body)
	}
	if code, _ := get(mainURL + "/metrics"); code != http.StatusNotFound {
		t.Errorf("GET %s/metrics: %d, want 404", mainURL, code)
	}
	if code, _ := get(mainURL + "/healthz"); code != http.StatusOK {
		t.Errorf("GET %s/healthz: %d", mainURL, code)
	}
	// The main listener's requests are what the metrics count.
	if _, body := get(metrics); !strings.Contains(body, `brandlift_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Errorf("the health check is not counted: %.2000s", body)
	}
	if code, _ := get(strings.TrimSuffix(metrics, "/metrics") + "/healthz"); code != http.StatusNotFound {
		t.Errorf("the metrics listener serves more than /metrics: %d", code)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := http.Get(metrics); err == nil {
		t.Error("the metrics listener outlived serve")
	}
}

// TestMetricsAddrChecked refuses a malformed --metrics-addr as a usage
// error.
func TestMetricsAddrChecked(t *testing.T) {
	if code, _, _ := runCmd("serve", "--metrics-addr", "9090", "--db", "sqlite:"+t.TempDir()+"/x.db"); code != 2 {
		t.Errorf("--metrics-addr 9090: exit %d, want 2", code)
	}
}
