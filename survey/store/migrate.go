package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/migrations"
	"gorm.io/gorm"
)

// Migration is one versioned schema step of the store's dialect.
type Migration struct {
	Version   int
	Name      string
	SQL       string
	AppliedAt *time.Time // nil while pending
}

// schemaMigration records an applied migration.
type schemaMigration struct {
	Version   int       `gorm:"column:version;primaryKey"`
	Name      string    `gorm:"column:name"`
	AppliedAt time.Time `gorm:"column:applied_at"`
}

func (schemaMigration) TableName() string { return "schema_migrations" }

// migrationLockID is the PostgreSQL advisory lock that serialises replicas
// migrating at the same time ("brandlif" in ASCII).
const migrationLockID = 0x6272616e646c6966

// Migrations lists the embedded migrations of the store's dialect in order,
// with the time each was applied.
func (s *Store) Migrations(ctx context.Context) ([]Migration, error) {
	all, err := embeddedMigrations(s.dialect)
	if err != nil {
		return nil, err
	}
	if err := s.ensureMigrationTable(ctx); err != nil {
		return nil, err
	}
	var applied []schemaMigration
	if err := s.db.WithContext(ctx).Find(&applied).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read schema_migrations: %w", err)
	}
	at := map[int]time.Time{}
	for _, a := range applied {
		at[a.Version] = a.AppliedAt
	}
	for i := range all {
		if t, ok := at[all[i].Version]; ok {
			all[i].AppliedAt = &t
		}
	}
	return all, nil
}

// Migrate applies every pending migration in order, each in its own
// transaction with its version recorded, and returns the ones it applied.
// Concurrent callers (replicas starting together) are serialised.
func (s *Store) Migrate(ctx context.Context) ([]Migration, error) {
	all, err := s.Migrations(ctx)
	if err != nil {
		return nil, err
	}
	var done []Migration
	for _, m := range all {
		if m.AppliedAt != nil {
			continue
		}
		applied, err := s.applyMigration(ctx, m)
		if err != nil {
			return done, err
		}
		if applied {
			done = append(done, m)
		}
	}
	return done, nil
}

func (s *Store) applyMigration(ctx context.Context, m Migration) (bool, error) {
	applied := false
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := s.lockMigrations(tx); err != nil {
			return err
		}
		var n int64
		if err := tx.Model(&schemaMigration{}).Where("version = ?", m.Version).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			return nil // another replica applied it while we waited
		}
		if err := tx.Exec(m.SQL).Error; err != nil {
			return err
		}
		applied = true
		return tx.Create(&schemaMigration{Version: m.Version, Name: m.Name, AppliedAt: time.Now().UTC()}).Error
	})
	if err != nil {
		return false, fmt.Errorf("store: migration %04d_%s failed: %w", m.Version, m.Name, err)
	}
	return applied, nil
}

// lockMigrations serialises migrators until tx ends. On SQLite the
// immediate transaction already holds the database's write lock.
func (s *Store) lockMigrations(tx *gorm.DB) error {
	if s.dialect != Postgres {
		return nil
	}
	return tx.Exec("SELECT pg_advisory_xact_lock(?)", int64(migrationLockID)).Error
}

func (s *Store) ensureMigrationTable(ctx context.Context) error {
	ts := "TIMESTAMPTZ"
	if s.dialect == SQLite {
		ts = "DATETIME"
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Two replicas creating the table at once collide in PostgreSQL's
		// catalog even with IF NOT EXISTS, so take the migration lock first.
		if err := s.lockMigrations(tx); err != nil {
			return err
		}
		return tx.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at ` + ts + ` NOT NULL)`).Error
	})
	if err != nil {
		return fmt.Errorf("store: unable to create schema_migrations: %w", err)
	}
	return nil
}

// embeddedMigrations reads migrations/<dialect>/NNNN_name.sql in version order.
func embeddedMigrations(d Dialect) ([]Migration, error) {
	dir := string(d)
	entries, err := fs.ReadDir(migrations.FS, dir)
	if err != nil {
		return nil, fmt.Errorf("store: unable to list migrations: %w", err)
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		base := strings.TrimSuffix(name, ".sql")
		num, label, ok := strings.Cut(base, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil || path.Ext(name) != ".sql" {
			return nil, fmt.Errorf("store: migration file %s/%s is not named NNNN_name.sql", dir, name)
		}
		body, err := fs.ReadFile(migrations.FS, dir+"/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: version, Name: label, SQL: string(body)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := 1; i < len(out); i++ {
		if out[i].Version == out[i-1].Version {
			return nil, fmt.Errorf("store: two migrations with version %d", out[i].Version)
		}
	}
	return out, nil
}
