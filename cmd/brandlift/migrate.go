package main

import (
	"context"
	"io"
	"text/tabwriter"

	"github.com/brandlift/brandlift/survey/store"
)

func cmdMigrate(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "up" && args[0] != "status") {
		return usageErr("migrate needs a subcommand: up or status")
	}
	sub := args[0]
	fs := newFlags("migrate "+sub, stderr)
	db := dbFlag(fs, store.DefaultDSN)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	ctx := context.Background()
	st, err := store.Open(ctx, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	if sub == "up" {
		applied, err := st.Migrate(ctx)
		for _, m := range applied {
			fprintf(stdout, "applied %04d_%s\n", m.Version, m.Name)
		}
		if err != nil {
			return err
		}
		if len(applied) == 0 {
			fprintf(stdout, "schema is up to date\n")
		}
		return nil
	}
	all, err := st.Migrations(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fprintf(tw, "VERSION\tNAME\tSTATE\n")
	for _, m := range all {
		state := "pending"
		if m.AppliedAt != nil {
			state = "applied " + m.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fprintf(tw, "%04d\t%s\t%s\n", m.Version, m.Name, state)
	}
	return tw.Flush()
}
