package api

import (
	"errors"
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// NewKey is the body of POST /api/v1/keys.
type NewKey struct {
	Name string      `json:"name"`
	Role survey.Role `json:"role"`
}

// CreatedKey is a new key with its secret, shown this once.
type CreatedKey struct {
	Key    survey.APIKey `json:"key"`
	Secret string        `json:"secret"`
}

func (s *Server) listKeys(c echo.Context) error {
	keys, err := s.store.APIKeys(c.Request().Context())
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, map[string][]survey.APIKey{"keys": keys})
}

func (s *Server) createKey(c echo.Context) error {
	var in NewKey
	if err := decodeJSON(c, managementBodyLimit, &in); err != nil {
		return err
	}
	if _, err := survey.ParseRole(string(in.Role)); err != nil {
		return &survey.ValidationError{Errors: []survey.FieldError{{Field: "role", Message: err.Error()}}}
	}
	k, plain, err := s.store.CreateAPIKey(c.Request().Context(), in.Name, in.Role)
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "key.create", "", map[string]any{"key": k.ID, "name": k.Name, "role": k.Role})
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusCreated, CreatedKey{Key: k, Secret: plain})
}

func (s *Server) revokeKey(c echo.Context) error {
	k, err := s.revokeKeyAudited(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, k)
}

// revokeKeyAudited revokes the :id key and records it; the API and the
// admin page both revoke through it.
func (s *Server) revokeKeyAudited(c echo.Context) (survey.APIKey, error) {
	k, err := s.store.RevokeAPIKey(c.Request().Context(), c.Param("id"))
	if errors.Is(err, survey.ErrNotFound) {
		return k, notFound("key")
	}
	if err != nil {
		return k, err
	}
	s.audit(c, principal(c), "key.revoke", "", map[string]any{"key": k.ID, "name": k.Name})
	return k, nil
}
