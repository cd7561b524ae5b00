// Package tabular writes tables of typed cells to files, row by row and in
// flat memory: CSV (RFC 4180), JSON Lines, XLSX (Office Open XML) and
// Parquet. It knows nothing of HTTP or of the store; the API streams what
// the store's export reads into one of these writers. It may import survey
// (for the column types) and the Parquet library, nothing else of ours.
package tabular

import (
	"math"
	"strconv"
	"time"
)

// Writer writes one table to a file, row by row, in flat memory. Its
// constructor writes the header; Close finishes the file (a zip's central
// directory, a Parquet footer) but does not flush the download buffer.
type Writer interface {
	// WriteRow writes one row of values: string, int64, float64,
	// time.Time or nil, matching the columns' types (CSV, JSON Lines and
	// XLSX also take int and bool, for the report's tables). The row may
	// be reused once WriteRow returns.
	WriteRow(row []any) error
	Close() error
}

// Options shape a file.
type Options struct {
	BOM       bool // CSV: start with a UTF-8 byte order mark (for Excel)
	Delimiter byte // CSV: ',' or ';'
}

// Neutralised reports whether a spreadsheet would read s as a formula:
// it starts with = + - @, a tab or a carriage return (OWASP, "CSV
// Injection"). Such string cells are written with a leading single quote
// in CSV and XLSX; numbers are never changed.
func Neutralised(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// appendFloat writes f as encoding/json does: plain decimals, exponent
// only for very small or large magnitudes. Callers handle NaN and Inf.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	return strconv.AppendFloat(b, f, format, -1, 64)
}

// finite reports whether f can be written as a number.
func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// timeFormat is how CSV and JSON Lines write instants: RFC 3339 in UTC.
const timeFormat = time.RFC3339Nano
