package api

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
)

// unmatchedRoute labels requests that matched no route: their raw paths
// are whatever a scanner sends, and would make a series each.
const unmatchedRoute = "unmatched"

// httpMetrics counts and times requests by route template (c.Path(), such
// as /s/:public_key), method and status. Never the raw URL: it carries
// public keys and ids, and a label per distinct value would grow without
// bound.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec

	// children caches the resolved series of each (route, method,
	// status): WithLabelValues hashes its labels on every call, a map
	// lookup with a key of strings allocates nothing.
	mu       sync.RWMutex
	children map[requestKey]requestChildren
}

type requestKey struct {
	route, method string
	status        int
}

type requestChildren struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	m := &httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "brandlift_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status."}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "brandlift_http_request_duration_seconds",
			Help:    "Time from routing a request to its answer being written, by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}}, []string{"route", "method"}),
		children: map[requestKey]requestChildren{},
	}
	reg.MustRegister(m.requests, m.duration)
	return m
}

// metricsMiddleware records every request once its answer, errors
// included, is written: it sits outside logMiddleware, which turns a
// handler's error into the response. Without metrics it is not there.
func (s *Server) metricsMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	if s.metrics == nil {
		return next
	}
	m := s.metrics.http
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		// The router leaves the path empty when nothing matched; a path
		// matched without the method (405) keeps its template.
		route := c.Path()
		if route == "" {
			route = unmatchedRoute
		}
		ch := m.child(requestKey{route: route, method: methodLabel(c.Request().Method), status: c.Response().Status})
		ch.requests.Inc()
		ch.duration.Observe(time.Since(start).Seconds())
		return err
	}
}

// child returns the series of k, resolving them on first use.
func (m *httpMetrics) child(k requestKey) requestChildren {
	m.mu.RLock()
	ch, ok := m.children[k]
	m.mu.RUnlock()
	if ok {
		return ch
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if ch, ok = m.children[k]; !ok {
		ch = requestChildren{requests: m.requests.WithLabelValues(k.route, k.method, strconv.Itoa(k.status)),
			duration: m.duration.WithLabelValues(k.route, k.method)}
		m.children[k] = ch
	}
	return ch
}

// methodLabel keeps the method label to the methods HTTP defines: a
// client may send any token as a method, and each would be a series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}
