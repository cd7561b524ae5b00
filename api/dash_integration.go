package api

import "github.com/labstack/echo/v4"

// Placeholder until the integration panel lands (issue 12): 404.

func (s *Server) integrationPage(c echo.Context) error  { return notFound("page") }
func (s *Server) linksForm(c echo.Context) error        { return notFound("page") }
func (s *Server) revealSecretForm(c echo.Context) error { return notFound("page") }
func (s *Server) rotateForm(c echo.Context) error       { return notFound("page") }
