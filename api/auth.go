package api

import (
	"errors"
	"net/http"
	"strings"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// access is what a route requires of its caller.
type access int

// Access levels, each including the ones below it.
const (
	public   access = iota // anyone, no credentials
	analyst                // any signed-in role
	marketer               // marketer or admin
	admin                  // admin only
)

func (a access) String() string {
	return [...]string{"public", "analyst", "marketer", "admin"}[a]
}

// level ranks a role on the same scale as access.
func level(r survey.Role) access {
	switch r {
	case survey.RoleAdmin:
		return admin
	case survey.RoleMarketer:
		return marketer
	case survey.RoleAnalyst:
		return analyst
	}
	return public
}

// Principal is who made a request.
type Principal struct {
	Role  survey.Role
	KeyID string // the API key used
}

const principalKey = "principal"

func principal(c echo.Context) Principal {
	p, _ := c.Get(principalKey).(Principal)
	return p
}

// requireRole authenticates the caller by API key and checks its role.
func (s *Server) requireRole(need access, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := s.authenticate(c)
		if err != nil {
			return err
		}
		if level(p.Role) < need {
			return newProblem(http.StatusForbidden, "forbidden",
				"this action needs the "+need.String()+" role; the caller is "+string(p.Role))
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

func (s *Server) authenticate(c echo.Context) (Principal, error) {
	unauthorized := func(detail string) error {
		p := newProblem(http.StatusUnauthorized, "unauthorized", detail)
		p.headers = map[string]string{"WWW-Authenticate": `Bearer realm="brandlift"`}
		return p
	}
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	if h == "" {
		return Principal{}, unauthorized("send an API key: Authorization: Bearer KEY")
	}
	scheme, key, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(key) == "" {
		return Principal{}, unauthorized("the Authorization header must be: Bearer KEY")
	}
	k, err := s.store.Authenticate(c.Request().Context(), strings.TrimSpace(key))
	if errors.Is(err, survey.ErrNotFound) {
		return Principal{}, unauthorized("the API key is unknown or revoked")
	}
	if err != nil {
		return Principal{}, err
	}
	return Principal{Role: k.Role, KeyID: k.ID}, nil
}
