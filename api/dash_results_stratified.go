package api

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// stratifiedView is the post-stratified lift of each lift metric
// (weighting=stratify): control reweighted to the exposed group's strata,
// next to the unweighted lift, with the Cochran-Mantel-Haenszel test.
type stratifiedView struct {
	By    string // the strata's attributes in words
	Cards []stratifiedCard
}

// stratifiedCard is one lift metric's post-stratified comparison.
type stratifiedCard struct {
	Label       string
	Significant bool
	Facts       []fact
	Note        string
}

// droppedClause is stats' note of the strata left out: the page writes
// it from the counts.
var droppedClause = regexp.MustCompile(`^\d+ strata with one group only left out \(\d+ exposed, \d+ control respondents\)(; )?`)

// newStratifiedView writes the report's stratified block, nil without one.
func newStratifiedView(lang string, st *survey.Study, r *results.Report, lifts []*results.LiftMetric) *stratifiedView {
	if r.Stratified == nil {
		return nil
	}
	v := &stratifiedView{By: segmentName(lang, strings.Join(r.Stratified.By, ","))}
	ci := frontend.Pct(lang, r.Confidence, 0) + " " + frontend.T(lang, "ci_short")
	for _, m := range r.Stratified.Metrics {
		c := stratifiedCard{Label: metricLabel(lang, st, m.Question, m.Option, m.Metric)}
		s := m.Stratified
		if s.Defined {
			c.Significant = s.PValue < 1-r.Confidence
			c.Facts = []fact{
				{frontend.T(lang, "group_exposed"), frontend.Pct(lang, s.ExposedRate, 1)},
				{frontend.T(lang, "rs_st_control"), frontend.Pct(lang, s.ControlRate, 1)},
				{frontend.T(lang, "rs_abs_lift"), frontend.PP(lang, s.AbsLift) + " (" + ci + " " + ppRange(lang, s.AbsLiftCI) + "); " + pIs(lang, "p", s.PValue)},
				{frontend.T(lang, "rs_significance"), verdictText(lang, c.Significant, "")},
			}
		}
		for _, l := range lifts {
			if l.Question == m.Question && l.Option == m.Option {
				c.Facts = append(c.Facts, fact{frontend.T(lang, "rs_st_unweighted"), frontend.PP(lang, l.AbsLift) + " (" + ci + " " + ppRange(lang, l.AbsLiftCI) + ")"})
			}
		}
		if s.Defined {
			cmh := "—"
			if s.CMHDefined {
				cmh = "χ² = " + frontend.Num(lang, s.CMH, 2) + "; " + pIs(lang, "p", s.CMHPValue)
			}
			or := "—"
			if s.OddsRatioMHDefined {
				or = frontend.Num(lang, s.OddsRatioMH, 2)
			}
			c.Facts = append(c.Facts, fact{frontend.T(lang, "rs_st_cmh"), cmh}, fact{frontend.T(lang, "rs_st_or"), or})
		}
		strata := frontend.Int(lang, int64(s.Strata))
		if s.Dropped > 0 {
			strata += "; " + fmt.Sprintf(frontend.T(lang, "rs_st_dropped"), frontend.Int(lang, int64(s.Dropped)),
				frontend.Int(lang, s.DroppedExposed), frontend.Int(lang, s.DroppedControl))
		}
		c.Facts = append(c.Facts, fact{frontend.T(lang, "rs_st_strata"), strata})
		c.Note = reasonText(lang, strings.TrimSuffix(droppedClause.ReplaceAllString(s.Reason, ""), "; "))
		v.Cards = append(v.Cards, c)
	}
	return v
}
