package api

import (
	"net/http"

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

		{http.MethodPost, "/api/v1/studies", marketer, s.createStudy},
		{http.MethodGet, "/api/v1/studies", analyst, s.listStudies},
		{http.MethodGet, "/api/v1/studies/:id", analyst, s.getStudy},
		{http.MethodPatch, "/api/v1/studies/:id", marketer, s.patchStudy},
		{http.MethodDelete, "/api/v1/studies/:id", admin, s.deleteStudy},
		{http.MethodPost, "/api/v1/studies/:id/launch", marketer, s.lifecycle(survey.Launch)},
		{http.MethodPost, "/api/v1/studies/:id/pause", marketer, s.lifecycle(survey.Pause)},
		{http.MethodPost, "/api/v1/studies/:id/resume", marketer, s.lifecycle(survey.Resume)},
		{http.MethodPost, "/api/v1/studies/:id/close", marketer, s.lifecycle(survey.Close)},
		{http.MethodPost, "/api/v1/studies/:id/links", marketer, s.createLinks},
		{http.MethodGet, "/api/v1/studies/:id/results", analyst, s.results},
		{http.MethodGet, "/api/v1/studies/:id/results/trend", analyst, s.resultsTrend},
		{http.MethodGet, "/api/v1/studies/:id/results/text/:question", analyst, s.resultsText},
		{http.MethodDelete, "/api/v1/studies/:id/respondents/:rid", admin, s.eraseRespondent},

		{http.MethodPost, "/api/v1/public/responses", public, s.submitResponse},
		{http.MethodGet, "/api/v1/public/studies/:public_key/assignment", public, s.assignment},
		{http.MethodGet, "/px/:public_key", public, s.pixel},
		{http.MethodGet, "/s/:public_key", public, s.surveyPage},
		{http.MethodPost, "/s/:public_key", public, s.submitForm},
		{http.MethodGet, "/s/:public_key/thanks", public, s.thanks},
		{http.MethodGet, "/static/*", public, echo.WrapHandler(frontend.Static())},
	}
}

func (s *Server) register() {
	for _, r := range s.routes() {
		h := r.handler
		if r.access != public {
			h = s.requireRole(r.access, h)
		}
		s.echo.Add(r.method, r.path, h)
	}
}
