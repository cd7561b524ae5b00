package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// defaultDemoDSN keeps the demo away from the real default database.
const defaultDemoDSN = "sqlite:brandlift-demo.db"

func cmdDemo(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("demo", stderr)
	db := fs.String("db", defaultDemoDSN, "database for the demo; a SQLite file is recreated")
	seedOnly := fs.Bool("seed-only", false, "seed, print the summary and exit without serving")
	options := serverFlags(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	o, log, err := options(stderr)
	if err != nil {
		return err
	}
	if err := freshSQLite(*db); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	st, err := openStore(ctx, *db, log)
	if err != nil {
		return err
	}
	defer st.Close()
	start := time.Now()
	seeded, err := seedDemo(ctx, st)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	_, key, err := st.CreateAPIKey(ctx, "demo", survey.RoleAdmin)
	if err != nil {
		return err
	}
	password := randomPassword()
	admin, err := st.CreateUser(ctx, demoAdminEmail, survey.RoleAdmin, password)
	var exists *survey.ValidationError
	if errors.As(err, &exists) {
		// A PostgreSQL demo run before: its admin's password was shown
		// once then, so this run signs in as a new one.
		admin, err = st.CreateUser(ctx, "admin-"+strings.ToLower(survey.NewID()[18:])+"@demo.brandlift.local", survey.RoleAdmin, password)
	}
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	base := o.baseURL
	if base == "" {
		base = "http://" + o.addr
	}
	fmt.Fprintf(stdout, "Seeded in %.1f s:\n", time.Since(start).Seconds())
	for _, s := range seeded {
		path := "/api/v1/studies/" + s.id + "/results"
		if s.path != "" {
			path = s.path
		}
		fmt.Fprintf(stdout, "  %s (%s): %d responses\n    %s%s\n", s.name, s.kind, s.responses, base, path)
	}
	fmt.Fprintf(stdout, "Try: curl -s -H \"Authorization: Bearer %s\" %s/api/v1/studies/%s/results\n", key, base, seeded[0].id)
	fmt.Fprintf(stdout, "Admin API key (shown once):\n%s\n", key)
	fmt.Fprintf(stdout, "Dashboard: %s/login\n  email:    %s\n  password: %s (shown once)\n", base, admin.Email, password)
	if *seedOnly {
		return nil
	}
	return serve(ctx, st, o, log, stdout)
}

// demoAdminEmail signs in to the demo's dashboard.
const demoAdminEmail = "admin@demo.brandlift.local"

// freshSQLite removes a demo SQLite file so that every demo starts anew.
// PostgreSQL databases are left alone: the demo adds its studies to them.
func freshSQLite(dsn string) error {
	path, ok := strings.CutPrefix(dsn, "sqlite:")
	if !ok {
		return nil
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("demo: cannot recreate %s: %w", path, err)
		}
	}
	return nil
}
