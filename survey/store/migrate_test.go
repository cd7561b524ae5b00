package store_test

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
	"gorm.io/gorm/schema"
)

func TestMigrationsApplyAndMatchModels(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			ctx := context.Background()
			s := surveytest.NewUnmigrated(t, d)
			before, err := s.Migrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(before) == 0 {
				t.Fatal("no embedded migrations")
			}
			for _, m := range before {
				if m.AppliedAt != nil {
					t.Fatalf("fresh database reports %d applied", m.Version)
				}
				if strings.Contains(m.SQL, "?") {
					t.Errorf("migration %d contains '?', which GORM would treat as a placeholder", m.Version)
				}
			}
			applied, err := s.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(before) {
				t.Fatalf("applied %d of %d migrations", len(applied), len(before))
			}
			for i := 1; i < len(applied); i++ {
				if applied[i].Version <= applied[i-1].Version {
					t.Fatalf("applied out of order: %d after %d", applied[i].Version, applied[i-1].Version)
				}
			}
			checkModelColumns(t, s)
			schemaBefore := schemaDump(t, s)

			again, err := s.Migrate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(again) != 0 {
				t.Fatalf("second run applied %d migrations", len(again))
			}
			if after := schemaDump(t, s); after != schemaBefore {
				t.Fatalf("second run changed the schema:\n%s\n---\n%s", schemaBefore, after)
			}
			final, err := s.Migrations(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range final {
				if m.AppliedAt == nil {
					t.Errorf("migration %d still pending", m.Version)
				}
			}
		})
	}
}

// TestConcurrentMigrate starts several migrators at once, as replicas do.
func TestConcurrentMigrate(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := surveytest.DSN(t, d)
			var wg sync.WaitGroup
			counts := make([]int, 4)
			errs := make([]error, 4)
			for i := range counts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s, err := store.Open(context.Background(), dsn)
					if err != nil {
						errs[i] = err
						return
					}
					defer s.Close()
					done, err := s.Migrate(context.Background())
					counts[i], errs[i] = len(done), err
				}()
			}
			wg.Wait()
			total := 0
			for i := range counts {
				if errs[i] != nil {
					t.Fatalf("migrator %d: %v", i, errs[i])
				}
				total += counts[i]
			}
			s, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			all, err := s.Migrations(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if want := len(all); total != want {
				t.Fatalf("migrations applied %d times in all, want each once (%d)", total, want)
			}
		})
	}
}

func checkModelColumns(t *testing.T, s *store.Store) {
	t.Helper()
	m := s.DB().Migrator()
	for _, model := range store.AllModels {
		sch, err := schema.Parse(model, &sync.Map{}, s.DB().NamingStrategy)
		if err != nil {
			t.Fatalf("parse %T: %v", model, err)
		}
		if !m.HasTable(sch.Table) {
			t.Errorf("table %s of %T is missing", sch.Table, model)
			continue
		}
		for _, f := range sch.Fields {
			if f.DBName == "" {
				continue
			}
			if !m.HasColumn(model, f.DBName) {
				t.Errorf("column %s.%s of %T is missing", sch.Table, f.DBName, model)
			}
		}
	}
}

func schemaDump(t *testing.T, s *store.Store) string {
	t.Helper()
	m := s.DB().Migrator()
	tables, err := m.GetTables()
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	var b strings.Builder
	for _, table := range tables {
		cols, err := m.ColumnTypes(table)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(table + ":")
		for _, c := range cols {
			b.WriteString(" " + c.Name() + " " + c.DatabaseTypeName())
		}
		b.WriteString("\n")
	}
	var n int64
	s.DB().Table("schema_migrations").Count(&n)
	fmt.Fprintf(&b, "versions: %d", n)
	return b.String()
}
