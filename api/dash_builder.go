package api

import "github.com/labstack/echo/v4"

// Placeholder until the builder lands (issue 12): these pages answer 404.

func (s *Server) newStudyPage(c echo.Context) error  { return notFound("page") }
func (s *Server) newStudyForm(c echo.Context) error  { return notFound("page") }
func (s *Server) editStudyPage(c echo.Context) error { return notFound("page") }
func (s *Server) editStudyForm(c echo.Context) error { return notFound("page") }
func (s *Server) previewPage(c echo.Context) error   { return notFound("page") }
