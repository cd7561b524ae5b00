package store

// Both drivers cap the parameters of one statement: PostgreSQL's extended
// protocol at 65535, SQLite at 32766 (SQLITE_MAX_VARIABLE_NUMBER since
// 3.32). Every multi-row statement is cut into pieces below the smaller.
const maxSQLParams = 32766

// inListChunk is how many values one IN (...) list carries.
const inListChunk = 1000

// rowsPerInsert is how many rows of the given width one INSERT may carry,
// at most 500 so that one statement stays small.
func rowsPerInsert(columns int) int {
	return max(1, min(500, maxSQLParams/columns))
}
