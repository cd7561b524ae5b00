package results

import (
	"math"

	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
	"gonum.org/v1/gonum/stat/distuv"
)

// Target statuses.
const (
	TargetAchieved = "achieved"
	TargetOnTrack  = "on_track"
	TargetAtRisk   = "at_risk"
	TargetMissed   = "missed"
	TargetNoData   = "not_enough_data"
)

// targetReports checks each SMART KPI target against the report's numbers.
func targetReports(st *survey.Study, ms metricSet, o Options) []TargetReport {
	var out []TargetReport
	z := distuv.UnitNormal.Quantile(1 - (1-o.Confidence)/2)
	for _, t := range st.Targets {
		tr := TargetReport{Target: t, Status: TargetNoData}
		est, se, ci, ok := targetEstimate(st, ms, t, z)
		if ok {
			tr.Estimate, tr.CI = ptr(est), ptr(ci)
			p := stats.ProbAbove(est, se, t.Target)
			tr.ProbAbove = ptr(p)
			switch {
			case ci.Lo > t.Target:
				tr.Status = TargetAchieved
			case o.Now.After(t.Deadline):
				tr.Status = TargetMissed
			case p >= 0.5:
				tr.Status = TargetOnTrack
			default:
				tr.Status = TargetAtRisk
			}
		} else if o.Now.After(t.Deadline) {
			tr.Status = TargetMissed
		}
		out = append(out, tr)
	}
	return out
}

// targetEstimate finds a target's estimate, standard error and interval.
// ok is false when the metric is withheld or undefined.
func targetEstimate(st *survey.Study, ms metricSet, t survey.Target, z float64) (est, se float64, ci stats.Interval, ok bool) {
	q := st.Question(t.Question)
	if q == nil {
		return 0, 0, ci, false
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
		return 0, 0, ci, false
	}
	switch t.Measure {
	case "abs_lift":
		if m.liftStat == nil || !m.liftStat.Defined {
			return 0, 0, ci, false
		}
		return m.liftStat.AbsLift, m.liftStat.AbsLiftSE, m.liftStat.AbsLiftCI, true
	case "rel_lift":
		if m.liftStat == nil || !m.liftStat.RelLiftDefined {
			return 0, 0, ci, false
		}
		// The log interval is not symmetric; its width gives an SE on the
		// ratio scale good enough for a status.
		l := m.liftStat
		return l.RelLift, (l.RelLiftCI.Hi - l.RelLiftCI.Lo) / (2 * z), l.RelLiftCI, true
	case "nps":
		if m.nps == nil || !m.nps.Defined {
			return 0, 0, ci, false
		}
		return m.nps.NPS, m.nps.SE, m.nps.CI, true
	case "top2box":
		if m.rating == nil || !m.rating.Top2BoxDefined {
			return 0, 0, ci, false
		}
		r := m.rating
		return r.Top2Box, math.Sqrt(r.Top2Box * (1 - r.Top2Box) / float64(r.N)), r.Top2BoxCI, true
	case "mean":
		if m.rating == nil || !m.rating.MeanCIDefined {
			return 0, 0, ci, false
		}
		return m.rating.Mean, m.rating.SE, m.rating.MeanCI, true
	}
	return 0, 0, ci, false
}
