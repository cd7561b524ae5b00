package api

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
)

// signInBody is the sign-in page's model.
type signInBody struct {
	Next    string
	Email   string
	Error   string
	NoUsers bool // an empty database: the page says how to create the first admin
}

func (s *Server) signInPage(c echo.Context) error {
	c.Set(langKey, acceptLang(c))
	next := localPath(c.QueryParam("next"), "/dashboard")
	if cookie, err := c.Cookie(SessionCookie); err == nil && cookie.Value != "" {
		if _, err := s.sessionOf(c, cookie.Value); err == nil {
			return c.Redirect(http.StatusSeeOther, next)
		}
	}
	return s.signInView(c, http.StatusOK, signInBody{Next: next})
}

func (s *Server) signInView(c echo.Context, status int, body signInBody) error {
	n, err := s.store.CountUsers(c.Request().Context())
	if err != nil {
		return s.pageError(c, err)
	}
	body.NoUsers = n == 0
	return s.page(c, status, "dash_login", s.dash(c, "dash_sign_in_title", "", body))
}

// signInForm checks the form's email and password with the API's rules
// (throttle, audit) and goes on to the page the user came for, or to the
// studies list.
func (s *Server) signInForm(c echo.Context) error {
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, managementBodyLimit)
	lang := c.FormValue("lang")
	if lang != "ru" && lang != "en" {
		lang = acceptLang(c)
	}
	c.Set(langKey, lang)
	body := signInBody{Next: localPath(c.FormValue("next"), "/dashboard"), Email: c.FormValue("email")}
	reply, err := s.signIn(c, body.Email, c.FormValue("password"))
	var p *Problem
	switch {
	case errors.As(err, &p) && p.Status == http.StatusUnauthorized:
		body.Error = tr(c, "dash_sign_in_wrong")
		return s.signInView(c, http.StatusUnauthorized, body)
	case errors.As(err, &p) && p.Status == http.StatusTooManyRequests:
		for k, v := range p.headers {
			c.Response().Header().Set(k, v)
		}
		body.Error = tr(c, "dash_sign_in_throttled")
		return s.signInView(c, http.StatusTooManyRequests, body)
	case err != nil:
		return s.pageError(c, err)
	}
	if reply.User.Language == "" && lang != "" {
		// The language the user signed in with is theirs until they switch.
		if err := s.store.SetUserLanguage(c.Request().Context(), reply.User.ID, lang); err != nil {
			s.log.Warn("cannot remember the user's language", "request_id", requestID(c), "err", err)
		}
	}
	return c.Redirect(http.StatusSeeOther, body.Next)
}

func (s *Server) signOutForm(c echo.Context) error {
	if err := s.endSession(c, principal(c)); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login?lang="+dashLang(c))
}

// languageForm remembers the language the user switched to.
func (s *Server) languageForm(c echo.Context) error {
	lang := c.FormValue("lang")
	if err := s.store.SetUserLanguage(c.Request().Context(), userOf(c).ID, lang); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, localPath(c.FormValue("next"), "/dashboard"))
}
