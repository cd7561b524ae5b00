package api

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// pageBodyLimit bounds a dashboard form: a builder form of the largest
// study, or a CSV of 10,000 respondents for links.
const pageBodyLimit = 8 << 20

const langKey = "dash_lang"

// requirePage guards a dashboard page: the caller must be signed in (a
// page request without a session goes to the sign-in page, which comes
// back here), must have the role, and a form that changes data must carry
// the session's CSRF token. Errors become pages in the user's language.
func (s *Server) requirePage(need access, next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		c.Set(langKey, acceptLang(c))
		cookie, err := c.Cookie(SessionCookie)
		if err != nil || cookie.Value == "" {
			return s.toSignIn(c)
		}
		p, err := s.sessionOf(c, cookie.Value)
		if err != nil {
			var pr *Problem
			if errors.As(err, &pr) && pr.Status == http.StatusUnauthorized {
				return s.toSignIn(c)
			}
			return s.pageError(c, err)
		}
		c.Set(principalKey, p)
		if l := p.User.Language; l != "" {
			c.Set(langKey, l)
		}
		if req.Method == http.MethodPost {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, pageBodyLimit)
			if err := parsePageForm(req); err != nil {
				return s.pageError(c, err)
			}
			sent := c.FormValue("csrf")
			if sent == "" {
				sent = req.Header.Get(CSRFHeader)
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(p.csrf)) != 1 {
				return s.pageError(c, newProblem(http.StatusForbidden, "csrf",
					"the form is out of date (its security token does not match the session); reload the page and try again"))
			}
		}
		if level(p.Role) < need {
			return s.pageError(c, newProblem(http.StatusForbidden, "forbidden",
				"this page needs the "+need.String()+" role; you are "+string(p.Role)))
		}
		if err := next(c); err != nil {
			return s.pageError(c, err)
		}
		return nil
	}
}

// parsePageForm reads a form post up front, so that a body over the
// limit is said as such (413) rather than as a form without its token.
func parsePageForm(req *http.Request) error {
	var err error
	if strings.HasPrefix(req.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm) {
		err = req.ParseMultipartForm(pageBodyLimit)
	} else {
		err = req.ParseForm()
	}
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return newProblem(http.StatusRequestEntityTooLarge, "too-large", "the form is larger than 8 MiB; send fewer rows at a time")
	case err != nil:
		return badRequest("the form cannot be read: " + err.Error())
	}
	return nil
}

// toSignIn sends a page request without a session to the sign-in page,
// which returns to it afterwards.
func (s *Server) toSignIn(c echo.Context) error {
	next := c.Request().URL.RequestURI()
	if c.Request().Method != http.MethodGet {
		next = "/dashboard"
	}
	return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(next))
}

// dashLang is the language of the page being served.
func dashLang(c echo.Context) string {
	if l, ok := c.Get(langKey).(string); ok && l != "" {
		return l
	}
	return acceptLang(c)
}

// acceptLang is ?lang=, then the browser's first language we have,
// Russian otherwise.
func acceptLang(c echo.Context) string {
	return pickLang(c, nil, "")
}

// localPath keeps a redirect target on this site: a path, never another
// origin ("//evil.example" or "https://...").
func localPath(next, fallback string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return next
}

// canEdit reports whether the caller may build, launch and wire studies.
func canEdit(c echo.Context) bool { return level(principal(c).Role) >= marketer }

// userOf is the principal's user, for pages (always signed in).
func userOf(c echo.Context) *survey.User { return principal(c).User }
