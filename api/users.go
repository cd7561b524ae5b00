package api

import (
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// NewUser is the body of POST /api/v1/users.
type NewUser struct {
	Email    string      `json:"email"`
	Role     survey.Role `json:"role"`
	Password string      `json:"password"`
}

func (s *Server) listUsers(c echo.Context) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, map[string][]survey.User{"users": users})
}

func (s *Server) createUser(c echo.Context) error {
	var in NewUser
	if err := decodeJSON(c, managementBodyLimit, &in); err != nil {
		return err
	}
	u, err := s.store.CreateUser(c.Request().Context(), in.Email, in.Role, in.Password)
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "user.create", "", map[string]any{"user": u.Email, "role": u.Role})
	return writeJSON(c, http.StatusCreated, u)
}

func (s *Server) deleteUser(c echo.Context) error {
	u, err := s.store.DisableUser(c.Request().Context(), c.Param("id"))
	if err != nil {
		if err == survey.ErrNotFound {
			return notFound("user")
		}
		return err
	}
	s.audit(c, principal(c), "user.delete", "", map[string]any{"user": u.Email})
	return c.NoContent(http.StatusNoContent)
}
