package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/brandlift/brandlift/survey/results"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// replicaCheckTimeout bounds the freshness check on the replica, so that
// a replica that hangs delays a report by this much at most before it is
// read from the primary instead.
const replicaCheckTimeout = 2 * time.Second

// replicaBackoff is how long a replica that failed a check is left alone:
// reports go to the primary without waiting on it again meanwhile.
const replicaBackoff = 5 * time.Second

// replica is a PostgreSQL hot standby that reports and exports read from,
// so that an analyst's long export does not compete with the survey's
// writes on the primary.
type replica struct {
	db  *gorm.DB
	dsn string // to scrub a password from its errors
	// failed is told why the replica was not used, once per failure
	// (then the replica rests for replicaBackoff); nil tells nobody.
	failed func(error)
	// downUntil is the Unix nanosecond time before which the replica is
	// not asked again after a failure.
	downUntil atomic.Int64
}

// replicaAwayNote is a report's read_note while the replica is not used.
const replicaAwayNote = "the read replica is unavailable; this was read from the primary"

// Read sources of a report (results.Freshness.ReadFrom).
const (
	readPrimary = "primary"
	readReplica = "replica"
)

// AttachReplica makes reports, trends and raw exports read from the
// streaming replica at dsn. Everything else, the study definitions
// included, stays on the primary. The replica must be a PostgreSQL
// standby of this store's PostgreSQL primary: in recovery, with the same
// schema (streaming replication copies the migrations).
//
// failed, when not nil, is told each time the replica fails and reports
// go to the primary for a while (at most once per replicaBackoff), so
// that an operator sees it in the log; the reports say it in read_note.
func (s *Store) AttachReplica(ctx context.Context, dsn string, failed func(error)) error {
	if s.dialect != Postgres {
		return errors.New("a read replica needs PostgreSQL as the primary database; SQLite has none")
	}
	dialect, driverDSN, err := ParseDSN(dsn)
	if err != nil {
		return err
	}
	if dialect != Postgres {
		return fmt.Errorf("the read replica %s must be a PostgreSQL DSN (postgres://...)", MaskDSN(dsn))
	}
	db, err := gorm.Open(postgres.Open(driverDSN), gormConfig())
	if err != nil {
		return fmt.Errorf("cannot open the read replica %s: %w", MaskDSN(dsn), scrub(err, dsn))
	}
	sqlDB, err := db.DB()
	if err != nil {
		return fmt.Errorf("cannot open the read replica %s: %w", MaskDSN(dsn), err)
	}
	sqlDB.SetMaxOpenConns(16)
	sqlDB.SetMaxIdleConns(16)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	checkCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	var standby bool
	if err := db.WithContext(checkCtx).Raw("SELECT pg_is_in_recovery()").Row().Scan(&standby); err != nil {
		sqlDB.Close()
		return fmt.Errorf("cannot connect to the read replica %s: %w", MaskDSN(dsn), scrub(err, dsn))
	}
	if !standby {
		sqlDB.Close()
		return fmt.Errorf("the read replica %s is not a standby (pg_is_in_recovery() is false): "+
			"give a streaming replica of the primary, or no replica", MaskDSN(dsn))
	}
	s.replica = &replica{db: db, dsn: dsn, failed: failed}
	return nil
}

// HasReplica reports whether reports read from a replica.
func (s *Store) HasReplica() bool { return s.replica != nil }

// reportSource picks the database a report or export reads and says how
// current what it reads is. Without a replica that is the primary, now.
// With one, the primary's WAL position is taken first and the replica's
// replay position compared with it: a replica that has replayed that far
// holds everything committed before the moment the primary was asked;
// one that has not holds everything up to its last replayed commit. So
// as_of never claims more than the replica has. A replica that fails the
// check, or is no longer a standby, leaves the report to the primary
// with a note that says so.
func (s *Store) reportSource(ctx context.Context) (*gorm.DB, results.Freshness) {
	primary := results.Freshness{AsOf: time.Now().UTC(), ReadFrom: readPrimary}
	r := s.replica
	if r == nil {
		return s.db, primary
	}
	if time.Now().UnixNano() < r.downUntil.Load() {
		primary.Note = replicaAwayNote
		return s.db, primary
	}
	f, err := s.replicaFreshness(ctx, r)
	if err != nil {
		if ctx.Err() == nil { // the request's own end says nothing about the replica
			r.rest(err)
		}
		primary.Note = replicaAwayNote
		return s.db, primary
	}
	return r.db, f
}

// rest leaves the replica alone for replicaBackoff after err, and says so.
func (r *replica) rest(err error) {
	r.downUntil.Store(time.Now().Add(replicaBackoff).UnixNano())
	if r.failed != nil {
		r.failed(scrub(err, r.dsn))
	}
}

// replicaFreshness compares the replica's replay position with the
// primary's current WAL position (see reportSource).
func (s *Store) replicaFreshness(ctx context.Context, r *replica) (results.Freshness, error) {
	ctx, cancel := context.WithTimeout(ctx, replicaCheckTimeout)
	defer cancel()
	var lsn string
	var asked time.Time
	if err := s.db.WithContext(ctx).Raw("SELECT pg_current_wal_lsn()::text, clock_timestamp()").Row().Scan(&lsn, &asked); err != nil {
		return results.Freshness{}, err
	}
	var standby, caughtUp bool
	var replayed sql.NullTime
	err := r.db.WithContext(ctx).Raw("SELECT pg_is_in_recovery(), COALESCE(pg_last_wal_replay_lsn() >= ?::pg_lsn, false), pg_last_xact_replay_timestamp()", lsn).
		Row().Scan(&standby, &caughtUp, &replayed)
	if err != nil {
		return results.Freshness{}, err
	}
	if !standby {
		return results.Freshness{}, errors.New("the replica was promoted: it is no longer a standby")
	}
	f := results.Freshness{ReadFrom: readReplica}
	switch {
	case caughtUp:
		f.AsOf = asked.UTC()
	case replayed.Valid:
		f.AsOf = replayed.Time.UTC()
	default:
		return results.Freshness{}, errors.New("the replica has replayed no transaction yet")
	}
	lag := max(asked.Sub(f.AsOf).Seconds(), 0)
	f.LagSeconds = &lag
	return f, nil
}

// fromPrimary is the freshness of a read that went back to the primary
// after the replica failed mid-report.
func fromPrimary(note string) results.Freshness {
	return results.Freshness{AsOf: time.Now().UTC(), ReadFrom: readPrimary, Note: note}
}

// closeReplica releases the replica's connections.
func (s *Store) closeReplica() {
	if s.replica == nil {
		return
	}
	if sqlDB, err := s.replica.db.DB(); err == nil {
		sqlDB.Close()
	}
}
