// Package api is Brandlift's HTTP interface: one Echo app with the route
// table, middleware, one error handler, and a file per resource.
package api

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// Config is what the server needs from the command line.
type Config struct {
	Store   *store.Store
	Logger  *slog.Logger
	BaseURL string // absolute URL respondents reach us at, for links
	// PublicRate is the requests per minute per IP allowed on public
	// endpoints; 0 turns limiting off.
	PublicRate int
	Version    string
	// WebhookAllowPrivate lets webhooks reach loopback and private
	// networks (self-hosted receivers); off, they reach public addresses
	// only.
	WebhookAllowPrivate bool
	// WebhookBackoff is the wait after a delivery's first failed attempt,
	// doubling after each (default 5 s); WebhookPoll how often the outbox
	// is read (default 1 s).
	WebhookBackoff, WebhookPoll time.Duration
	// SMTPURL is the server invitations are sent through (see
	// parseSMTPURL); "" sends none. MailFrom is their From address.
	SMTPURL, MailFrom string
	// MailBackoff is the wait after an invitation's first temporary
	// failure, doubling after each (default 1 min); MailPoll how often the
	// queue is read (default 2 s).
	MailBackoff, MailPoll time.Duration
	// MetricsToken, when set, turns metrics on and serves GET /metrics on
	// the main listener to callers sending Authorization: Bearer
	// MetricsToken. MetricsAddr, when set, turns metrics on and keeps
	// /metrics off the main listener: the command serves it on that
	// address with MetricsHTTPServer. With neither, /metrics is a 404.
	MetricsToken, MetricsAddr string
}

// Server is the Brandlift HTTP application.
type Server struct {
	cfg   Config
	store *store.Store
	log   *slog.Logger
	echo  *echo.Echo
	// metrics is nil unless the configuration turns metrics on.
	metrics *metricSet
	// plans are the survey pages rendered once per study and language
	// (public_page_plan.go).
	plans planCache
}

// New builds the app and its routes.
func New(cfg Config) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The client's address comes from X-Forwarded-For only when the direct
	// peer is a trusted proxy (loopback or a private network), so that a
	// client cannot pick its own address to dodge rate limits.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()
	s := &Server{cfg: cfg, store: cfg.Store, log: cfg.Logger, echo: e}
	if cfg.metricsEnabled() {
		s.metrics = newMetrics(cfg.Store, cfg.Logger)
	}
	e.HTTPErrorHandler = errorHandler(cfg.Logger)
	e.Use(s.requestIDMiddleware, s.headersMiddleware, s.metricsMiddleware, s.logMiddleware, s.recoverMiddleware, s.textInputMiddleware)
	s.register()
	return s
}

// Handler returns the app as an http.Handler.
func (s *Server) Handler() http.Handler { return s.echo }

// HTTPServer wraps the app in an http.Server with timeouts that keep slow
// or idle clients from holding connections forever.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           s.echo,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       60 * time.Second,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// jsonEncoder writes compact JSON without escaping <, > and &, which the
// API returns inside strings verbatim (clients escape when they render).
func jsonEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// writeJSON sends v as application/json with the given status.
func writeJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMEApplicationJSON)
	c.Response().WriteHeader(status)
	return jsonEncoder(c.Response()).Encode(v)
}
