package main

import (
	"context"
	"io"
	"log/slog"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

func cmdKeys(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return usageErr("keys needs a subcommand: create")
	}
	fs := newFlags("keys create", stderr)
	roleName := fs.String("role", "", "admin, marketer or analyst")
	name := fs.String("name", "", "what the key is for, e.g. \"ci\" or \"alice\"")
	db := dbFlag(fs, store.DefaultDSN)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	role, err := survey.ParseRole(*roleName)
	if err != nil {
		return usageErr("--role: %v", err)
	}
	if *name == "" {
		return usageErr("--name is required")
	}
	ctx := context.Background()
	st, err := openStore(ctx, *db, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer st.Close()
	k, plain, err := st.CreateAPIKey(ctx, *name, role)
	if err != nil {
		return err
	}
	fprintf(stdout, "Created %s key %q (id %s). It is shown once; store it now:\n%s\n", k.Role, k.Name, k.ID, plain)
	return nil
}
