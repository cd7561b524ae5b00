package api

import (
	"errors"
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// webhookBodyLimit bounds a webhook's small body.
const webhookBodyLimit = 16 << 10

// needAdminForInstallation refuses a marketer a webhook of every study:
// those see every study's responses, which is an admin's call.
func needAdminForInstallation(c echo.Context, studyID string) error {
	if studyID == "" && level(principal(c).Role) < admin {
		return newProblem(http.StatusForbidden, "forbidden",
			"a webhook of every study (no study_id) needs the admin role; a marketer subscribes to one study with study_id")
	}
	return nil
}

// createWebhook answers POST /api/v1/webhooks; the answer is the only time
// the secret is shown.
func (s *Server) createWebhook(c echo.Context) error {
	var in survey.WebhookInput
	if err := decodeJSON(c, webhookBodyLimit, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	if err := needAdminForInstallation(c, in.StudyID); err != nil {
		return err
	}
	if why := checkTarget(c.Request().Context(), in.URL, s.cfg.WebhookAllowPrivate); why != "" {
		v := &survey.ValidationError{}
		v.Add("url", "%s", why)
		return v
	}
	w, err := s.store.CreateWebhook(c.Request().Context(), in, principal(c).Actor())
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "webhook.create", w.StudyID, map[string]any{"webhook": w.ID, "url": w.URL, "events": w.Events})
	return writeJSON(c, http.StatusCreated, w)
}

// listWebhooks answers GET /api/v1/webhooks (?study_id= for one study's).
func (s *Server) listWebhooks(c echo.Context) error {
	ws, err := s.store.Webhooks(c.Request().Context(), c.QueryParam("study_id"))
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, map[string]any{"webhooks": ws})
}

// webhookOf loads the :id webhook.
func (s *Server) webhookOf(c echo.Context) (survey.Webhook, error) {
	w, err := s.store.Webhook(c.Request().Context(), c.Param("id"))
	if errors.Is(err, survey.ErrNotFound) {
		return w, notFound("webhook")
	}
	return w, err
}

// getWebhook answers GET /api/v1/webhooks/{id}.
func (s *Server) getWebhook(c echo.Context) error {
	w, err := s.webhookOf(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, w)
}

// deleteWebhook answers DELETE /api/v1/webhooks/{id}: nothing more is sent,
// and what was pending fails with the reason.
func (s *Server) deleteWebhook(c echo.Context) error {
	w, err := s.webhookOf(c)
	if err != nil {
		return err
	}
	if err := needAdminForInstallation(c, w.StudyID); err != nil {
		return err
	}
	if err := s.store.DeleteWebhook(c.Request().Context(), w.ID); err != nil {
		if errors.Is(err, survey.ErrNotFound) {
			return notFound("webhook")
		}
		return err
	}
	s.audit(c, principal(c), "webhook.delete", w.StudyID, map[string]any{"webhook": w.ID, "url": w.URL})
	return c.NoContent(http.StatusNoContent)
}

// webhookDeliveries answers GET /api/v1/webhooks/{id}/deliveries: the
// delivery log, newest first, with every attempt.
func (s *Server) webhookDeliveries(c echo.Context) error {
	w, err := s.webhookOf(c)
	if err != nil {
		return err
	}
	limit, err := pageLimit(c, 100, 1000)
	if err != nil {
		return err
	}
	ds, err := s.store.Deliveries(c.Request().Context(), w.ID, limit)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, map[string]any{"deliveries": ds})
}

// redeliver answers POST /api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver:
// the delivery is sent again now, with the same webhook-id.
func (s *Server) redeliver(c echo.Context) error {
	w, err := s.webhookOf(c)
	if err != nil {
		return err
	}
	d, err := s.store.Redeliver(c.Request().Context(), w.ID, c.Param("delivery_id"))
	if errors.Is(err, survey.ErrNotFound) {
		return notFound("delivery")
	}
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "webhook.redeliver", d.StudyID, map[string]any{"webhook": w.ID, "delivery": d.ID})
	return writeJSON(c, http.StatusAccepted, d)
}
