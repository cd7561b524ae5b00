package api

import "github.com/labstack/echo/v4"

// Placeholder until the results pages land (issue 12): 404.

func (s *Server) resultsPage(c echo.Context) error     { return notFound("page") }
func (s *Server) reportPage(c echo.Context) error      { return notFound("page") }
func (s *Server) textAnswersPage(c echo.Context) error { return notFound("page") }
