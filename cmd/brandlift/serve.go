package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/mail"
	"os/signal"
	"syscall"
	"time"

	"github.com/brandlift/brandlift/api"
	"github.com/brandlift/brandlift/survey/store"
)

// shutdownGrace is how long in-flight requests may take to finish after
// SIGINT or SIGTERM.
const shutdownGrace = 30 * time.Second

func cmdServe(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", stderr)
	db := dbFlag(fs, store.DefaultDSN)
	replica := fs.String("db-replica", envOr(envDBReplica, ""),
		"PostgreSQL streaming replica that results, trends and exports read from; empty reads them from --db (env "+envDBReplica+")")
	options := serverFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	o, log, err := options(stderr)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, *db, log)
	if err != nil {
		return err
	}
	defer st.Close()
	if *replica != "" {
		failed := func(err error) {
			log.Warn("read replica unavailable: reports read from the primary for a while", "replica", store.MaskDSN(*replica), "err", err)
		}
		if err := st.AttachReplica(ctx, *replica, failed); err != nil {
			return fmt.Errorf("--db-replica (%s): %w", envDBReplica, err)
		}
		log.Info("reports read from the replica", "replica", store.MaskDSN(*replica))
	}
	if err := bootstrapAdmin(ctx, st, log); err != nil {
		return err
	}
	firstAdminHint(ctx, st, log)
	return serve(ctx, st, o, log, stdout)
}

// serverFlags adds the flags that serve and demo share. The function it
// returns, called after parsing, checks them and builds the logger.
func serverFlags(fs *flag.FlagSet) func(stderr io.Writer) (serveOptions, *slog.Logger, error) {
	addr := fs.String("addr", envOr(envAddr, defaultAddr), "listen address (env "+envAddr+")")
	baseURL := fs.String("base-url", envOr(envBaseURL, ""), "public URL for respondent links; default http://ADDR (env "+envBaseURL+")")
	rate := rateFlag(fs)
	private := fs.Bool("webhook-allow-private", envOr(envWebhookPrivate, "") == "true",
		"let webhooks reach loopback and private networks, for receivers on your own network (env "+envWebhookPrivate+"=true)")
	smtpURL := fs.String("smtp-url", envOr(envSMTP, ""),
		"SMTP server for nps invitations: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://host:465; empty sends none (env "+envSMTP+")")
	mailFrom := fs.String("smtp-from", envOr(envMailFrom, ""), "From address of invitations; default Brandlift <brandlift@BASE-URL-HOST> (env "+envMailFrom+")")
	metricsAddr, metricsToken := metricsFlags(fs)
	newLog := logFlags(fs)
	return func(stderr io.Writer) (serveOptions, *slog.Logger, error) {
		if err := checkRate(*rate); err != nil {
			return serveOptions{}, nil, err
		}
		if *smtpURL != "" {
			if err := api.CheckSMTPURL(*smtpURL); err != nil {
				return serveOptions{}, nil, fmt.Errorf("-smtp-url (%s): %w", envSMTP, err)
			}
		}
		if *mailFrom != "" {
			if _, err := mail.ParseAddress(*mailFrom); err != nil {
				return serveOptions{}, nil, fmt.Errorf("-smtp-from (%s): %q is not an address: %w", envMailFrom, *mailFrom, err)
			}
		}
		if err := checkMetricsAddr(*metricsAddr); err != nil {
			return serveOptions{}, nil, err
		}
		log, err := newLog(stderr)
		return serveOptions{addr: *addr, baseURL: *baseURL, rate: *rate, webhookPrivate: *private, smtpURL: *smtpURL, mailFrom: *mailFrom,
			metricsAddr: *metricsAddr, metricsToken: *metricsToken}, log, err
	}
}

type serveOptions struct {
	addr, baseURL     string
	rate              int
	webhookPrivate    bool
	smtpURL, mailFrom string
	// metricsAddr and metricsToken: see metricsFlags.
	metricsAddr, metricsToken string
}

// serve listens until ctx ends, then lets in-flight requests finish.
func serve(ctx context.Context, st *store.Store, o serveOptions, log *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w", o.addr, err)
	}
	if o.baseURL == "" {
		o.baseURL = "http://" + ln.Addr().String()
	}
	srv := api.New(api.Config{Store: st, Logger: log, BaseURL: o.baseURL, PublicRate: o.rate, Version: version(),
		WebhookAllowPrivate: o.webhookPrivate, SMTPURL: o.smtpURL, MailFrom: o.mailFrom,
		MetricsAddr: o.metricsAddr, MetricsToken: o.metricsToken})
	httpSrv := srv.HTTPServer(o.addr)
	metricsURL, stopMetrics, metricsErr, err := serveMetrics(srv, log)
	if err != nil {
		ln.Close()
		return err
	}
	// The metrics listener stops after the main one, to be scraped
	// while requests finish.
	defer stopMetrics()
	// The webhook worker stops with the server; what it was sending is
	// sent again after the restart, with the same webhook-id.
	hooksCtx, stopHooks := context.WithCancel(context.WithoutCancel(ctx))
	hooksDone := make(chan struct{})
	go func() { defer close(hooksDone); srv.RunWebhooks(hooksCtx) }()
	defer func() { stopHooks(); <-hooksDone }()
	// So does the mailer; an email in flight is finished and recorded.
	mailCtx, stopMail := context.WithCancel(context.WithoutCancel(ctx))
	mailDone := make(chan struct{})
	go func() { defer close(mailDone); srv.RunMailer(mailCtx) }()
	defer func() { stopMail(); <-mailDone }()
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	log.Info("serving", "url", o.baseURL, "db", st.Dialect(), "version", version())
	fmt.Fprintf(stdout, "Brandlift is listening on %s\n", o.baseURL)
	if metricsURL != "" {
		log.Info("serving metrics", "url", metricsURL)
		fmt.Fprintf(stdout, "Metrics are served on %s\n", metricsURL)
	}

	select {
	case err := <-errc:
		return err
	case err := <-metricsErr:
		httpSrv.Close()
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing in-flight requests", "grace", shutdownGrace.String())
	shutCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := httpSrv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}
