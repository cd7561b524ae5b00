package api

import (
	"errors"
	"net/http"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// SubmitBody is the body of POST /api/v1/public/responses.
type SubmitBody struct {
	Token   string         `json:"token"`
	Answers map[string]any `json:"answers"`
	Locale  string         `json:"locale"`
	// Started is the survey page's signed start stamp. When it verifies,
	// the duration is measured by the server and wins over StartedAt and
	// DurationMs.
	Started string `json:"started"`
	// StartedAt is when the respondent started, from a panel that renders
	// its own survey (RFC 3339); the duration is then the time since.
	StartedAt *time.Time `json:"started_at"`
	// DurationMs is how long the respondent took, in milliseconds, as the
	// panel measured it; with StartedAt too, the two must agree (see
	// survey.ResponseTiming). Durations decide the speeder flag.
	DurationMs *int64 `json:"duration_ms"`
	// Consent must be true when the study asks for consent.
	Consent bool `json:"consent"`
	// ConsentVersion is the consent version shown to the respondent, when
	// the client shows the text itself; 0 or absent means the current one.
	ConsentVersion int `json:"consent_version"`
	// Ask is the widget's ask id (from eligibility) in an nps program:
	// each ask is answered once, and the throttle window applies.
	Ask string `json:"ask"`
}

// SubmitReply says where a submission went.
type SubmitReply struct {
	ID     string `json:"id"`
	Status string `json:"status"` // created, or duplicate (nothing new stored)
}

func (s *Server) submitResponse(c echo.Context) error {
	body, err := readJSONBody(c, publicBodyLimit)
	if err != nil {
		return err
	}
	var in SubmitBody
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	if in.Token == "" {
		return badParam("token", "is required")
	}
	if pk := c.Param("public_key"); pk != "" {
		if t, err := survey.PeekToken(in.Token); err == nil && t.Study != pk {
			return badParam("token", "is for another study than the path names")
		}
	}
	raw, err := decodeAnswers(body)
	if err != nil {
		return err
	}
	res, err := s.store.Submit(c.Request().Context(), survey.SubmitRequest{
		Token: in.Token, Answers: raw, Locale: in.Locale, Started: in.Started, StartedAt: in.StartedAt, DurationMs: in.DurationMs,
		Consent: in.Consent, ConsentVersion: in.ConsentVersion, Ask: in.Ask, UserAgent: c.Request().UserAgent(),
	})
	if err != nil {
		return submitError(err)
	}
	if res.Duplicate {
		return writeJSON(c, http.StatusOK, SubmitReply{ID: res.ResponseID, Status: "duplicate"})
	}
	return writeJSON(c, http.StatusCreated, SubmitReply{ID: res.ResponseID, Status: "created"})
}

// decodeAnswers re-reads the answers with numbers kept exact, so that 9.5
// is refused for an NPS answer instead of being truncated.
func decodeAnswers(body []byte) (map[string]any, error) {
	var doc struct {
		Answers map[string]any `json:"answers"`
	}
	if err := decodeNumbers(body, &doc); err != nil {
		return nil, badRequest("malformed answers")
	}
	if doc.Answers == nil {
		return map[string]any{}, nil
	}
	return doc.Answers, nil
}

// submitError maps the outcomes of a submission to problems.
func submitError(err error) error {
	var conflict *survey.ConflictError
	var throttled *survey.ThrottledError
	switch {
	case errors.Is(err, survey.ErrTokenExpired):
		p := newProblem(http.StatusForbidden, "token-expired", "the survey link has expired")
		p.Errors = []survey.FieldError{{Field: "token", Message: "expired"}}
		return p
	case errors.Is(err, survey.ErrTokenSignature):
		p := newProblem(http.StatusForbidden, "token-invalid", "the token's signature does not match this study")
		p.Errors = []survey.FieldError{{Field: "token", Message: "signature does not match"}}
		return p
	case errors.Is(err, survey.ErrTokenMalformed):
		return badRequest(err.Error(), survey.FieldError{Field: "token", Message: err.Error()})
	case errors.Is(err, survey.ErrNotFound):
		return notFound("study")
	case errors.Is(err, survey.ErrGroupFull):
		return newProblem(http.StatusConflict, "survey-full", err.Error())
	case errors.Is(err, survey.ErrWaveClosed):
		return newProblem(http.StatusConflict, "wave-closed", err.Error())
	case errors.As(err, &throttled):
		p := newProblem(http.StatusConflict, "throttled", err.Error())
		until := throttled.Until.UTC()
		p.NextEligibleAt = &until
		return p
	case errors.As(err, &conflict):
		return err
	}
	return err
}
