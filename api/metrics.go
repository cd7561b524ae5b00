package api

import (
	"log/slog"
	"net/http"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metricSet is the server's Prometheus registry and what feeds it: the
// request middleware (metrics_http.go), the store's batch writers
// (metrics_batches.go), the outboxes (metrics_queues.go), the database
// pool, the Go runtime and the process. The registry is the server's own,
// not the global default, so that two servers in one process (tests) do
// not collide and nothing a dependency registers leaks into /metrics.
type metricSet struct {
	registry *prometheus.Registry
	http     *httpMetrics
	batches  *batchMetrics
	handler  http.Handler // the text exposition of registry
}

// newMetrics builds the registry for a server on st and makes it st's
// observer.
func newMetrics(st *store.Store, log *slog.Logger) *metricSet {
	reg := prometheus.NewRegistry()
	m := &metricSet{registry: reg, http: newHTTPMetrics(reg), batches: newBatchMetrics(reg)}
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		newQueueCollector(st),
	)
	if db, err := st.DB().DB(); err == nil {
		// go_sql_* with db_name="primary": leaves room for a read replica's pool.
		reg.MustRegister(collectors.NewDBStatsCollector(db, "primary"))
	}
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// A queue count that fails (the database is away) must not hide
		// the other metrics, which say most about why.
		ErrorHandling: promhttp.ContinueOnError,
	})
	st.SetObserver(m.batches)
	return m
}

// metricsEnabled says whether the configuration asks for metrics at all.
func (c *Config) metricsEnabled() bool { return c.MetricsToken != "" || c.MetricsAddr != "" }
