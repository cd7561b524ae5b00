package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// NotReadyError says why the store cannot take a response right now.
type NotReadyError struct {
	// Reason is stable for monitors: unreachable, in_recovery, read_only,
	// disk_full or write_failed.
	Reason string
	Detail string // for people
	cause  error
}

func (e *NotReadyError) Error() string {
	if e.cause != nil {
		return e.Detail + ": " + e.cause.Error()
	}
	return e.Detail
}

// Unwrap exposes the database error behind the verdict.
func (e *NotReadyError) Unwrap() error { return e.cause }

// MinFreeDisk is the free space below which a SQLite store says it is not
// ready: its writes would soon fail with "database or disk is full".
const MinFreeDisk = 32 << 20

// Ready reports whether the store can accept a response now, as /readyz
// asks it every second or so: the database answers, PostgreSQL is neither
// a standby in recovery nor read-only, the disk under a SQLite file has
// room, and a write probe succeeds. The probe inserts a row into
// readiness_probe and rolls it back, so it leaves nothing behind. It
// returns nil or a *NotReadyError.
func (s *Store) Ready(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return &NotReadyError{Reason: "unreachable", Detail: "the database does not answer", cause: err}
	}
	db := s.db.WithContext(ctx)
	if s.dialect == Postgres {
		var recovery bool
		var readOnly string
		err := db.Raw("SELECT pg_is_in_recovery(), current_setting('transaction_read_only')").Row().Scan(&recovery, &readOnly)
		switch {
		case err != nil:
			return &NotReadyError{Reason: "unreachable", Detail: "the database does not answer", cause: err}
		case recovery:
			return &NotReadyError{Reason: "in_recovery", Detail: "PostgreSQL is in recovery (a standby or still starting); it takes no writes"}
		case readOnly == "on":
			return &NotReadyError{Reason: "read_only", Detail: "PostgreSQL transactions are read-only (default_transaction_read_only)"}
		}
	} else if free, ok := freeDisk(s.path); ok && free < MinFreeDisk {
		return &NotReadyError{Reason: "disk_full", Detail: fmt.Sprintf(
			"only %d MiB free beside the SQLite file (at least %d MiB needed)", free>>20, MinFreeDisk>>20)}
	}
	errProbe := errors.New("rollback") // returned to roll the probe back
	err := db.Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("INSERT INTO readiness_probe (id, at) VALUES (1, ?)", time.Now().UTC()).Error; err != nil {
			return err
		}
		return errProbe
	})
	if err != nil && !errors.Is(err, errProbe) {
		reason := "write_failed"
		if sqliteCode(err)&0xff == sqliteReadOnly || sqlState(err) == "25006" {
			reason = "read_only"
		}
		return &NotReadyError{Reason: reason, Detail: "a write probe failed", cause: err}
	}
	return nil
}
