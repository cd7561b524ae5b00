package results

import (
	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
)

// targetReports checks each SMART KPI target against the report's numbers
// by the one rule of stats.CheckTarget.
func targetReports(st *survey.Study, ms metricSet, o Options) []TargetReport {
	var out []TargetReport
	for _, t := range st.Targets {
		e := targetEstimate(st, ms, t, o.Confidence)
		s := stats.CheckTarget(e, t.Target, o.Now.After(t.Deadline))
		tr := TargetReport{Target: t, Status: s.Status}
		if e != nil {
			tr.Estimate, tr.CI, tr.ProbAbove = ptr(e.Value), ptr(e.CI), ptr(s.ProbAbove)
		} else {
			tr.Reason = "the metric has no estimate yet: not enough data, or undefined for these data"
		}
		out = append(out, tr)
	}
	return out
}

// targetEstimate finds the estimate a target is checked against: nil when
// the metric is withheld or undefined.
func targetEstimate(st *survey.Study, ms metricSet, t survey.Target, confidence float64) *stats.Estimate {
	q := st.Question(t.Question)
	if q == nil {
		return nil
	}
	option := t.Option
	if option == "" && q.Type == survey.MultiChoice {
		for _, o := range q.Options {
			if o.Positive {
				option = o.Key
				break
			}
		}
	}
	m := ms.measures[measureKey(t.Question, option)]
	if m == nil || m.withheld {
		return nil
	}
	switch t.Measure {
	case "abs_lift":
		if m.liftStat != nil && m.liftStat.Defined {
			l := m.liftStat
			return &stats.Estimate{Value: l.AbsLift, SE: l.AbsLiftSE, CI: l.AbsLiftCI}
		}
	case "rel_lift":
		if m.liftStat != nil && m.liftStat.RelLiftDefined {
			l := m.liftStat
			return &stats.Estimate{Value: l.RelLift, SE: stats.SEFromInterval(l.RelLiftCI, confidence), CI: l.RelLiftCI}
		}
	case "nps":
		if m.nps != nil && m.nps.Defined {
			return &stats.Estimate{Value: m.nps.NPS, SE: m.nps.SE, CI: m.nps.CI}
		}
	case "top2box":
		if r := m.rating; r != nil && r.Top2BoxDefined {
			return &stats.Estimate{Value: r.Top2Box, SE: r.Top2BoxSE, CI: r.Top2BoxCI}
		}
	case "mean":
		if r := m.rating; r != nil && r.MeanCIDefined {
			return &stats.Estimate{Value: r.Mean, SE: r.SE, CI: r.MeanCI}
		}
	}
	return nil
}
