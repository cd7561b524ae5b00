package api

import (
	"net/http"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// Eligibility answers the widget's "may I ask this person now?".
type Eligibility struct {
	Eligible bool `json:"eligible"`
	// Reason is why not: throttled (answered or dismissed within the
	// window, see NextEligibleAt), answered (this ask was answered),
	// not_live (the study is paused or closed).
	Reason         string     `json:"reason,omitempty"`
	NextEligibleAt *time.Time `json:"next_eligible_at"`
	// Ask is the ask to send with the prompt events and the answer: the
	// one given, or a new one when none was.
	Ask string `json:"ask"`
	// Survey is what the widget shows, in the respondent's language.
	Survey *WidgetSurvey `json:"survey,omitempty"`
}

// WidgetSurvey is an nps program's score question and optional comment
// question, in one locale.
type WidgetSurvey struct {
	Locale   string          `json:"locale"`
	Brand    string          `json:"brand"`
	Question WidgetQuestion  `json:"question"`
	Comment  *WidgetQuestion `json:"comment"`
}

// WidgetQuestion is one question's key and text.
type WidgetQuestion struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// PromptBody is the body of POST .../prompts: the widget showed its
// survey, or the person closed it without answering.
type PromptBody struct {
	Token string `json:"token"`
	Ask   string `json:"ask"`
	Event string `json:"event"` // shown, dismissed
}

// PromptReply says whether the event was recorded (each ask records each
// event once).
type PromptReply struct {
	Recorded bool `json:"recorded"`
}

// eligibility tells the widget (or a mailer of one's own) whether to ask
// a person now. It stores nothing.
func (s *Server) eligibility(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := s.programStudy(c)
	if err != nil {
		return err
	}
	ask := c.QueryParam("ask")
	if ask != "" {
		if msg := survey.AskProblem(ask); msg != "" {
			return badParam("ask", "%s", msg)
		}
	}
	token := c.QueryParam("t")
	if token == "" {
		return badParam("t", "is required: the respondent's signed token")
	}
	who, err := s.store.Respondent(ctx, st, token)
	if err != nil {
		return submitError(err)
	}
	out := Eligibility{Ask: ask}
	if st.Status != survey.StatusLive {
		out.Reason = "not_live"
		return writeJSON(c, http.StatusOK, out)
	}
	e, err := s.store.Eligible(ctx, st, who, ask, time.Now().UTC())
	if err != nil {
		return err
	}
	out.Eligible, out.Reason = e.Eligible, e.Reason
	if !e.Until.IsZero() {
		until := e.Until.UTC()
		out.NextEligibleAt = &until
	}
	if out.Eligible {
		if out.Ask == "" {
			out.Ask = survey.NewAsk()
		}
		out.Survey = widgetSurvey(st, pickLocale(st, c.QueryParam("locale"), who.Token.Locale))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return writeJSON(c, http.StatusOK, out)
}

// prompt records the widget's shown and dismissed events.
func (s *Server) prompt(c echo.Context) error {
	body, err := readJSONBody(c, publicBodyLimit)
	if err != nil {
		return err
	}
	var in PromptBody
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	switch {
	case in.Token == "":
		return badParam("token", "is required")
	case in.Event != "shown" && in.Event != "dismissed":
		p := badParam("event", "must be shown or dismissed, got %q", in.Event)
		p.ValidValues = []string{"shown", "dismissed"}
		return p
	}
	if msg := survey.AskProblem(in.Ask); msg != "" {
		return badParam("ask", "%s", msg)
	}
	ctx := c.Request().Context()
	st, err := s.programStudy(c)
	if err != nil {
		return err
	}
	if st.Status != survey.StatusLive {
		return &survey.ConflictError{Status: st.Status, Detail: "the study is " + string(st.Status) + "; it records prompts while live"}
	}
	who, err := s.store.Respondent(ctx, st, in.Token)
	if err != nil {
		return submitError(err)
	}
	ok, err := s.store.Prompt(ctx, st, who, in.Ask, in.Event, survey.ChannelWidget)
	if err != nil {
		return submitError(err)
	}
	return writeJSON(c, http.StatusOK, PromptReply{Recorded: ok})
}

// submitStudyResponse is POST /api/v1/public/responses under the study's
// own path, which the widget uses: its token must be for that study, and
// a browser on another origin may call it when the study lists the
// origin.
func (s *Server) submitStudyResponse(c echo.Context) error {
	if _, err := s.programStudy(c); err != nil {
		return err
	}
	return s.submitResponse(c)
}

// programStudy is the nps study the path names.
func (s *Server) programStudy(c echo.Context) (*survey.Study, error) {
	st, err := s.store.PublicStudy(c.Request().Context(), c.Param("public_key"))
	if err != nil {
		return nil, studyError(err)
	}
	if st.Kind != survey.KindNPS {
		return nil, newProblem(http.StatusConflict, "not-nps", "the widget, eligibility and prompts are for nps studies; this study is "+string(st.Kind))
	}
	return st, nil
}

// widgetSurvey picks the study's first nps question and its first text
// question, if any, in locale.
func widgetSurvey(st *survey.Study, locale string) *WidgetSurvey {
	out := &WidgetSurvey{Locale: locale, Brand: st.Brand}
	for i := range st.Questions {
		q := &st.Questions[i]
		switch {
		case q.Type == survey.NPSQuestion && out.Question.Key == "":
			out.Question = WidgetQuestion{Key: q.Key, Text: textIn(q.Text, locale, st.DefaultLocale)}
		case q.Type == survey.TextQuestion && out.Comment == nil:
			out.Comment = &WidgetQuestion{Key: q.Key, Text: textIn(q.Text, locale, st.DefaultLocale)}
		}
	}
	return out
}

// pickLocale is the first of the wanted locales the study has, or its
// default.
func pickLocale(st *survey.Study, wanted ...string) string {
	for _, w := range wanted {
		for _, l := range st.Locales {
			if w == l {
				return l
			}
		}
	}
	return st.DefaultLocale
}

func textIn(t survey.Text, locale, fallback string) string {
	if s := t[locale]; s != "" {
		return s
	}
	return t[fallback]
}
