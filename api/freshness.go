package api

import (
	"strconv"
	"time"

	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// Headers of a raw export that say how current its rows are: the same
// facts as a report's as_of, read_from and replica_lag_seconds, which a
// file streamed row by row can only carry before its first row.
const (
	headerAsOf       = "X-Brandlift-As-Of"
	headerReadFrom   = "X-Brandlift-Read-From"
	headerReplicaLag = "X-Brandlift-Replica-Lag-Seconds"
)

// setFreshness sends f as headers.
func setFreshness(c echo.Context, f results.Freshness) {
	h := c.Response().Header()
	h.Set(headerAsOf, f.AsOf.UTC().Format(time.RFC3339Nano))
	h.Set(headerReadFrom, f.ReadFrom)
	if f.LagSeconds != nil {
		h.Set(headerReplicaLag, strconv.FormatFloat(*f.LagSeconds, 'f', 3, 64))
	}
}
