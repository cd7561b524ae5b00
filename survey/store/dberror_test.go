package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	sqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestClassifySQLState: every SQLSTATE the issue of outages lists is an
// outage (503); data refusals are split off in the batch; anything else
// is a bug (500).
func TestClassifySQLState(t *testing.T) {
	cases := map[string]errClass{
		"57P01": classTransient, // admin_shutdown
		"57P02": classTransient, // crash_shutdown
		"57P03": classTransient, // cannot_connect_now
		"25006": classTransient, // read_only_sql_transaction
		"53100": classTransient, // disk_full
		"53200": classTransient, // out_of_memory
		"53300": classTransient, // too_many_connections
		"40001": classTransient, // serialization_failure
		"40P01": classTransient, // deadlock_detected
		"08006": classTransient, // connection_failure
		"08001": classTransient, // sqlclient_unable_to_establish_sqlconnection
		"58030": classTransient, // io_error
		"22P05": classData,      // untranslatable_character: U+0000
		"22021": classData,      // character_not_in_repertoire
		"22001": classData,      // string_data_right_truncation
		"23505": classData,      // unique_violation
		"23514": classData,      // check_violation
		"54000": classData,      // program_limit_exceeded
		"42P01": classBug,       // undefined_table
		"42703": classBug,       // undefined_column
		"42601": classBug,       // syntax_error
		"XX000": classBug,       // internal_error
		"28P01": classBug,       // invalid_password: configuration, not an outage
	}
	for code, want := range cases {
		err := fmt.Errorf("store: unable to store response: %w", &pgconn.PgError{Code: code, Message: "x"})
		if got := classify(err); got != want {
			t.Errorf("SQLSTATE %s: class %d, want %d", code, got, want)
		}
		if IsUnavailable(err) != (want == classTransient) {
			t.Errorf("SQLSTATE %s: IsUnavailable %v", code, IsUnavailable(err))
		}
	}
}

func TestClassifySQLite(t *testing.T) {
	cases := map[int]errClass{
		5:    classTransient, // SQLITE_BUSY
		517:  classTransient, // SQLITE_BUSY_SNAPSHOT
		6:    classTransient, // SQLITE_LOCKED
		7:    classTransient, // SQLITE_NOMEM
		8:    classTransient, // SQLITE_READONLY
		10:   classTransient, // SQLITE_IOERR
		3338: classTransient, // SQLITE_IOERR_FSYNC
		13:   classTransient, // SQLITE_FULL
		19:   classData,      // SQLITE_CONSTRAINT
		1811: classData,      // SQLITE_CONSTRAINT_TRIGGER
		2067: classData,      // SQLITE_CONSTRAINT_UNIQUE
		18:   classData,      // SQLITE_TOOBIG
		1:    classBug,       // SQLITE_ERROR: a bad statement
		11:   classBug,       // SQLITE_CORRUPT: an operator must look
	}
	for code, want := range cases {
		if got := classifySQLite(code); got != want {
			t.Errorf("SQLite code %d: class %d, want %d", code, got, want)
		}
	}
}

// TestClassifyRealFailures classifies errors that the drivers really
// return: a refused connection, a SQLite constraint, a closed store.
func TestClassifyRealFailures(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := pgconn.Connect(ctx, "postgres://postgres@127.0.0.1:1/x?connect_timeout=2")
	if err == nil || !IsUnavailable(fmt.Errorf("store: unable to read: %w", err)) {
		t.Errorf("refused connection %v: not unavailable", err)
	}
	for _, err := range []error{driver.ErrBadConn, io.ErrUnexpectedEOF, errClosed, ErrUnavailable, context.Canceled} {
		if !IsUnavailable(fmt.Errorf("wrapped: %w", err)) {
			t.Errorf("%v: not unavailable", err)
		}
	}
	for _, err := range []error{errors.New("boom"), survey.ErrNotFound, fmt.Errorf("%w: x", errPanic)} {
		if IsUnavailable(err) {
			t.Errorf("%v: unavailable", err)
		}
	}
	s, err := Open(ctx, "sqlite:"+t.TempDir()+"/x.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.db.Exec("CREATE TABLE u (id INTEGER PRIMARY KEY)")
	s.db.Exec("INSERT INTO u VALUES (1)")
	dup := s.db.Exec("INSERT INTO u VALUES (1)").Error
	var lite *sqlite.Error
	if !errors.As(dup, &lite) || classify(dup) != classData {
		t.Errorf("duplicate key %v: class %d", dup, classify(dup))
	}
	if err := s.db.Exec("SELEC 1").Error; classify(err) != classBug {
		t.Errorf("syntax error %v: class %d", err, classify(err))
	}
}
