package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

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
	// Notices say why the view shown is not quite the one asked for.
	Notices []string
}

// readSelection reads the selectors: bad values are the API's 400. The
// form has two segment selects (segment, segment2) and a checkbox per
// stratum attribute (by, repeated); the API takes both as comma lists.
func readSelection(c echo.Context) (selection, error) {
	o, err := resultsOptions(c)
	if err != nil {
		return selection{}, err
	}
	sel := selection{Options: o, Interval: c.QueryParam("interval")}
	if s2 := c.QueryParam("segment2"); s2 != "" && s2 != o.Segment && !strings.Contains(o.Segment, ",") {
		switch {
		case o.Segment == "":
			sel.Options.Segment = s2
		case o.Segment == results.SegmentFrequency || s2 == results.SegmentFrequency:
			// Control saw no ads, so frequency crosses with nothing.
			sel.Notices = append(sel.Notices, tr(c, "rs_seg_cross_frequency"))
		default:
			sel.Options.Segment = o.Segment + "," + s2
		}
	}
	sel.Options.By = nil
	if o.Weighting == "stratify" {
		for _, v := range c.QueryParams()["by"] {
			for _, a := range strings.Split(v, ",") {
				if a != "" && !slices.Contains(sel.Options.By, a) {
					sel.Options.By = append(sel.Options.By, a)
				}
			}
		}
	}
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
	if r.Segment != "" {
		v.Set("segment", r.Segment)
	}
	switch r.Weighting {
	case "rake":
		v.Set("weighting", "rake")
	case "stratify":
		v.Set("weighting", "stratify")
		if r.Stratified != nil {
			v.Set("by", strings.Join(r.Stratified.By, ","))
		}
	}
	if r.IncludeFlagged {
		v.Set("include_flagged", "true")
	}
	if r.IgnoreSRM {
		v.Set("ignore_srm", "true")
	}
	if sel.Options.MinPerGroup != 0 {
		v.Set("min_per_group", strconv.FormatInt(r.MinPerGroup, 10))
	}
	if withInterval && sel.Interval != "week" {
		v.Set("interval", sel.Interval)
	}
	return v
}

// maxFallbacks bounds the retries of loadResults: one per attribute the
// selection may name that the study lacks (segment, by).
const maxFallbacks = 2

// loadResults reads what both the results page and the report show. A
// segment or stratum attribute the study's respondents do not carry (a
// link from another study, a typed URL) is not an error page: the view
// drops it and says so.
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
	var r *results.Report
	for i := 0; ; i++ {
		r, err = s.store.Results(ctx, st.ID, sel.Options)
		var ue *results.UnknownAttributeError
		if i == maxFallbacks || !errors.As(err, &ue) {
			break
		}
		sel.Notices = append(sel.Notices, unknownAttributeNotice(dashLang(c), ue))
		if ue.Field == "by" {
			sel.Options.Weighting, sel.Options.By = "", nil
		} else {
			sel.Options.Segment = ""
		}
	}
	if err != nil {
		return nil, selection{}, nil, nil, nil, optionError(err)
	}
	if err := s.store.AttachNorms(ctx, r); err != nil {
		return nil, selection{}, nil, nil, nil, err
	}
	// The trend takes neither weighting nor segments.
	to := sel.Options
	to.Weighting, to.By, to.Segment = "", nil, ""
	trend, err := s.store.ResultsTrend(ctx, st.ID, sel.Interval, to)
	if err != nil {
		return nil, selection{}, nil, nil, nil, optionError(err)
	}
	attrs, err := s.store.AttributeNames(ctx, st.ID)
	if err != nil {
		return nil, selection{}, nil, nil, nil, err
	}
	return st, sel, r, trend, attrs, nil
}

// unknownAttributeNotice says which attribute the study lacks, what the
// page shows instead and which attributes there are.
func unknownAttributeNotice(lang string, ue *results.UnknownAttributeError) string {
	known := make([]string, len(ue.Known))
	for i, a := range ue.Known {
		known[i] = segmentName(lang, a)
	}
	key := "rs_unknown_segment"
	if ue.Field == "by" {
		key = "rs_unknown_by"
	}
	return fmt.Sprintf(frontend.T(lang, key), ue.Attribute, strings.Join(known, ", "))
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
