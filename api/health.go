package api

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// healthz says the process is up; it touches nothing else.
func (s *Server) healthz(c echo.Context) error {
	return writeJSON(c, http.StatusOK, map[string]string{"status": "ok", "version": s.cfg.Version})
}

// readyz says the database answers, so a load balancer can hold traffic
// back from a replica that cannot serve it.
func (s *Server) readyz(c echo.Context) error {
	ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Warn("readiness check failed", "request_id", requestID(c), "err", err)
		return newProblem(http.StatusServiceUnavailable, "not-ready", "the database does not answer")
	}
	return writeJSON(c, http.StatusOK, map[string]string{"status": "ready"})
}
