package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"github.com/brandlift/brandlift/api"
)

// metricsFlags adds the two ways to turn /metrics on. Off by default:
// the metrics tell a stranger how busy the server is and where.
func metricsFlags(fs *flag.FlagSet) (addr, token *string) {
	addr = fs.String("metrics-addr", envOr(envMetricsAddr, ""),
		"serve Prometheus metrics at /metrics on this address of their own, e.g. 10.0.0.5:9090 on a private network; "+
			"the main address then has no /metrics (env "+envMetricsAddr+")")
	token = fs.String("metrics-token", envOr(envMetricsToken, ""),
		"serve /metrics on the main address to callers sending Authorization: Bearer TOKEN (also required on --metrics-addr "+
			"when both are set); with neither flag /metrics is off, a 404 (env "+envMetricsToken+")")
	return addr, token
}

// checkMetricsAddr refuses an address that cannot be listened on, at
// start rather than after the migrations.
func checkMetricsAddr(addr string) error {
	if addr == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(addr); err != nil {
		return usageErr("--metrics-addr (%s) must be HOST:PORT, got %q", envMetricsAddr, addr)
	}
	return nil
}

// serveMetrics starts the metrics listener when the server has one
// (--metrics-addr). It returns the metrics' URL ("" without a listener),
// a stop function, which lets scrapes in flight finish, and a channel
// that reports the listener failing.
func serveMetrics(srv *api.Server, log *slog.Logger) (url string, stop func(), failed <-chan error, err error) {
	ms := srv.MetricsHTTPServer()
	if ms == nil {
		return "", func() {}, nil, nil // a nil channel never reports
	}
	ln, err := net.Listen("tcp", ms.Addr)
	if err != nil {
		return "", nil, nil, fmt.Errorf("cannot listen on %s (--metrics-addr): %w", ms.Addr, err)
	}
	errc := make(chan error, 1)
	go func() {
		if err := ms.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			errc <- fmt.Errorf("metrics listener: %w", err)
		}
	}()
	url = "http://" + ln.Addr().String() + "/metrics"
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err := ms.Shutdown(ctx); err != nil {
			log.Warn("metrics listener shutdown", "err", err)
		}
	}
	return url, stop, errc, nil
}
