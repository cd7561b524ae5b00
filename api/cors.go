package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// corsPaths are the public endpoints the widget calls from a customer's
// page on another origin; each names its study, whose widget_origins say
// which origins may.
var corsPaths = []string{
	"/api/v1/public/studies/:public_key/eligibility",
	"/api/v1/public/studies/:public_key/prompts",
	"/api/v1/public/studies/:public_key/responses",
}

// crossOrigin is the Origin of a request from a page on another origin,
// or "" for a same-origin request or one outside a browser.
func crossOrigin(r *http.Request) string {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return ""
	}
	if u, err := url.Parse(origin); err == nil && strings.EqualFold(u.Host, r.Host) {
		return ""
	}
	return origin
}

// withStudyCORS lets a browser on one of the study's widget origins call
// h and read its answer. A cross-origin request from any other origin is
// refused before h runs, so it stores nothing.
func (s *Server) withStudyCORS(h echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		origin := crossOrigin(c.Request())
		if origin == "" {
			return h(c)
		}
		c.Response().Header().Add("Vary", "Origin")
		if err := s.allowOrigin(c, origin); err != nil {
			return err
		}
		c.Response().Header().Set("Access-Control-Allow-Origin", origin)
		return h(c)
	}
}

// preflight answers a browser's OPTIONS before a widget's POST.
func (s *Server) preflight(c echo.Context) error {
	h := c.Response().Header()
	h.Add("Vary", "Origin")
	origin := crossOrigin(c.Request())
	if origin == "" {
		return c.NoContent(http.StatusNoContent)
	}
	if err := s.allowOrigin(c, origin); err != nil {
		return err
	}
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", "GET, POST")
	h.Set("Access-Control-Allow-Headers", "Content-Type")
	h.Set("Access-Control-Max-Age", "600")
	return c.NoContent(http.StatusNoContent)
}

// allowOrigin refuses an origin the path's study does not list.
func (s *Server) allowOrigin(c echo.Context, origin string) error {
	st, err := s.store.PublicStudy(c.Request().Context(), c.Param("public_key"))
	if err != nil {
		return studyError(err)
	}
	if !st.WidgetOrigin(origin) {
		p := newProblem(http.StatusForbidden, "origin-not-allowed",
			"pages on "+origin+" may not call this study's public API; add the origin to the study's widget_origins")
		p.Errors = []survey.FieldError{{Field: "Origin", Message: "not in the study's widget_origins"}}
		return p
	}
	return nil
}
