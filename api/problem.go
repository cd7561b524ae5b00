package api

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// retryAfterSeconds is the Retry-After of a 503 while the database is
// away: short, because restarts and failovers take seconds, and clients
// that retry sooner than needed cost only a cheap refusal.
const retryAfterSeconds = "2"

// problemBase prefixes every problem type; the types are stable identifiers
// that clients may switch on (RFC 9457).
const problemBase = "urn:brandlift:problem:"

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type          string              `json:"type"`
	Title         string              `json:"title"`
	Status        int                 `json:"status"`
	Detail        string              `json:"detail,omitempty"`
	Instance      string              `json:"instance,omitempty"`
	RequestID     string              `json:"request_id,omitempty"`
	Errors        []survey.FieldError `json:"errors,omitempty"`
	CurrentStatus survey.Status       `json:"current_status,omitempty"`
	ValidValues   []string            `json:"valid_values,omitempty"`
	// Reason is why /readyz says not ready: unreachable, in_recovery,
	// read_only, disk_full or write_failed.
	Reason string `json:"reason,omitempty"`
	// NextEligibleAt is when a throttled respondent may be asked again.
	NextEligibleAt *time.Time `json:"next_eligible_at,omitempty"`
	// Import is the report of an impression log of which no row was taken.
	Import *survey.ImpressionImport `json:"import,omitempty"`

	headers map[string]string
	cause   error // logged server-side, never sent
}

func (p *Problem) Error() string {
	if p.cause != nil {
		return p.Title + ": " + p.cause.Error()
	}
	return p.Title + ": " + p.Detail
}

// Unwrap exposes the cause to errors.Is and errors.As.
func (p *Problem) Unwrap() error { return p.cause }

func newProblem(status int, slug, detail string) *Problem {
	return &Problem{Type: problemBase + slug, Title: http.StatusText(status), Status: status, Detail: detail}
}

func badRequest(detail string, fields ...survey.FieldError) *Problem {
	p := newProblem(http.StatusBadRequest, "bad-request", detail)
	p.Errors = fields
	return p
}

func badParam(name, format string, args ...any) *Problem {
	msg := fmt.Sprintf(format, args...)
	return badRequest(name+": "+msg, survey.FieldError{Field: name, Message: msg})
}

func notFound(what string) *Problem {
	return newProblem(http.StatusNotFound, "not-found", what+" not found")
}

// toProblem maps any error to the problem the client sees. Errors of the
// domain keep their meaning; anything else is a 500 whose detail says
// nothing about the cause.
func toProblem(err error) *Problem {
	var p *Problem
	var ve *survey.ValidationError
	var ce *survey.ConflictError
	var he *echo.HTTPError
	switch {
	case errors.As(err, &p):
		return p
	case errors.As(err, &ve):
		p := newProblem(http.StatusUnprocessableEntity, "validation", fmt.Sprintf("%d invalid field(s)", len(ve.Errors)))
		p.Errors = ve.Errors
		return p
	case errors.As(err, &ce):
		p := newProblem(http.StatusConflict, "conflict", ce.Detail)
		p.CurrentStatus = ce.Status
		if ce.Field != "" {
			p.Errors = []survey.FieldError{{Field: ce.Field, Message: ce.Detail}}
		}
		return p
	case errors.Is(err, survey.ErrNotFound):
		return notFound("resource")
	case errors.As(err, &he):
		return httpProblem(he)
	case errors.Is(err, store.ErrRefused):
		p := newProblem(http.StatusUnprocessableEntity, "validation", "the database refused a value of this submission; it was not stored")
		p.cause = err
		return p
	case store.IsUnavailable(err):
		p := newProblem(http.StatusServiceUnavailable, "unavailable",
			"the database is unavailable for a moment; retry after "+retryAfterSeconds+" s (a retried submission is never stored twice)")
		p.headers = map[string]string{"Retry-After": retryAfterSeconds}
		p.cause = err
		return p
	default:
		p := newProblem(http.StatusInternalServerError, "internal", "the server failed; the request id identifies the failure in its log")
		p.cause = err
		return p
	}
}

// httpProblem converts Echo's own errors (404 route, 405 method, 413 body).
func httpProblem(he *echo.HTTPError) *Problem {
	slug := map[int]string{
		http.StatusNotFound:              "not-found",
		http.StatusMethodNotAllowed:      "method-not-allowed",
		http.StatusRequestEntityTooLarge: "too-large",
		http.StatusUnauthorized:          "unauthorized",
		http.StatusForbidden:             "forbidden",
		http.StatusUnsupportedMediaType:  "unsupported-media-type",
		http.StatusTooManyRequests:       "rate-limited",
	}[he.Code]
	if slug == "" {
		slug = "http"
	}
	detail := http.StatusText(he.Code)
	if m, ok := he.Message.(string); ok && he.Code < 500 {
		detail = m
	}
	p := newProblem(he.Code, slug, detail)
	if he.Code >= 500 {
		p.cause = he
	}
	return p
}

// errorHandler is the one place errors become responses: problem+json for
// every error, the raw cause logged once with the request id.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			log.Error("error after response started", "request_id", requestID(c), "err", err)
			return
		}
		p := toProblem(err)
		if p.Status == http.StatusNotFound && p.Detail == http.StatusText(http.StatusNotFound) {
			p.Detail = "no route " + c.Request().Method + " " + c.Request().URL.Path
		}
		if p.Status == http.StatusMethodNotAllowed {
			p.Detail = c.Request().Method + " is not allowed on " + c.Request().URL.Path
		}
		p.Instance = c.Request().URL.Path
		p.RequestID = requestID(c)
		switch {
		case p.Status == http.StatusServiceUnavailable && p.Type == problemBase+"unavailable":
			log.Warn("database unavailable", "request_id", p.RequestID, "method", c.Request().Method,
				"path", logPath(c), "err", err)
		case p.Status == http.StatusServiceUnavailable:
			// not ready: the handler said why, once
		case p.Status >= 500, p.cause != nil:
			log.Error("request failed", "request_id", p.RequestID, "method", c.Request().Method,
				"path", logPath(c), "err", err)
		}
		for k, v := range p.headers {
			c.Response().Header().Set(k, v)
		}
		writeProblem(c, p)
	}
}

func writeProblem(c echo.Context, p *Problem) {
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().Header().Set("Cache-Control", "no-store")
	if c.Request().Method == http.MethodHead {
		c.NoContent(p.Status)
		return
	}
	c.Response().WriteHeader(p.Status)
	enc := jsonEncoder(c.Response())
	enc.Encode(p)
}
