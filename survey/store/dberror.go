package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrUnavailable marks a failure that says nothing about the request: the
// database is restarting, read-only, out of disk, memory or connections,
// or briefly locked. Retrying in a moment is the cure, so the API answers
// 503 with Retry-After instead of 500. Use IsUnavailable to test for it:
// driver errors are classified without being wrapped in it.
var ErrUnavailable = errors.New("store: the database is temporarily unavailable")

// errClass is what a database error says about what to do next.
type errClass int

const (
	// classBug is everything not listed below: a failure of ours, a 500.
	classBug errClass = iota
	// classTransient is an outage: retry the same thing later.
	classTransient
	// classData is the database refusing the data of one statement (a
	// character it cannot store, a constraint): retrying it fails again,
	// and it must not fail anyone else's rows that shared the statement.
	classData
)

// IsUnavailable reports whether err is a temporary outage of the database
// (see ErrUnavailable) rather than a bug or a refusal of the input.
func IsUnavailable(err error) bool { return classify(err) == classTransient }

// classify looks through err's chain for a driver error and sorts it. The
// lists follow PostgreSQL's SQLSTATE classes (Appendix A of its manual)
// and SQLite's primary result codes (sqlite.org/rescode.html).
func classify(err error) errClass {
	if err == nil {
		return classBug
	}
	if errors.Is(err, ErrUnavailable) || errors.Is(err, errClosed) {
		return classTransient
	}
	if code := sqlState(err); code != "" {
		return classifySQLState(code)
	}
	if code := sqliteCode(err); code != 0 {
		return classifySQLite(code)
	}
	// database/sql does not export its "database is closed" error; a
	// closed store is a replica shutting down, which a retry elsewhere cures.
	if strings.Contains(err.Error(), "sql: database is closed") {
		return classTransient
	}
	var connect *pgconn.ConnectError
	var netErr net.Error
	switch {
	case errors.As(err, &connect), errors.As(err, &netErr),
		errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		pgconn.SafeToRetry(err), pgconn.Timeout(err):
		return classTransient
	}
	return classBug
}

// classifySQLState sorts a PostgreSQL error code.
func classifySQLState(code string) errClass {
	switch code {
	case "57P01", // admin_shutdown: the server is stopping or restarting
		"57P02", // crash_shutdown
		"57P03", // cannot_connect_now: starting up or in recovery
		"57014", // query_canceled: statement timeout or cancel request
		"25006", // read_only_sql_transaction: a standby or default_transaction_read_only
		"40001", // serialization_failure, once our retries are spent
		"40P01", // deadlock_detected, likewise
		"55P03": // lock_not_available
		return classTransient
	}
	switch {
	case strings.HasPrefix(code, "08"), // connection exception
		strings.HasPrefix(code, "53"), // insufficient resources: disk full, out of memory, too many connections
		strings.HasPrefix(code, "58"): // system error: I/O
		return classTransient
	case strings.HasPrefix(code, "22"), // data exception: U+0000, an invalid byte sequence, a value too long
		strings.HasPrefix(code, "23"), // integrity constraint violation
		code == "54000":               // program_limit_exceeded: a row too large for an index
		return classData
	}
	return classBug
}

// SQLite primary result codes (the low byte of an extended code).
const (
	sqliteBusy       = 5
	sqliteLocked     = 6
	sqliteNoMem      = 7
	sqliteReadOnly   = 8
	sqliteIOErr      = 10
	sqliteFull       = 13
	sqliteCantOpen   = 14
	sqliteProtocol   = 15
	sqliteTooBig     = 18
	sqliteConstraint = 19
	sqliteMismatch   = 20
)

// classifySQLite sorts a SQLite result code.
func classifySQLite(code int) errClass {
	switch code & 0xff {
	case sqliteBusy, sqliteLocked, sqliteNoMem, sqliteReadOnly, sqliteIOErr, sqliteFull, sqliteCantOpen, sqliteProtocol:
		return classTransient
	case sqliteTooBig, sqliteConstraint, sqliteMismatch:
		return classData
	}
	return classBug
}

// sqlState is the SQLSTATE of a PostgreSQL error in err's chain, or "".
func sqlState(err error) string {
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code
	}
	return ""
}

// sqliteCode is the result code of a SQLite error in err's chain, or 0.
func sqliteCode(err error) int {
	var lite *sqlite.Error
	if errors.As(err, &lite) {
		return lite.Code()
	}
	return 0
}
