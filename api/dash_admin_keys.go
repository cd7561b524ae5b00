package api

import (
	"errors"
	"net/http"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// keysBody is the API keys page's model.
type keysBody struct {
	Keys    []survey.APIKey
	Confirm *survey.APIKey // the key whose revocation is being confirmed
	// Created and Secret are the key just made, shown on this answer only.
	Created *survey.APIKey
	Secret  string
	Form    NewKey
	Errors  frontend.FieldErrors
	Roles   []string
}

func (s *Server) keysPage(c echo.Context) error {
	return s.renderKeys(c, http.StatusOK, &keysBody{Form: NewKey{Role: survey.RoleAnalyst}}, c.QueryParam("confirm"))
}

func (s *Server) renderKeys(c echo.Context, status int, b *keysBody, confirm string) error {
	keys, err := s.store.APIKeys(c.Request().Context())
	if err != nil {
		return err
	}
	b.Keys, b.Roles = keys, roleNames
	if confirm != "" {
		for i := range keys {
			if keys[i].ID == confirm && keys[i].RevokedAt == nil {
				b.Confirm = &keys[i]
			}
		}
		if b.Confirm == nil {
			return notFound("key")
		}
	}
	return s.page(c, status, "dash_admin_keys", s.dash(c, "admin_keys_title", "admin", b))
}

func (s *Server) createKeyForm(c echo.Context) error {
	in := NewKey{Name: c.FormValue("name"), Role: survey.Role(c.FormValue("role"))}
	if _, err := survey.ParseRole(string(in.Role)); err != nil {
		v := &survey.ValidationError{Errors: []survey.FieldError{{Field: "role", Message: err.Error()}}}
		return s.renderKeys(c, http.StatusUnprocessableEntity, &keysBody{Form: in, Errors: accountErrors(c, v)}, "")
	}
	k, plain, err := s.store.CreateAPIKey(c.Request().Context(), in.Name, in.Role)
	var v *survey.ValidationError
	if errors.As(err, &v) {
		return s.renderKeys(c, http.StatusUnprocessableEntity, &keysBody{Form: in, Errors: accountErrors(c, v)}, "")
	}
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "key.create", "", map[string]any{"key": k.ID, "name": k.Name, "role": k.Role})
	// Shown on this answer only (no redirect: the key would be in a URL or
	// would have to be stored); the page is no-store like every page.
	return s.renderKeys(c, http.StatusOK, &keysBody{Created: &k, Secret: plain, Form: NewKey{Role: survey.RoleAnalyst}}, "")
}

func (s *Server) revokeKeyForm(c echo.Context) error {
	if _, err := s.revokeKeyAudited(c); err != nil {
		return err
	}
	return redirect(c, "/dashboard/admin/keys", "notice_key_revoked")
}
