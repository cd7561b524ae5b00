package api

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// LoginRequest is the body of POST /api/v1/auth/login.
type LoginRequest struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// LoginReply is the signed-in user and the CSRF token to send back.
type LoginReply struct {
	User      survey.User `json:"user"`
	CSRFToken string      `json:"csrf_token"`
}

// Me says who the caller is.
type Me struct {
	Role  survey.Role  `json:"role"`
	User  *survey.User `json:"user,omitempty"`
	KeyID string       `json:"key_id,omitempty"`
}

func (s *Server) login(c echo.Context) error {
	var in LoginRequest
	if err := decodeJSON(c, managementBodyLimit, &in); err != nil {
		return err
	}
	reply, err := s.signIn(c, in.Email, in.Password)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, reply)
}

// signIn checks a password under the sign-in throttle, starts a session
// and sets its cookie: the API's login and the dashboard's sign-in form
// both come here, so they refuse and record the same things.
func (s *Server) signIn(c echo.Context, email, password string) (LoginReply, error) {
	ctx := c.Request().Context()
	// No account has an email longer than the limit; cutting what was
	// typed keeps a huge body out of the throttle table and the audit log.
	typed := truncateRunes(email, survey.MaxEmailLength)
	keys := []string{"email:" + strings.ToLower(strings.TrimSpace(typed)), "ip:" + c.RealIP()}
	blocked, wait, err := s.store.LoginBlocked(ctx, keys...)
	if err != nil {
		return LoginReply{}, err
	}
	if blocked {
		s.auditLoginFailure(c, typed, "throttled")
		secs := strconv.Itoa(int(wait.Seconds()) + 1)
		p := newProblem(http.StatusTooManyRequests, "login-throttled",
			"too many failed sign-ins for this account or address; retry in "+secs+" s")
		p.headers = map[string]string{"Retry-After": secs}
		return LoginReply{}, p
	}
	u, err := s.store.CheckPassword(ctx, email, password)
	if errors.Is(err, survey.ErrBadCredentials) {
		if err := s.store.RecordLoginFailure(ctx, keys...); err != nil {
			return LoginReply{}, err
		}
		s.auditLoginFailure(c, typed, "wrong_credentials")
		return LoginReply{}, unauthorized("wrong email or password")
	}
	if err != nil {
		return LoginReply{}, err
	}
	token, sess, err := s.store.CreateSession(ctx, u)
	if err != nil {
		return LoginReply{}, err
	}
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https", Expires: sess.ExpiresAt,
		MaxAge: int(survey.SessionTTL.Seconds())})
	s.audit(c, Principal{User: &u}, "user.login", "", nil)
	return LoginReply{User: u, CSRFToken: sess.CSRFToken}, nil
}

func (s *Server) logout(c echo.Context) error {
	if err := s.endSession(c, principal(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// endSession deletes the caller's session, if it has one, and clears the
// cookie.
func (s *Server) endSession(c echo.Context, p Principal) error {
	if p.session != "" {
		if err := s.store.DeleteSession(c.Request().Context(), p.session); err != nil {
			return err
		}
	}
	c.SetCookie(&http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: c.Scheme() == "https", Expires: time.Unix(0, 0), MaxAge: -1})
	return nil
}

func (s *Server) me(c echo.Context) error {
	p := principal(c)
	return writeJSON(c, http.StatusOK, Me{Role: p.Role, User: p.User, KeyID: p.KeyID})
}

// auditLoginFailure records a failed sign-in: the email as typed and the
// address, never the password. Nobody is signed in, so the actor is
// "anonymous".
func (s *Server) auditLoginFailure(c echo.Context, email, reason string) {
	detail := map[string]any{"email": email, "ip": c.RealIP(), "reason": reason}
	if err := s.store.Audit(c.Request().Context(), "anonymous", "user.login_failed", "", detail); err != nil {
		s.log.Error("audit event lost", "request_id", requestID(c), "action", "user.login_failed", "err", err)
	}
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
