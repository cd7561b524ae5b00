package api

import (
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// InvitationsRequest is the body of POST /studies/{id}/invitations.
type InvitationsRequest struct {
	// ContactIDs invites these contacts; absent, every contact of the
	// study.
	ContactIDs []string `json:"contact_ids"`
}

// InvitationPage is a page of a study's invitations, with counts by
// status over all of them.
type InvitationPage struct {
	Invitations []survey.Invitation `json:"invitations"`
	NextCursor  string              `json:"next_cursor,omitempty"`
	Counts      map[string]int64    `json:"counts"`
}

// sendInvitations queues invitations; the mailer sends them within the
// study's rate. Refused when no SMTP server is configured, so that
// nothing waits for a sender that will never come.
func (s *Server) sendInvitations(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	var in InvitationsRequest
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, contactsBodyLimit, &in); err != nil {
			return err
		}
	}
	if s.cfg.SMTPURL == "" {
		return newProblem(http.StatusConflict, "mail-not-configured",
			"no SMTP server is configured: start the server with BRANDLIFT_SMTP_URL (for example smtp://user:pass@host:587)")
	}
	res, err := s.store.QueueInvitations(c.Request().Context(), st, in.ContactIDs)
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "invitations.queue", st.ID, map[string]any{"queued": res.Queued, "skipped": res.Skipped})
	return writeJSON(c, http.StatusAccepted, res)
}

// listInvitations pages through a study's invitations, newest first.
func (s *Server) listInvitations(c echo.Context) error {
	st, limit, cursor, err := s.studyAndPage(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	list, next, err := s.store.Invitations(ctx, st.ID, limit, cursor)
	if err != nil {
		return err
	}
	counts, err := s.store.InvitationCounts(ctx, st.ID)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, InvitationPage{Invitations: list, NextCursor: next, Counts: counts})
}
