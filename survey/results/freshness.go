package results

import "time"

// Freshness says how current the data behind a report or an export is:
// read from the primary database, it is current as of the read; read from
// a streaming replica, it holds everything committed up to AsOf, and
// LagSeconds is how far that is behind the primary.
type Freshness struct {
	AsOf time.Time `json:"as_of"`
	// ReadFrom is "primary" or "replica".
	ReadFrom string `json:"read_from"`
	// LagSeconds is present when ReadFrom is "replica".
	LagSeconds *float64 `json:"replica_lag_seconds,omitempty"`
	// Note says why a store with a replica read from the primary.
	Note string `json:"read_note,omitempty"`
}
