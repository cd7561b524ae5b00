package api

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// healthz says the process is up; it touches nothing else.
func (s *Server) healthz(c echo.Context) error {
	return writeJSON(c, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

// readyz says whether this replica can accept a response now (see
// store.Store.Ready), so that a load balancer holds traffic back from a
// replica whose database does not answer, is a standby, is read-only or
// is out of disk. The answer is a problem with the reason when not.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		s.log.Warn("readiness check failed", "request_id", requestID(c), "err", err)
		p := newProblem(http.StatusServiceUnavailable, "not-ready", "the database cannot take a response now")
		var nr *store.NotReadyError
		if errors.As(err, &nr) {
			p.Detail, p.Reason = nr.Detail, nr.Reason
		}
		p.headers = map[string]string{"Retry-After": retryAfterSeconds}
		return p
	}
	return writeJSON(c, http.StatusOK, map[string]string{"status": "ready"})
}
