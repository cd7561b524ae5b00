package api

import (
	"net/http"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// route is one line of the route table: who may call what.
type route struct {
	method  string
	path    string
	access  access
	handler echo.HandlerFunc
}

// routes is the route table. Every route's access is on its line; the
// access test and the OpenAPI test are generated from this list.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/healthz", public, s.healthz},
		{http.MethodGet, "/readyz", public, s.readyz},
		{http.MethodGet, "/api/v1/openapi.json", public, s.openapi},
		{http.MethodGet, "/metrics", public, s.metricsEndpoint}, // no API key: the metrics token, or 404 (metrics_endpoint.go)

		{http.MethodPost, "/api/v1/studies", marketer, s.createStudy},
		{http.MethodGet, "/api/v1/studies", analyst, s.listStudies},
		{http.MethodGet, "/api/v1/studies/:id", analyst, s.getStudy},
		{http.MethodPatch, "/api/v1/studies/:id", marketer, s.patchStudy},
		{http.MethodDelete, "/api/v1/studies/:id", admin, s.deleteStudy},
		{http.MethodPost, "/api/v1/studies/:id/launch", marketer, s.lifecycle(survey.Launch)},
		{http.MethodPost, "/api/v1/studies/:id/pause", marketer, s.lifecycle(survey.Pause)},
		{http.MethodPost, "/api/v1/studies/:id/resume", marketer, s.lifecycle(survey.Resume)},
		{http.MethodPost, "/api/v1/studies/:id/close", marketer, s.lifecycle(survey.Close)},
		{http.MethodPost, "/api/v1/studies/:id/rotate-secret", marketer, s.rotateSecret},
		{http.MethodPost, "/api/v1/studies/:id/links", marketer, s.createLinks},
		{http.MethodGet, "/api/v1/studies/:id/consent", marketer, s.consentVersions},
		{http.MethodPost, "/api/v1/studies/:id/contacts", marketer, s.importContacts},
		{http.MethodGet, "/api/v1/studies/:id/contacts", marketer, s.listContacts},
		{http.MethodPost, "/api/v1/studies/:id/impressions", marketer, s.importImpressions},
		{http.MethodPost, "/api/v1/studies/:id/invitations", marketer, s.sendInvitations},
		{http.MethodGet, "/api/v1/studies/:id/invitations", marketer, s.listInvitations},
		{http.MethodGet, "/api/v1/studies/:id/results", analyst, s.results},
		{http.MethodGet, "/api/v1/studies/:id/results/trend", analyst, s.resultsTrend},
		{http.MethodGet, "/api/v1/studies/:id/results/text/:question", analyst, s.resultsText},
		{http.MethodGet, "/api/v1/studies/:id/responses", analyst, s.exportResponses},
		{http.MethodDelete, "/api/v1/studies/:id/respondents/:rid", admin, s.eraseRespondent},
		{http.MethodGet, "/api/v1/norms", analyst, s.norms},
		{http.MethodPost, "/api/v1/plan", marketer, s.plan},
		{http.MethodPost, "/api/v1/webhooks", marketer, s.createWebhook},
		{http.MethodGet, "/api/v1/webhooks", marketer, s.listWebhooks},
		{http.MethodGet, "/api/v1/webhooks/:id", marketer, s.getWebhook},
		{http.MethodDelete, "/api/v1/webhooks/:id", marketer, s.deleteWebhook},
		{http.MethodGet, "/api/v1/webhooks/:id/deliveries", marketer, s.webhookDeliveries},
		{http.MethodPost, "/api/v1/webhooks/:id/deliveries/:delivery_id/redeliver", marketer, s.redeliver},

		{http.MethodPost, "/api/v1/auth/login", public, s.login},
		{http.MethodPost, "/api/v1/auth/logout", analyst, s.logout},
		{http.MethodGet, "/api/v1/auth/me", analyst, s.me},
		{http.MethodGet, "/api/v1/users", admin, s.listUsers},
		{http.MethodPost, "/api/v1/users", admin, s.createUser},
		{http.MethodDelete, "/api/v1/users/:id", admin, s.deleteUser},
		{http.MethodGet, "/api/v1/keys", admin, s.listKeys},
		{http.MethodPost, "/api/v1/keys", admin, s.createKey},
		{http.MethodDelete, "/api/v1/keys/:id", admin, s.revokeKey},
		{http.MethodGet, "/api/v1/audit", admin, s.auditLog},

		{http.MethodPost, "/api/v1/public/responses", public, s.submitResponse},
		{http.MethodGet, "/api/v1/public/studies/:public_key/assignment", public, s.assignment},
		{http.MethodGet, "/api/v1/public/studies/:public_key/eligibility", public, s.withStudyCORS(s.eligibility)},
		{http.MethodPost, "/api/v1/public/studies/:public_key/prompts", public, s.withStudyCORS(s.prompt)},
		{http.MethodPost, "/api/v1/public/studies/:public_key/responses", public, s.withStudyCORS(s.submitStudyResponse)},
		{http.MethodGet, pixelRoute, public, s.pixel},
		{http.MethodGet, "/s/:public_key", public, s.surveyPage},
		{http.MethodPost, "/s/:public_key", public, s.submitForm},
		{http.MethodGet, "/s/:public_key/thanks", public, s.thanks},
		{http.MethodGet, "/u/:public_key", public, s.unsubscribePage},
		{http.MethodPost, "/u/:public_key", public, s.unsubscribe},
		{http.MethodGet, "/static/*", public, echo.WrapHandler(frontend.Static())},
		{http.MethodGet, "/w/nps.js", public, echo.WrapHandler(frontend.Widget())},
	}
}

// unlimited are the public paths outside the per-IP rate limit: the pixel
// (an ad's impressions from one carrier NAT must not turn into broken
// images), static files, health checks, metrics and the API document.
var unlimited = []string{"/px/", "/static/", "/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"}

func (s *Server) register() {
	var limiter *rateLimiter
	if s.cfg.PublicRate > 0 {
		limiter = newRateLimiter(s.cfg.PublicRate)
	}
	for _, r := range s.routes() {
		h := r.handler
		if r.access != public {
			h = s.requireRole(r.access, h)
		} else if limiter != nil && !hasAnyPrefix(r.path, unlimited) {
			h = limiter.middleware(h)
		}
		s.echo.Add(r.method, r.path, h)
	}
	// Preflights sit outside the table: they are part of CORS, not of the
	// API, and name no operation of their own.
	for _, p := range corsPaths {
		s.echo.OPTIONS(p, s.preflight)
	}
	s.registerPages()
}

func hasAnyPrefix(path string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}
