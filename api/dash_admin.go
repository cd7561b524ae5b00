package api

import "github.com/labstack/echo/v4"

// Placeholder until the admin pages land (issue 12): 404.

func (s *Server) usersPage(c echo.Context) error      { return notFound("page") }
func (s *Server) createUserForm(c echo.Context) error { return notFound("page") }
func (s *Server) deleteUserForm(c echo.Context) error { return notFound("page") }
func (s *Server) keysPage(c echo.Context) error       { return notFound("page") }
func (s *Server) createKeyForm(c echo.Context) error  { return notFound("page") }
func (s *Server) revokeKeyForm(c echo.Context) error  { return notFound("page") }
func (s *Server) auditPage(c echo.Context) error      { return notFound("page") }
