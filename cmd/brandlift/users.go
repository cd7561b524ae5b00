package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// Environment of the first-run bootstrap.
const (
	envAdminEmail    = "BRANDLIFT_ADMIN_EMAIL"
	envAdminPassword = "BRANDLIFT_ADMIN_PASSWORD"
)

func cmdUsers(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageErr("users needs a subcommand: create")
	}
	fs := newFlags("users create", stderr)
	email := fs.String("email", "", "the user's email, their sign-in name")
	roleName := fs.String("role", "", "admin, marketer or analyst")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of standard input instead of generating one")
	db := dbFlag(fs, store.DefaultDSN)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	role, err := survey.ParseRole(*roleName)
	if err != nil {
		return usageErr("--role: %v", err)
	}
	if *email == "" {
		return usageErr("--email is required")
	}
	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			return usageErr("--password-stdin: no password on standard input")
		}
		password = strings.TrimRight(line, "\r\n")
	} else {
		password, generated = randomPassword(), true
	}
	ctx := context.Background()
	st, err := openStore(ctx, *db, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.CreateUser(ctx, *email, role, password)
	if err != nil {
		return err
	}
	st.Audit(ctx, "cli", "user.create", "", map[string]any{"user": u.Email, "role": u.Role})
	fmt.Fprintf(stdout, "Created %s user %s (id %s).\n", u.Role, u.Email, u.ID)
	if generated {
		fmt.Fprintf(stdout, "Password (shown once):\n%s\n", password)
	}
	return nil
}

// randomPassword is a new user's password when none is given: 120 random
// bits, 20 characters a password manager or a paste takes.
func randomPassword() string {
	var b [15]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// firstAdminHint tells the operator of a database without users how to
// create the first admin, since the dashboard cannot be entered without one.
func firstAdminHint(ctx context.Context, st *store.Store, log *slog.Logger) {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return
	}
	log.Warn("no dashboard users yet; create the first admin with: brandlift users create --role admin --email you@example.com (it prints a password), or set " +
		envAdminEmail + " and " + envAdminPassword + " before serve")
}

// bootstrapAdmin creates the first admin from the environment when the
// database has no users yet, so that a new install can sign in at once.
func bootstrapAdmin(ctx context.Context, st *store.Store, log *slog.Logger) error {
	email, password := os.Getenv(envAdminEmail), os.Getenv(envAdminPassword)
	if email == "" && password == "" {
		return nil
	}
	if email == "" || password == "" {
		return usageErr("set both %s and %s, or neither", envAdminEmail, envAdminPassword)
	}
	n, err := st.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	u, err := st.CreateUser(ctx, email, survey.RoleAdmin, password)
	if err != nil {
		return fmt.Errorf("bootstrap admin from %s: %w", envAdminEmail, err)
	}
	st.Audit(ctx, "bootstrap", "user.create", "", map[string]any{"user": u.Email, "role": u.Role})
	log.Info("first admin created from the environment", "email", u.Email)
	return nil
}
