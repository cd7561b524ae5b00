package api

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// textPageSize is how many answers the text answers page shows at a time.
const textPageSize = 50

// textAnswersBody is the model of a text question's answers page.
type textAnswersBody struct {
	Study    *survey.Study
	Key      string
	Label    string
	Search   string
	Answers  []textAnswerView
	Next     string // the next page's URL, "" on the last
	First    string // the first page's URL, when not on it
	Paged    bool
	NoneText string
}

// textAnswersPage pages through a text question's answers, newest first,
// optionally those containing a search text (q). The answers are shown as
// the respondents typed them; html/template escapes them.
func (s *Server) textAnswersPage(c echo.Context) error {
	st, err := s.pageStudy(c)
	if err != nil {
		return err
	}
	key, search, cursor := c.Param("question"), strings.TrimSpace(c.QueryParam("q")), c.QueryParam("cursor")
	if len(search) > 200 {
		return badParam("q", "at most 200 characters, got %d", len(search))
	}
	answers, next, err := s.store.SearchTextAnswers(c.Request().Context(), st, key, search, textPageSize, cursor)
	if err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return notFound("text question")
		}
		return err
	}
	lang := dashLang(c)
	metric := survey.Metric("")
	body := textAnswersBody{Study: st, Key: key, Label: metricLabel(lang, st, key, "", metric), Search: search, Paged: cursor != ""}
	for _, a := range answers {
		body.Answers = append(body.Answers, textAnswerView{Group: armLabel(lang, st, survey.Arm(a.Wave, a.Group, a.Cell)), Text: a.Text, When: frontend.DateTime(lang, a.CompletedAt)})
	}
	base := "/dashboard/studies/" + st.ID + "/text/" + url.PathEscape(key)
	q := url.Values{}
	if search != "" {
		q.Set("q", search)
	}
	if cursor != "" {
		body.First = base
		if len(q) > 0 {
			body.First += "?" + q.Encode()
		}
	}
	if next != "" {
		q.Set("cursor", next)
		body.Next = base + "?" + q.Encode()
	}
	body.NoneText = frontend.T(lang, "rs_text_none")
	if search != "" {
		body.NoneText = frontend.T(lang, "rs_text_no_match")
	}
	d := s.dash(c, "rs_text_title", "studies", body)
	d.Title = body.Label + " · " + st.Name
	return s.page(c, http.StatusOK, "dash_text_answers", d)
}
