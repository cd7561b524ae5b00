package api

import (
	"net/url"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// studiesPageSize is the studies per page of the list: each row with
// enough answers computes its headline from the running tallies.
const studiesPageSize = 20

// studiesBody is the studies list's model.
type studiesBody struct {
	Status, Kind, Search string
	Rows                 []studyRowView
	NextURL, FirstURL    string
}

// studyRowView is one study in the list.
type studyRowView struct {
	Study    survey.Study
	Groups   []groupProgressView
	Headline *Headline
	// MinPerGroup is the study's min_per_group: below it the headline
	// carries the low-sample caveat.
	MinPerGroup int64
}

// groupProgressView is a group's way to its target.
type groupProgressView struct {
	Group  survey.Group
	N      int64
	Target int64
}

func (s *Server) studiesPage(c echo.Context) error {
	ctx := c.Request().Context()
	body := studiesBody{Status: c.QueryParam("status"), Kind: c.QueryParam("kind"), Search: c.QueryParam("q")}
	f := store.StudyFilter{Cursor: c.QueryParam("cursor"), Limit: studiesPageSize, Search: body.Search}
	switch st := survey.Status(body.Status); st {
	case "", survey.StatusDraft, survey.StatusLive, survey.StatusPaused, survey.StatusClosed:
		f.Status = st
	default:
		return badParam("status", "unknown status %q; valid: draft, live, paused, closed", st)
	}
	switch k := survey.Kind(body.Kind); k {
	case "", survey.KindBrandLift, survey.KindNPS:
		f.Kind = k
	default:
		return badParam("kind", "unknown kind %q; valid: brand_lift, nps", k)
	}
	studies, next, err := s.store.Studies(ctx, f)
	if err != nil {
		return err
	}
	ids := make([]string, len(studies))
	for i := range studies {
		ids[i] = studies[i].ID
	}
	progress, err := s.store.StudyProgress(ctx, ids)
	if err != nil {
		return err
	}
	lang := dashLang(c)
	for i := range studies {
		st := &studies[i]
		row := studyRowView{Study: *view(c, st), Groups: groupsOf(st, progress[st.ID]), MinPerGroup: st.MinGroupSize()}
		if answered(st, progress[st.ID]) {
			h, err := s.headlineOf(c, st, lang)
			if err != nil {
				return err
			}
			row.Headline = h
		}
		body.Rows = append(body.Rows, row)
	}
	q := url.Values{}
	for k, v := range map[string]string{"status": body.Status, "kind": body.Kind, "q": body.Search} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.Cursor != "" {
		body.FirstURL = "/dashboard?" + q.Encode()
	}
	if next != "" {
		q.Set("cursor", next)
		body.NextURL = "/dashboard?" + q.Encode()
	}
	return s.page(c, 200, "dash_studies", s.dash(c, "studies_title", "studies", body))
}

// groupsOf lists a study's groups with their counts and the target.
func groupsOf(st *survey.Study, p store.Progress) []groupProgressView {
	groups := st.Arms()
	out := make([]groupProgressView, len(groups))
	for i, g := range groups {
		out[i] = groupProgressView{Group: g, N: p.Counts[g], Target: st.TargetPerGroup}
	}
	return out
}

// answered reports whether every group has an answer: from then on the
// report computes every metric, those below the study's MinGroupSize
// marked low_sample (the headline says so).
func answered(st *survey.Study, p store.Progress) bool {
	for _, g := range groupsOf(st, p) {
		if g.N < 1 {
			return false
		}
	}
	return true
}

// headlineOf is the study's strongest result for the list: the
// significant lift metric with the largest lift, else the first lift
// metric; nil when the report has none (NPS studies, text only).
func (s *Server) headlineOf(c echo.Context, st *survey.Study, lang string) (*Headline, error) {
	r, err := s.store.Results(c.Request().Context(), st.ID, results.Options{})
	if err != nil {
		return nil, err
	}
	var best *results.LiftMetric
	for _, m := range r.Metrics {
		lm, ok := m.(*results.LiftMetric)
		if !ok {
			continue
		}
		switch {
		case best == nil:
			best = lm
		case lm.Significant && (!best.Significant || lm.AbsLift > best.AbsLift):
			best = lm
		}
	}
	if best == nil {
		return npsHeadline(lang, r), nil
	}
	h := liftHeadline(lang, st, best, r.Confidence)
	return &h, nil
}

// npsHeadline is an nps program's result for the list: its first NPS
// question's score with its interval, "NPS +32.0 · 90% CI +28.1 to +35.9";
// nil before the first answer, or in a report without one.
func npsHeadline(lang string, r *results.Report) *Headline {
	for _, m := range r.Metrics {
		m, ok := m.(*results.NPSMetric)
		if !ok || m.All == nil || m.All.N == 0 {
			continue
		}
		return &Headline{Label: "NPS", Lift: frontend.Signed(lang, m.All.NPS, 1), Score: true, LowSample: m.LowSample, NExposed: m.All.N,
			Verdict: ciPhrase(lang, r.Confidence, m.All.CI.Lo, m.All.CI.Hi)}
	}
	return nil
}
