package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"

	"github.com/brandlift/brandlift/survey/store"
)

// Defaults and their environment variables (see the README's table).
const (
	defaultAddr = "127.0.0.1:8080"
	envDB       = "BRANDLIFT_DB"
	// envDBReplica is a streaming replica for reports and exports.
	envDBReplica = "BRANDLIFT_DB_REPLICA"
	envAddr      = "BRANDLIFT_ADDR"
	envBaseURL   = "BRANDLIFT_BASE_URL"
	envRate      = "BRANDLIFT_PUBLIC_RATE"
	// envWebhookPrivate lets webhooks reach loopback and private networks.
	envWebhookPrivate = "BRANDLIFT_WEBHOOK_ALLOW_PRIVATE"
	envLogFmt         = "BRANDLIFT_LOG_FORMAT"
	// envSMTP is the server invitation emails go through; envMailFrom
	// their From address.
	envSMTP     = "BRANDLIFT_SMTP_URL"
	envMailFrom = "BRANDLIFT_SMTP_FROM"
	// envMetricsAddr serves /metrics on a listener of its own;
	// envMetricsToken on the main one, behind a bearer token.
	envMetricsAddr  = "BRANDLIFT_METRICS_ADDR"
	envMetricsToken = "BRANDLIFT_METRICS_TOKEN"
	defaultRate     = 120
)

func envOr(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return fallback
}

// newFlags makes a flag set that reports its own errors as usage errors.
func newFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("brandlift "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	return fs
}

func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return err
		}
		return usageErr("%v", err)
	}
	return nil
}

func dbFlag(fs *flag.FlagSet, dflt string) *string {
	return fs.String("db", envOr(envDB, dflt), "database: postgres://... or sqlite:PATH (env "+envDB+")")
}

// logFlags adds --log-format and returns a constructor for the logger.
func logFlags(fs *flag.FlagSet) func(io.Writer) (*slog.Logger, error) {
	format := fs.String("log-format", envOr(envLogFmt, "text"), "log format: text or json (env "+envLogFmt+")")
	return func(w io.Writer) (*slog.Logger, error) {
		switch *format {
		case "text":
			return slog.New(slog.NewTextHandler(w, nil)), nil
		case "json":
			return slog.New(slog.NewJSONHandler(w, nil)), nil
		}
		return nil, usageErr("--log-format must be text or json, got %q", *format)
	}
}

func rateFlag(fs *flag.FlagSet) *int {
	rate := defaultRate
	if v := os.Getenv(envRate); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			rate = n
		} else {
			rate = -1 // reported by checkRate with the variable's name
		}
	}
	return fs.Int("public-rate", rate, "requests per minute per IP on public endpoints, 0 = no limit (env "+envRate+")")
}

func checkRate(rate int) error {
	if rate < 0 {
		return usageErr("the public rate (--public-rate or %s) must be a whole number >= 0", envRate)
	}
	return nil
}

// openStore connects and applies pending migrations, logging each.
func openStore(ctx context.Context, dsn string, log *slog.Logger) (*store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, err
	}
	applied, err := st.Migrate(ctx)
	if err != nil {
		st.Close()
		return nil, err
	}
	for _, m := range applied {
		log.Info("migration applied", "version", m.Version, "name", m.Name)
	}
	return st, nil
}

func fprintf(w io.Writer, format string, args ...any) {
	fmt.Fprintf(w, format, args...)
}
