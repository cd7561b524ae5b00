package api

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/frontend/charts"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// The results pages' charts (package frontend/charts draws them), each
// with its text alternative: a table and a sentence.

// ppTick writes an axis tick of a lift in percentage points.
func ppTick(lang string) func(float64) string {
	return func(v float64) string {
		d := 0
		if math.Abs(100*v-math.Round(100*v)) > 1e-9 {
			d = 1
		}
		return frontend.Signed(lang, 100*v, d)
	}
}

// liftChart is the forest plot of every lift metric's absolute lift.
func liftChart(lang string, st *survey.Study, lifts []*results.LiftMetric, confidence float64) chartView {
	cv := chartView{ID: "lift-chart", Title: fmt.Sprintf(frontend.T(lang, "rs_lift_chart"), frontend.Pct(lang, confidence, 0))}
	c := charts.Lift{ID: cv.ID, Title: cv.Title, Format: ppTick(lang),
		SignificantLabel: frontend.T(lang, "rs_sig_short"), NotSignificantLabel: frontend.T(lang, "rs_nonsig_short")}
	cv.Head = []string{frontend.T(lang, "rs_metric"), frontend.T(lang, "rs_abs_lift"), frontend.T(lang, "ci_short"), frontend.T(lang, "rs_significance")}
	var sig []string
	for _, m := range lifts {
		label := metricLabel(lang, st, m.Question, m.Option, m.Metric)
		c.Rows = append(c.Rows, charts.LiftRow{Label: label, Value: m.AbsLift, Low: m.AbsLiftCI.Lo, High: m.AbsLiftCI.Hi,
			Significant: m.Significant, ValueLabel: frontend.PP(lang, m.AbsLift)})
		verdict := frontend.T(lang, "verdict_nonsig")
		if m.Significant {
			verdict = frontend.T(lang, "verdict_sig")
			sig = append(sig, label)
		}
		cv.Rows = append(cv.Rows, []string{label, frontend.PP(lang, m.AbsLift), ppRange(lang, m.AbsLiftCI), verdict})
	}
	if len(sig) == 0 {
		c.Desc = frontend.T(lang, "rs_lift_chart_none")
	} else {
		c.Desc = fmt.Sprintf(frontend.T(lang, "rs_lift_chart_sig"), strings.Join(sig, ", "))
	}
	cv.Sentence = c.Desc
	cv.SVG = c.SVG()
	return cv
}

// npsChart is the breakdown of each group's answers.
func npsChart(lang, label string, rows []npsRow, id string) chartView {
	cv := chartView{ID: id, Title: label}
	c := charts.Stacked{ID: id, Title: label}
	cv.Head = []string{frontend.T(lang, "rs_group"), frontend.T(lang, "rs_detractors"), frontend.T(lang, "rs_passives"), frontend.T(lang, "rs_promoters"), "NPS"}
	var parts []string
	for _, r := range rows {
		g := groupLabel(lang, r.g)
		c.Rows = append(c.Rows, charts.StackedRow{Label: g + " · " + frontend.Signed(lang, r.n.NPS, 1), Segments: []charts.Segment{
			{Label: frontend.T(lang, "rs_detractors"), Share: r.n.Detractors, Class: "ch-detractor", ValueLabel: frontend.Pct(lang, r.n.Detractors, 0)},
			{Label: frontend.T(lang, "rs_passives"), Share: r.n.Passives, Class: "ch-passive", ValueLabel: frontend.Pct(lang, r.n.Passives, 0)},
			{Label: frontend.T(lang, "rs_promoters"), Share: r.n.Promoters, Class: "ch-promoter", ValueLabel: frontend.Pct(lang, r.n.Promoters, 0)},
		}})
		cv.Rows = append(cv.Rows, []string{g, frontend.Pct(lang, r.n.Detractors, 1), frontend.Pct(lang, r.n.Passives, 1),
			frontend.Pct(lang, r.n.Promoters, 1), frontend.Signed(lang, r.n.NPS, 1)})
		parts = append(parts, g+": NPS "+frontend.Signed(lang, r.n.NPS, 1))
	}
	c.Desc = strings.Join(parts, "; ")
	cv.Sentence = c.Desc
	cv.SVG = c.SVG()
	return cv
}

// ratingChart is the distribution of a rating's answers per group.
func ratingChart(lang, label string, m *results.RatingMetric, groups []survey.Group, id string) chartView {
	cv := chartView{ID: id, Title: label}
	c := charts.Bars{ID: id, Title: label, Format: func(v float64) string { return frontend.Pct(lang, v, 0) }}
	for i := 1; i <= m.Scale; i++ {
		c.Categories = append(c.Categories, frontend.Int(lang, int64(i)))
	}
	cv.Head = append([]string{frontend.T(lang, "rs_rating_level")}, nil...)
	var parts []string
	for _, g := range groups {
		rg := ratingOf(m, g)
		s := charts.Series{Label: groupLabel(lang, g), Class: "ch-" + string(g)}
		if g == survey.GroupAll {
			s.Class = "ch-s1"
		}
		for i := 0; i < m.Scale; i++ {
			v := math.NaN()
			if i < len(rg.Levels) && rg.N > 0 {
				v = float64(rg.Levels[i]) / float64(rg.N)
			}
			s.Values = append(s.Values, v)
		}
		c.Series = append(c.Series, s)
		cv.Head = append(cv.Head, groupLabel(lang, g))
		parts = append(parts, fmt.Sprintf(frontend.T(lang, "rs_rating_sentence"), groupLabel(lang, g), frontend.Num(lang, rg.Mean, 2), frontend.Pct(lang, rg.Top2Box, 0)))
	}
	for i := 0; i < m.Scale; i++ {
		row := []string{c.Categories[i]}
		for _, s := range c.Series {
			row = append(row, frontend.Pct(lang, s.Values[i], 1))
		}
		cv.Rows = append(cv.Rows, row)
	}
	c.Desc = strings.Join(parts, "; ")
	cv.Sentence = c.Desc
	cv.SVG = c.SVG()
	return cv
}

// progressBar is a group's progress to its target.
func progressBar(lang string, p results.Progress) charts.Progress {
	return charts.Progress{ID: "progress-" + string(p.Group), Title: groupLabel(lang, p.Group),
		Desc: frontend.Int(lang, p.Complete), Value: int(p.Complete), Target: int(p.Target)}
}

// segmentCharts is, per lift metric (or NPS question), its lift in each
// level of the report's segment.
func segmentCharts(lang string, st *survey.Study, r *results.Report) []chartView {
	if r.Segment == "" {
		return nil
	}
	type key struct{ q, o string }
	var order []key
	byKey := map[key]*chartView{}
	lifts := map[key]*charts.Lift{}
	for _, seg := range r.Segments {
		level := levelLabel(lang, seg.Level)
		for _, m := range seg.Metrics {
			switch m := m.(type) {
			case *results.LiftMetric:
				k := key{m.Question, m.Option}
				cv := byKey[k]
				if cv == nil {
					label := metricLabel(lang, st, m.Question, m.Option, m.Metric)
					cv = &chartView{ID: fmt.Sprintf("segment-%d", len(order)), Title: label + " · " + segmentName(lang, r.Segment),
						Head: []string{segmentName(lang, r.Segment), frontend.T(lang, "group_exposed"), frontend.T(lang, "group_control"),
							frontend.T(lang, "rs_abs_lift"), frontend.T(lang, "ci_short"), "p", "q"}}
					byKey[k], lifts[k] = cv, &charts.Lift{ID: cv.ID, Title: cv.Title, Format: ppTick(lang),
						SignificantLabel: frontend.T(lang, "rs_sig_short"), NotSignificantLabel: frontend.T(lang, "rs_nonsig_short")}
					order = append(order, k)
				}
				lifts[k].Rows = append(lifts[k].Rows, charts.LiftRow{Label: level, Value: m.AbsLift, Low: m.AbsLiftCI.Lo, High: m.AbsLiftCI.Hi,
					Significant: m.Significant, ValueLabel: frontend.PP(lang, m.AbsLift)})
				cv.Rows = append(cv.Rows, []string{lowMark(lang, level, m.LowSample), frontend.Int(lang, m.Exposed.N), frontend.Int(lang, m.Control.N),
					frontend.PP(lang, m.AbsLift), ppRange(lang, m.AbsLiftCI), pValue(lang, m.PValue), pValue(lang, m.QValue)})
			case *results.WithheldMetric:
				k := key{m.Question, m.Option}
				if m.Type != "lift" {
					continue
				}
				cv := byKey[k]
				if cv == nil {
					metric := survey.Metric("")
					if q := st.Question(m.Question); q != nil {
						metric = q.Metric
					}
					label := metricLabel(lang, st, m.Question, m.Option, metric)
					cv = &chartView{ID: fmt.Sprintf("segment-%d", len(order)), Title: label + " · " + segmentName(lang, r.Segment),
						Head: []string{segmentName(lang, r.Segment), frontend.T(lang, "group_exposed"), frontend.T(lang, "group_control"),
							frontend.T(lang, "rs_abs_lift"), frontend.T(lang, "ci_short"), "p", "q"}}
					byKey[k], lifts[k] = cv, &charts.Lift{ID: cv.ID, Title: cv.Title, Format: ppTick(lang),
						SignificantLabel: frontend.T(lang, "rs_sig_short"), NotSignificantLabel: frontend.T(lang, "rs_nonsig_short")}
					order = append(order, k)
				}
				nd := frontend.T(lang, "rs_not_enough_short")
				cv.Rows = append(cv.Rows, []string{level, frontend.Int(lang, m.N[survey.GroupExposed]), frontend.Int(lang, m.N[survey.GroupControl]), nd, "", "", ""})
			case *results.NPSMetric:
				if st.HasGroups() || m.All == nil {
					continue
				}
				k := key{m.Question, "nps"}
				cv := byKey[k]
				if cv == nil {
					label := metricLabel(lang, st, m.Question, "", "")
					cv = &chartView{ID: fmt.Sprintf("segment-%d", len(order)), Title: label + " · " + segmentName(lang, r.Segment),
						Head: []string{segmentName(lang, r.Segment), frontend.T(lang, "rs_n"), "NPS", frontend.T(lang, "ci_short")}}
					byKey[k] = cv
					order = append(order, k)
				}
				cv.Rows = append(cv.Rows, []string{lowMark(lang, level, m.LowSample), frontend.Int(lang, m.All.N), frontend.Signed(lang, m.All.NPS, 1), numRange(lang, m.All.CI, 1, true)})
			}
		}
	}
	var out []chartView
	for _, k := range order {
		cv := byKey[k]
		if l := lifts[k]; l != nil {
			l.Desc = fmt.Sprintf(frontend.T(lang, "rs_segment_desc"), cv.Title)
			cv.Sentence = l.Desc
			cv.SVG = l.SVG()
		}
		out = append(out, *cv)
	}
	return out
}

// frequencyCharts is, per lift metric, its lift by exposure frequency
// against the whole control group.
func frequencyCharts(lang string, st *survey.Study, r *results.Report) []chartView {
	var out []chartView
	for i, fc := range r.Frequency {
		metric := survey.Metric("")
		if q := st.Question(fc.Question); q != nil {
			metric = q.Metric
		}
		label := metricLabel(lang, st, fc.Question, fc.Option, metric)
		cv := chartView{ID: fmt.Sprintf("frequency-%d", i), Title: label,
			Head: []string{frontend.T(lang, "rs_frequency_bucket"), frontend.T(lang, "rs_n"), frontend.T(lang, "rs_rate"),
				frontend.T(lang, "rs_abs_lift"), frontend.T(lang, "ci_short"), "p"}}
		s := charts.Series{Label: frontend.T(lang, "rs_abs_lift"), Class: "ch-exposed"}
		var x []string
		for _, b := range fc.Buckets {
			x = append(x, b.Bucket)
			if b.Enough {
				s.Values = append(s.Values, b.AbsLift)
				s.Low = append(s.Low, b.AbsLiftCI.Lo)
				s.High = append(s.High, b.AbsLiftCI.Hi)
				cv.Rows = append(cv.Rows, []string{b.Bucket, frontend.Int(lang, b.N), frontend.Pct(lang, b.Rate, 1),
					frontend.PP(lang, b.AbsLift), ppRange(lang, b.AbsLiftCI), pValue(lang, b.PValue)})
			} else {
				s.Values, s.Low, s.High = append(s.Values, math.NaN()), append(s.Low, math.NaN()), append(s.High, math.NaN())
				cv.Rows = append(cv.Rows, []string{b.Bucket, frontend.Int(lang, b.N), frontend.T(lang, "rs_not_enough_short"), "", "", ""})
			}
		}
		c := charts.Line{ID: cv.ID, Title: label, X: x, Series: []charts.Series{s}, ZeroLine: true, Format: ppTick(lang),
			Desc: fmt.Sprintf(frontend.T(lang, "rs_frequency_desc"), label)}
		cv.Sentence = c.Desc
		cv.SVG = c.SVG()
		if cv.SVG == "" {
			cv.Empty = frontend.T(lang, "rs_not_enough_short")
		}
		out = append(out, cv)
	}
	return out
}

// trendChart is the headline metric over time: for a brand-lift study the
// cumulative absolute lift of the first lift metric, for an nps study
// the NPS of each period (the NPS tracker).
func trendChart(lang string, st *survey.Study, r *results.Report, t *results.Trend) chartView {
	cv := chartView{ID: "trend"}
	var x []string
	s := charts.Series{Class: "ch-exposed"}
	add := func(v, lo, hi float64) {
		s.Values, s.Low, s.High = append(s.Values, v), append(s.Low, lo), append(s.High, hi)
	}
	format := ppTick(lang)
	if st.HasGroups() {
		var first *results.LiftMetric
		for _, m := range r.Metrics {
			if m, ok := m.(*results.LiftMetric); ok {
				first = m
				break
			}
		}
		if first == nil {
			for _, m := range r.Metrics {
				if m, ok := m.(*results.WithheldMetric); ok && m.Type == "lift" {
					first = &results.LiftMetric{Question: m.Question, Option: m.Option}
					if q := st.Question(m.Question); q != nil {
						first.Metric = q.Metric
					}
					break
				}
			}
		}
		if first == nil {
			cv.Empty = frontend.T(lang, "rs_trend_none")
			return cv
		}
		label := metricLabel(lang, st, first.Question, first.Option, first.Metric)
		cv.Title = fmt.Sprintf(frontend.T(lang, "rs_trend_lift"), label)
		cv.Head = []string{frontend.T(lang, "rs_period"), frontend.T(lang, "group_exposed"), frontend.T(lang, "group_control"), frontend.T(lang, "rs_abs_lift"), frontend.T(lang, "ci_short")}
		for _, p := range t.Periods {
			for _, m := range p.Cumulative {
				m, ok := m.(*results.LiftMetric)
				if !ok || m.Question != first.Question || m.Option != first.Option {
					continue
				}
				x = append(x, periodLabel(lang, t.Interval, p))
				if m.Exposed.N == 0 || m.Control.N == 0 {
					add(math.NaN(), math.NaN(), math.NaN())
					cv.Rows = append(cv.Rows, []string{x[len(x)-1], frontend.Int(lang, m.Exposed.N), frontend.Int(lang, m.Control.N), "—", ""})
					continue
				}
				add(m.AbsLift, m.AbsLiftCI.Lo, m.AbsLiftCI.Hi)
				cv.Rows = append(cv.Rows, []string{lowMark(lang, x[len(x)-1], m.LowSample), frontend.Int(lang, m.Exposed.N), frontend.Int(lang, m.Control.N),
					frontend.PP(lang, m.AbsLift), ppRange(lang, m.AbsLiftCI)})
			}
		}
		s.Label = frontend.T(lang, "rs_trend_cumulative")
	} else {
		format = func(v float64) string { return frontend.Num(lang, v, 0) }
		cv.Title = frontend.T(lang, "rs_trend_nps")
		cv.Head = []string{frontend.T(lang, "rs_period"), frontend.T(lang, "rs_n"), "NPS", frontend.T(lang, "ci_short")}
		for _, p := range t.Periods {
			for _, m := range p.Metrics {
				m, ok := m.(*results.NPSMetric)
				if !ok || m.All == nil {
					continue
				}
				x = append(x, periodLabel(lang, t.Interval, p))
				if m.All.N == 0 {
					add(math.NaN(), math.NaN(), math.NaN())
					cv.Rows = append(cv.Rows, []string{x[len(x)-1], "0", "—", ""})
					break
				}
				add(m.All.NPS, m.All.CI.Lo, m.All.CI.Hi)
				cv.Rows = append(cv.Rows, []string{lowMark(lang, x[len(x)-1], m.LowSample), frontend.Int(lang, m.All.N), frontend.Signed(lang, m.All.NPS, 1), numRange(lang, m.All.CI, 1, true)})
				break
			}
		}
		s.Label = frontend.T(lang, "rs_trend_period")
	}
	c := charts.Line{ID: cv.ID, Title: cv.Title, X: x, Series: []charts.Series{s}, ZeroLine: st.HasGroups(), Format: format,
		Desc: fmt.Sprintf(frontend.T(lang, "rs_trend_desc"), cv.Title, len(x))}
	cv.Sentence = c.Desc
	cv.SVG = c.SVG()
	if cv.SVG == "" {
		cv.Empty = frontend.T(lang, "rs_trend_none")
	}
	return cv
}

// periodLabel names a trend period in the reader's language: its month,
// or its first day.
func periodLabel(lang, interval string, p results.TrendPeriod) string {
	start, err := time.Parse(time.DateOnly, p.Start)
	switch {
	case err != nil:
		return p.Period
	case interval == "month":
		return frontend.Month(lang, start)
	default:
		return frontend.DayMonth(lang, start)
	}
}

// lowMark adds the low-sample caveat to a table's row label.
func lowMark(lang, label string, low bool) string {
	if !low {
		return label
	}
	return label + " (" + frontend.T(lang, "rs_low_sample") + ")"
}
