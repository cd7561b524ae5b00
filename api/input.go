package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// textInputMiddleware holds every path segment and query parameter to the
// text rules (survey.TextProblem) before a handler sees them, so that no
// lookup ever sends the database a value it would refuse, and both
// databases answer alike: a path segment that breaks the rules names
// nothing that can exist (404); a query parameter is a 400 naming it.
//
// The respondent pages and the pixel are left to their handlers: a bad
// survey link gets the page that explains it, and the pixel always
// answers its image (its labels are cleaned, see survey.CleanLabel).
func (s *Server) textInputMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if route := c.Path(); strings.HasPrefix(route, "/s/") || strings.HasPrefix(route, "/px/") {
			return next(c)
		}
		for _, v := range c.ParamValues() {
			if survey.TextProblem(v) != "" {
				p := newProblem(http.StatusNotFound, "not-found", "no such resource: a path segment "+survey.TextProblem(v))
				return p
			}
		}
		for name, values := range c.QueryParams() {
			if msg := survey.TextProblem(name); msg != "" {
				return badParam(strconv.Quote(name), "the parameter name %s", msg)
			}
			for _, v := range values {
				if msg := survey.TextProblem(v); msg != "" {
					return badParam(name, "%s", msg)
				}
			}
		}
		return next(c)
	}
}
