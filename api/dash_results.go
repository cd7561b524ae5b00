package api

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// The results pages (issue 12): the results page with its selectors, the
// printable report, and a text question's answers. Every number comes
// from the store's report (s.store.Results, ResultsTrend), computed from
// running counts: no page loads the responses themselves.

// selection is the results page's selectors as the query gave them,
// validated by the API's own reading (resultsOptions) and the store.
type selection struct {
	Options  results.Options
	Interval string // trend: day, week (default) or month
}

// readSelection reads the selectors: bad values are the API's 400.
func readSelection(c echo.Context) (selection, error) {
	o, err := resultsOptions(c)
	if err != nil {
		return selection{}, err
	}
	sel := selection{Options: o, Interval: c.QueryParam("interval")}
	if sel.Interval == "" {
		sel.Interval = "week"
	}
	if !results.ValidInterval(sel.Interval) {
		p := badParam("interval", "must be day, week or month, got %q", sel.Interval)
		p.ValidValues = results.TrendIntervals
		return selection{}, p
	}
	return sel, nil
}

// query is the selection as a query string for links: the report's
// effective confidence always, the rest when not the default.
func (sel selection) query(r *results.Report, withInterval bool) url.Values {
	v := url.Values{}
	v.Set("confidence", strconv.FormatFloat(r.Confidence, 'f', -1, 64))
	if sel.Options.Segment != "" {
		v.Set("segment", sel.Options.Segment)
	}
	if r.Weighting == "rake" {
		v.Set("weighting", "rake")
	}
	if r.IncludeFlagged {
		v.Set("include_flagged", "true")
	}
	if withInterval && sel.Interval != "week" {
		v.Set("interval", sel.Interval)
	}
	return v
}

// loadResults reads what both the results page and the report show.
func (s *Server) loadResults(c echo.Context) (*survey.Study, selection, *results.Report, *results.Trend, []string, error) {
	st, err := s.pageStudy(c)
	if err != nil {
		return nil, selection{}, nil, nil, nil, err
	}
	sel, err := readSelection(c)
	if err != nil {
		return nil, selection{}, nil, nil, nil, err
	}
	ctx := c.Request().Context()
	r, err := s.store.Results(ctx, st.ID, sel.Options)
	if err != nil {
		return nil, selection{}, nil, nil, nil, optionError(err)
	}
	trend, err := s.store.ResultsTrend(ctx, st.ID, sel.Interval, sel.Options)
	if err != nil {
		return nil, selection{}, nil, nil, nil, optionError(err)
	}
	attrs, err := s.store.AttributeNames(ctx, st.ID)
	if err != nil {
		return nil, selection{}, nil, nil, nil, err
	}
	return st, sel, r, trend, attrs, nil
}

// resultsPage is the study's results: headlines, charts, per-metric
// tables, health and targets, with GET selectors so that every view is a
// link to share.
func (s *Server) resultsPage(c echo.Context) error {
	st, sel, r, trend, attrs, err := s.loadResults(c)
	if err != nil {
		return err
	}
	body := newResultsBody(dashLang(c), st, sel, r, trend, attrs, false)
	d := s.dash(c, "study_results", "studies", body)
	d.Title = frontend.T(d.Lang, "study_results") + " · " + st.Name
	return s.page(c, http.StatusOK, "dash_results", d)
}

// reportPage is the results laid out for A4: no header, navigation or
// controls; "Save as PDF" in the browser makes a report to send.
func (s *Server) reportPage(c echo.Context) error {
	st, sel, r, trend, attrs, err := s.loadResults(c)
	if err != nil {
		return err
	}
	body := newResultsBody(dashLang(c), st, sel, r, trend, attrs, true)
	d := s.dash(c, "study_report", "studies", body)
	d.Title = frontend.T(d.Lang, "rs_report_title") + " · " + st.Name
	d.Print = true
	return s.page(c, http.StatusOK, "dash_report", d)
}
