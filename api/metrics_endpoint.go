package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

// metricsEndpoint is GET /metrics on the main listener. It answers only
// when metrics are on and have no listener of their own (MetricsAddr), and
// only to a caller with the metrics token: the route is public as API
// roles go (no API key is involved), and otherwise it is a 404, as if it
// did not exist, so that /metrics is never public by accident.
func (s *Server) metricsEndpoint(c echo.Context) error {
	if s.metrics == nil || s.cfg.MetricsAddr != "" {
		return echo.ErrNotFound
	}
	return s.serveMetrics(c)
}

// serveMetrics writes the exposition to a caller with the token, when
// one is configured.
func (s *Server) serveMetrics(c echo.Context) error {
	if s.cfg.MetricsToken != "" && !tokenMatches(c.Request().Header.Get(echo.HeaderAuthorization), s.cfg.MetricsToken) {
		return unauthorized("send the metrics token (--metrics-token) as Authorization: Bearer TOKEN")
	}
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}

// tokenMatches reports whether an Authorization header carries the
// bearer token want. Both sides are hashed first so that the comparison
// takes the same time whatever the length of the guess.
func tokenMatches(header, want string) bool {
	scheme, got, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return false
	}
	g, w := sha256.Sum256([]byte(strings.TrimSpace(got))), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:]) == 1
}

// MetricsHTTPServer is the listener of /metrics alone, on
// Config.MetricsAddr, meant for a private network; nil when MetricsAddr
// is empty. It needs no token, unless MetricsToken is set as well. Every
// other path is a 404 problem, as on the main listener.
func (s *Server) MetricsHTTPServer() *http.Server {
	if s.metrics == nil || s.cfg.MetricsAddr == "" {
		return nil
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(s.log)
	e.Use(s.requestIDMiddleware, s.headersMiddleware)
	e.GET("/metrics", s.serveMetrics)
	return &http.Server{
		Addr:              s.cfg.MetricsAddr,
		Handler:           e,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}
