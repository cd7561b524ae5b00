package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// textPageSize is how many answers the text answers page shows at a time.
const textPageSize = 50

// textAnswersBody is the model of a text question's answers page: the
// NPS tracker's comments, filterable by NPS category and period.
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
	// HasNPS offers the category filter; Category, From and To are the
	// filters as sent; Hidden keeps the attribute filters of the URL.
	HasNPS           bool
	Category         string
	From, To         string
	Hidden           map[string]string
	Export, Filtered string
}

// textAnswersPage pages through a text question's answers, newest first,
// filtered as the API's text answers are (q, nps, attr.NAME, from, to).
// The answers are shown as the respondents typed them; html/template
// escapes them.
func (s *Server) textAnswersPage(c echo.Context) error {
	st, err := s.pageStudy(c)
	if err != nil {
		return err
	}
	key, cursor := c.Param("question"), c.QueryParam("cursor")
	f, err := s.textFilter(c, st)
	if err != nil {
		return err
	}
	answers, next, err := s.store.SearchTextAnswers(c.Request().Context(), st, key, f, textPageSize, cursor)
	if err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return notFound("text question")
		}
		return err
	}
	lang := dashLang(c)
	metric := survey.Metric("")
	params := textFilterQuery(f, st.Location())
	body := textAnswersBody{Study: st, Key: key, Label: metricLabel(lang, st, key, "", metric), Search: f.Search, Paged: cursor != "",
		HasNPS: st.NPSQuestionKey() != "", Category: f.Category, From: params["from"], To: params["to"], Hidden: map[string]string{}}
	q := url.Values{}
	for k, v := range params {
		q.Set(k, v)
		if strings.HasPrefix(k, attrParam) {
			body.Hidden[k] = v
		}
	}
	for _, a := range answers {
		v := textAnswerView{Group: armLabel(lang, st, survey.Arm(a.Wave, a.Group, a.Cell)), Text: a.Text, When: frontend.DateTime(lang, a.CompletedAt)}
		if a.NPS != nil {
			v.Score = fmt.Sprintf("NPS %d · %s", *a.NPS, frontend.T(lang, "rs_nps_cat_"+a.Category))
			v.Category = a.Category
		}
		body.Answers = append(body.Answers, v)
	}
	base := "/dashboard/studies/" + st.ID + "/text/" + url.PathEscape(key)
	export := url.Values{"format": {"csv"}}
	for k, v := range q {
		export[k] = v
	}
	body.Export = "/api/v1/studies/" + st.ID + "/results/text/" + url.PathEscape(key) + "?" + export.Encode()
	if len(q) > 0 {
		body.Filtered = base
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
	if len(params) > 0 {
		body.NoneText = frontend.T(lang, "rs_text_no_match")
	}
	d := s.dash(c, "rs_text_title", "studies", body)
	d.Title = body.Label + " · " + st.Name
	return s.page(c, http.StatusOK, "dash_text_answers", d)
}
