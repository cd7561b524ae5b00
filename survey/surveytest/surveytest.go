// Package surveytest gives tests a fresh, migrated store on every database
// they should run on: SQLite always, PostgreSQL when TEST_DATABASE_URL is set.
package surveytest

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx" for schema setup
)

// EnvPostgres names the environment variable with the PostgreSQL DSN used
// by tests; without it, tests run on SQLite only.
const EnvPostgres = "TEST_DATABASE_URL"

// Dialects lists the databases this test run covers.
func Dialects() []store.Dialect {
	if os.Getenv(EnvPostgres) != "" {
		return []store.Dialect{store.SQLite, store.Postgres}
	}
	return []store.Dialect{store.SQLite}
}

// ForEachDB runs fn as a subtest on a fresh migrated store per dialect.
func ForEachDB(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(string(d), func(t *testing.T) {
			fn(t, New(t, d))
		})
	}
}

// New returns a fresh, migrated store of the given dialect, removed when
// the test ends.
func New(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	s := NewUnmigrated(t, d)
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// NewUnmigrated returns a fresh, empty store of the given dialect.
func NewUnmigrated(t testing.TB, d store.Dialect) *store.Store {
	t.Helper()
	dsn := DSN(t, d)
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", d, err)
	}
	t.Cleanup(func() { s.Close() })
	CheckStudyScoped(s.DB())
	return s
}

// DSN returns the Brandlift DSN of a fresh, empty database of dialect d:
// a file in the test's temp dir for SQLite, a new schema for PostgreSQL
// (cheaper than a database, and dropped at the end).
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Skip(EnvPostgres + " is not set")
	}
	schema := "t_" + strings.ToLower(survey.NewID())
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", store.MaskDSN(base), err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer db.Close()
		db.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// OpenMigrated opens a store on dsn and applies the migrations.
func OpenMigrated(t testing.TB, dsn string) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	CheckStudyScoped(s.DB())
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return s
}

// ReadOnly opens a second store on the database of dsn whose writes the
// database itself refuses, as during a failover to a standby or when an
// operator turns writes off: PostgreSQL sessions with
// default_transaction_read_only, a SQLite connection with query_only.
func ReadOnly(t testing.TB, d store.Dialect, dsn string) *store.Store {
	t.Helper()
	if d == store.Postgres {
		dsn += "&default_transaction_read_only=on"
	}
	ro, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { ro.Close() })
	if d == store.SQLite {
		sqlDB, err := ro.DB().DB()
		if err != nil {
			t.Fatal(err)
		}
		sqlDB.SetMaxOpenConns(1) // the pragma holds per connection
		if err := ro.DB().Exec("PRAGMA query_only = 1").Error; err != nil {
			t.Fatal(err)
		}
	}
	return ro
}
