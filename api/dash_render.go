package api

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/labstack/echo/v4"
)

// dash starts a dashboard page's model: the language, the signed-in user,
// the form token and the notice a redirect asked to show.
func (s *Server) dash(c echo.Context, titleKey, nav string, body any) *frontend.Dash {
	lang := dashLang(c)
	d := &frontend.Dash{Lang: lang, Title: frontend.T(lang, titleKey), Nav: nav,
		Path: c.Request().URL.RequestURI(), Body: body}
	p := principal(c)
	if p.User != nil {
		d.User = &frontend.DashUser{Email: p.User.Email, Role: string(p.Role),
			CanEdit: level(p.Role) >= marketer, IsAdmin: level(p.Role) >= admin}
		d.CSRF = p.csrf
	}
	if n := c.QueryParam("notice"); strings.HasPrefix(n, "notice_") && frontend.T(lang, n) != n {
		d.Notice = n
	}
	return d
}

// page renders a dashboard page with the survey page's security headers;
// no other site may frame it.
func (s *Server) page(c echo.Context, status int, name string, d *frontend.Dash) error {
	d.Nonce = newNonce()
	var buf bytes.Buffer
	if err := frontend.RenderDash(&buf, name, d); err != nil {
		return err
	}
	return writePage(c, status, buf.Bytes(), d.Nonce, "'none'", "same-origin")
}

// redirect ends a form post on the page it changed (post, redirect, get),
// with a notice to show there.
func redirect(c echo.Context, path, notice string) error {
	if notice != "" {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		path += sep + "notice=" + notice
	}
	return c.Redirect(http.StatusSeeOther, path)
}

// ErrorBody is the model of the error page.
type errorBody struct {
	Text      string
	Detail    string
	RequestID string
}

// pageError turns a page handler's error into a page in the user's
// language with the status the API would answer; failures are logged as
// the API's error handler logs them.
func (s *Server) pageError(c echo.Context, err error) error {
	if c.Response().Committed {
		s.log.Error("error after response started", "request_id", requestID(c), "err", err)
		return nil
	}
	p := toProblem(err)
	key := "dash_err_internal"
	switch {
	case p.Status == http.StatusNotFound:
		key = "dash_err_not_found"
	case p.Status == http.StatusForbidden:
		key = "dash_err_forbidden"
	case p.Status == http.StatusConflict:
		key = "dash_err_conflict"
	case p.Status == http.StatusServiceUnavailable:
		key = "dash_err_unavailable"
		c.Response().Header().Set("Retry-After", retryAfterSeconds)
	case p.Status == http.StatusTooManyRequests:
		key = "dash_err_throttled"
	case p.Status < 500:
		key = "dash_err_bad"
	}
	body := errorBody{Text: frontend.T(dashLang(c), key+"_text")}
	if p.Status < 500 {
		body.Detail = p.Detail
	} else {
		body.RequestID = requestID(c)
		if p.Status == http.StatusServiceUnavailable {
			s.log.Warn("database unavailable", "request_id", body.RequestID, "method", c.Request().Method, "path", logPath(c), "err", err)
		} else {
			s.log.Error("request failed", "request_id", body.RequestID, "method", c.Request().Method, "path", logPath(c), "err", err)
		}
	}
	for k, v := range p.headers {
		c.Response().Header().Set(k, v)
	}
	return s.page(c, p.Status, "dash_error", s.dash(c, key, "", body))
}
