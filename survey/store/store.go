package store

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL database behind a Store.
type Dialect string

// Supported dialects.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DefaultDSN is the embedded database used when none is configured.
const DefaultDSN = "sqlite:brandlift.db"

// Store is Brandlift's storage: studies, keys, responses and tallies, on
// PostgreSQL or SQLite through GORM.
type Store struct {
	db        *gorm.DB
	dialect   Dialect
	cache     studyCache
	medians   medianCache
	committer *committer
	// impressions batches the exposure pixel's writes.
	impressions *impressionBatcher
	persons     personKeyCache
	path        string       // the SQLite file; "" on PostgreSQL
	obs         observerSlot // metrics hooks of the batch writers (observer.go)
	// replica, when attached, serves reports and exports (replica.go).
	replica *replica
}

// Dialect reports which database the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// DB exposes the GORM handle for tests and tools that inspect the schema.
func (s *Store) DB() *gorm.DB { return s.db }

// ParseDSN splits a Brandlift DSN into its dialect and the driver's own DSN.
// It accepts postgres://..., postgresql://... and sqlite:PATH.
func ParseDSN(dsn string) (Dialect, string, error) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" {
			return "", "", fmt.Errorf("malformed DSN %s: want postgres://user:password@host:port/database", MaskDSN(dsn))
		}
		return Postgres, dsn, nil
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" || strings.Contains(path, "?") {
			return "", "", fmt.Errorf("malformed DSN %q: want sqlite:PATH, for example sqlite:brandlift.db", dsn)
		}
		// WAL lets readers run beside the writer; busy_timeout makes a writer
		// wait for the lock instead of failing; _txlock=immediate takes the
		// write lock at BEGIN so that two transactions never deadlock on
		// upgrade; foreign keys are off in SQLite unless asked for. (No
		// _time_format: this driver skips _txlock when it is given, and its
		// default already writes times in the form SQLite date functions read.)
		// busy_timeout comes first so that it covers switching to WAL, which
		// needs a lock when several connections open a new file at once.
		params := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
			"&_pragma=synchronous(FULL)&_txlock=immediate"
		return SQLite, "file:" + path + "?" + params, nil
	default:
		return "", "", fmt.Errorf("malformed DSN %s: want postgres://... or sqlite:PATH", MaskDSN(dsn))
	}
}

// MaskDSN hides the password of a DSN so that it can be logged or printed.
func MaskDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		if i := strings.Index(dsn, "@"); i > 0 {
			if j := strings.Index(dsn, "://"); j > 0 && j < i {
				return dsn[:j+3] + "***@" + dsn[i+1:]
			}
		}
		return dsn
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return strings.Replace(u.String(), "%2A%2A%2A", "***", 1)
}

// Open connects to the database named by dsn and checks that it answers.
// It does not migrate; call Migrate for that.
func Open(ctx context.Context, dsn string) (*Store, error) {
	dialect, driverDSN, err := ParseDSN(dsn)
	if err != nil {
		return nil, err
	}
	cfg := gormConfig()
	var dialector gorm.Dialector
	if dialect == Postgres {
		dialector = postgres.Open(driverDSN)
	} else {
		// SQLite reports a missing folder as "out of memory"; say it plainly.
		dir := filepath.Dir(strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//"))
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			return nil, fmt.Errorf("cannot open %s: folder %s does not exist", dsn, dir)
		}
		dialector = sqlite.Open(driverDSN)
	}
	db, err := gorm.Open(dialector, cfg)
	if dialect == SQLite {
		db, err = retryWhileBusy(ctx, db, err, func() (*gorm.DB, error) { return gorm.Open(sqlite.Open(driverDSN), cfg) })
	}
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", MaskDSN(dsn), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("cannot open %s: %w", MaskDSN(dsn), err)
	}
	if dialect == Postgres {
		sqlDB.SetMaxOpenConns(32)
		sqlDB.SetMaxIdleConns(32)
	} else {
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("cannot connect to %s: %w", MaskDSN(dsn), scrub(err, dsn))
	}
	s := &Store{db: db, dialect: dialect}
	if dialect == SQLite {
		s.path = strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite:"), "//")
	}
	s.committer = startCommitter(s)
	s.impressions = startImpressionBatcher(s)
	return s, nil
}

// gormConfig is the GORM configuration of every connection pool.
func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		DisableAutomaticPing:   true,
		SkipDefaultTransaction: true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
}

// retryWhileBusy opens a SQLite file again while opening fails with
// SQLITE_BUSY. Switching a new file to WAL takes an exclusive lock, and
// SQLite answers BUSY at once, without its busy handler, to a connection
// that asks while another process holds that lock (two replicas or a
// migrator starting together on a fresh file). The mode is persistent, so
// once one opener has switched, the others' pragma is a no-op; waiting a
// few milliseconds is the cure. The wait is bounded like busy_timeout.
func retryWhileBusy(ctx context.Context, db *gorm.DB, err error, open func() (*gorm.DB, error)) (*gorm.DB, error) {
	deadline := time.Now().Add(10 * time.Second)
	for wait := 5 * time.Millisecond; err != nil && sqliteCode(err)&0xff == sqliteBusy && time.Now().Before(deadline); wait = min(2*wait, 200*time.Millisecond) {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		db, err = open()
	}
	return db, err
}

// scrub removes a password that a driver might have echoed into its error.
func scrub(err error, dsn string) error {
	u, perr := url.Parse(dsn)
	if perr != nil || u.User == nil {
		return err
	}
	if pw, ok := u.User.Password(); ok && pw != "" && strings.Contains(err.Error(), pw) {
		return errors.New(strings.ReplaceAll(err.Error(), pw, "***"))
	}
	return err
}

// Ping reports whether the database answers; /readyz uses it.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

// Close stops the batch writers, after they commit what they hold, and
// releases the database connections.
func (s *Store) Close() error {
	s.committer.stop()
	s.impressions.stop()
	s.closeReplica()
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}
