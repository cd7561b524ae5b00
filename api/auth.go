package api

import (
	"crypto/subtle"
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

// Principal is who made a request: an API key or a signed-in user.
type Principal struct {
	Role    survey.Role
	KeyID   string // the API key used, if any
	KeyName string
	User    *survey.User // the dashboard user, if signed in
	session string       // the session cookie value, for logout
	csrf    string       // the session's CSRF token, for the dashboard's forms
}

// Actor names the principal in the audit log.
func (p Principal) Actor() string {
	if p.User != nil {
		return "user:" + p.User.Email
	}
	return "key:" + p.KeyID + " (" + p.KeyName + ")"
}

// SessionCookie is the dashboard's session cookie.
const SessionCookie = "brandlift_session"

// CSRFHeader carries the session's CSRF token on state-changing requests.
const CSRFHeader = "X-CSRF-Token"

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

func unauthorized(detail string) error {
	p := newProblem(http.StatusUnauthorized, "unauthorized", detail)
	p.headers = map[string]string{"WWW-Authenticate": `Bearer realm="brandlift"`}
	return p
}

// authenticate finds the caller: an API key in the Authorization header,
// else a dashboard session cookie. Requests that change state with a
// session must carry the session's CSRF token in a header, which a page of
// another site cannot read or send.
func (s *Server) authenticate(c echo.Context) (Principal, error) {
	h := c.Request().Header.Get(echo.HeaderAuthorization)
	if h == "" {
		if cookie, err := c.Cookie(SessionCookie); err == nil && cookie.Value != "" {
			return s.sessionPrincipal(c, cookie.Value)
		}
		return Principal{}, unauthorized("send an API key (Authorization: Bearer KEY) or sign in")
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
	return Principal{Role: k.Role, KeyID: k.ID, KeyName: k.Name}, nil
}

func (s *Server) sessionPrincipal(c echo.Context, token string) (Principal, error) {
	p, err := s.sessionOf(c, token)
	if err != nil {
		return Principal{}, err
	}
	switch c.Request().Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		sent := c.Request().Header.Get(CSRFHeader)
		if subtle.ConstantTimeCompare([]byte(sent), []byte(p.csrf)) != 1 {
			return Principal{}, newProblem(http.StatusForbidden, "csrf",
				"a request that changes data with a session cookie needs the session's token in the "+CSRFHeader+" header")
		}
	}
	return p, nil
}

// sessionOf finds the signed-in user of a session cookie, without the
// CSRF check (the dashboard's forms carry the token in a field).
func (s *Server) sessionOf(c echo.Context, token string) (Principal, error) {
	sess, err := s.store.SessionByToken(c.Request().Context(), token)
	if errors.Is(err, survey.ErrNotFound) {
		return Principal{}, unauthorized("the session has ended; sign in again")
	}
	if err != nil {
		return Principal{}, err
	}
	u := sess.User
	return Principal{Role: u.Role, User: &u, session: token, csrf: sess.CSRFToken}, nil
}
