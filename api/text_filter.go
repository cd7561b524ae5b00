package api

import (
	"slices"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// maxTextSearch bounds the text search.
const maxTextSearch = 200

// attrParam prefixes the query parameters that filter text answers by a
// respondent attribute: attr.plan=pro.
const attrParam = "attr."

// textFilter reads the text answers' filters from the query: q (search),
// nps (promoter, passive or detractor), attr.NAME=VALUE (repeatable over
// names), and from/to (days YYYY-MM-DD in the study's time zone, both
// included).
func (s *Server) textFilter(c echo.Context, st *survey.Study) (results.TextFilter, error) {
	q := c.QueryParams()
	f := results.TextFilter{Search: strings.TrimSpace(q.Get("q")), Category: q.Get("nps")}
	if len(f.Search) > maxTextSearch {
		return f, badParam("q", "at most %d characters, got %d", maxTextSearch, len(f.Search))
	}
	if f.Category != "" && !slices.Contains([]string{"promoter", "passive", "detractor"}, f.Category) {
		return f, badParam("nps", "must be promoter, passive or detractor, got %q", f.Category)
	}
	if f.Category != "" && st.NPSQuestionKey() == "" {
		return f, badParam("nps", "the study has no NPS question to group answers by")
	}
	var names []string
	for key, vals := range q {
		name, ok := strings.CutPrefix(key, attrParam)
		if !ok {
			continue
		}
		if names == nil {
			var err error
			if names, err = s.store.AttributeNames(c.Request().Context(), st.ID); err != nil {
				return f, err
			}
		}
		if !slices.Contains(names, name) {
			v := &survey.ValidationError{}
			v.Add(key, "the study's respondents have no attribute %q; they have: %s", name, strings.Join(names, ", "))
			return f, v
		}
		if f.Attrs == nil {
			f.Attrs = map[string]string{}
		}
		f.Attrs[name] = vals[0]
	}
	for _, p := range []struct {
		name string
		dst  **time.Time
		next bool
	}{{"from", &f.From, false}, {"to", &f.To, true}} {
		v := q.Get(p.name)
		if v == "" {
			continue
		}
		d, err := time.ParseInLocation(time.DateOnly, v, st.Location())
		if err != nil {
			return f, badParam(p.name, "must be a day YYYY-MM-DD, got %q", v)
		}
		if p.next { // "to" includes its day
			d = d.AddDate(0, 0, 1)
		}
		*p.dst = &d
	}
	if f.From != nil && f.To != nil && !f.From.Before(*f.To) {
		return f, badParam("to", "must not be before from (%s)", q.Get("from"))
	}
	return f, nil
}

// textFilterQuery writes a filter back as query parameters, for the
// dashboard's links (next page, export).
func textFilterQuery(f results.TextFilter, loc *time.Location) map[string]string {
	out := map[string]string{}
	if f.Search != "" {
		out["q"] = f.Search
	}
	if f.Category != "" {
		out["nps"] = f.Category
	}
	for k, v := range f.Attrs {
		out[attrParam+k] = v
	}
	if f.From != nil {
		out["from"] = f.From.In(loc).Format(time.DateOnly)
	}
	if f.To != nil {
		out["to"] = f.To.In(loc).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	return out
}
