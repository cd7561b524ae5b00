package api

import (
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// AuditPage is a page of the audit log.
type AuditPage struct {
	Events     []survey.AuditEvent `json:"events"`
	NextCursor string              `json:"next_cursor,omitempty"`
}

// audit records an action after it succeeded. A failure to write the
// event is logged loudly but does not undo the action the caller was told
// succeeded.
func (s *Server) audit(c echo.Context, p Principal, action, studyID string, detail map[string]any) {
	if err := s.store.Audit(c.Request().Context(), p.Actor(), action, studyID, detail); err != nil {
		s.log.Error("audit event lost", "request_id", requestID(c), "action", action, "study_id", studyID, "err", err)
	}
}

func (s *Server) auditLog(c echo.Context) error {
	f := survey.AuditFilter{StudyID: c.QueryParam("study_id"), Cursor: c.QueryParam("cursor")}
	limit, err := pageLimit(c, 0, 500) // 0: the store's default
	if err != nil {
		return err
	}
	f.Limit = limit
	events, next, err := s.store.AuditEvents(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, AuditPage{Events: events, NextCursor: next})
}
