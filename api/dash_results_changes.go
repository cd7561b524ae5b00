package api

import (
	"fmt"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// changesView is the trend's last period against the one before: each
// metric's headline then and now, the change with its interval and
// p-value (results.PeriodChange).
type changesView struct {
	Title string
	Head  []string
	Rows  [][]string
}

// trendChanges writes the trend's time zone note and the last period's
// changes (nil before there are two periods).
func trendChanges(lang string, st *survey.Study, t *results.Trend) (string, *changesView) {
	if t == nil {
		return "", nil
	}
	note := fmt.Sprintf(frontend.T(lang, "rs_trend_tz"), t.Timezone)
	for _, p := range t.Periods {
		if p.LowSample {
			note += " " + fmt.Sprintf(frontend.T(lang, "rs_trend_low"), frontend.Int(lang, t.MinPerGroup))
			break
		}
	}
	n := len(t.Periods)
	if n < 2 || len(t.Periods[n-1].Changes) == 0 {
		return note, nil
	}
	last, prev := t.Periods[n-1], t.Periods[n-2]
	v := &changesView{
		Title: fmt.Sprintf(frontend.T(lang, "rs_changes_title"), periodLabel(lang, t.Interval, last), periodLabel(lang, t.Interval, prev)),
		Head: []string{frontend.T(lang, "rs_metric"), frontend.T(lang, "rs_changes_before"), frontend.T(lang, "rs_changes_now"),
			frontend.T(lang, "rs_changes_diff"), "p"},
	}
	for _, c := range last.Changes {
		metric := survey.Metric("")
		if q := st.Question(c.Question); q != nil {
			metric = q.Metric
		}
		label := metricLabel(lang, st, c.Question, c.Option, metric) + " · " + frontend.T(lang, "rs_measure_"+c.Measure)
		if c.LowSample {
			label += " (" + frontend.T(lang, "rs_low_sample") + ")"
		}
		diff, p := "—", "—"
		if c.Defined {
			diff = changeDiff(lang, c.Measure, c.Diff) + " (" + frontend.T(lang, "ci_short") + " " + changeRange(lang, c) + ")"
			p = pValue(lang, c.PValue)
		} else if c.Reason != "" {
			diff = "— (" + reasonText(lang, c.Reason) + ")"
		}
		v.Rows = append(v.Rows, []string{label, changeValue(lang, c.Measure, c.Previous), changeValue(lang, c.Measure, c.Current), diff, p})
	}
	return note, v
}

// changeValue writes a period's headline in its measure's unit.
func changeValue(lang, measure string, x float64) string {
	switch measure {
	case "abs_lift":
		return frontend.PP(lang, x)
	case "rate":
		return frontend.Pct(lang, x, 1)
	case "nps", "nps_diff":
		return frontend.Signed(lang, x, 1)
	case "mean_diff":
		return frontend.Signed(lang, x, 2)
	}
	return frontend.Num(lang, x, 2)
}

// changeDiff writes a change: points for lifts and rates, NPS points,
// rating points.
func changeDiff(lang, measure string, d float64) string {
	switch measure {
	case "abs_lift", "rate":
		return frontend.PP(lang, d)
	case "nps", "nps_diff":
		return frontend.Signed(lang, d, 1)
	}
	return frontend.Signed(lang, d, 2)
}

func changeRange(lang string, c results.PeriodChange) string {
	switch c.Measure {
	case "abs_lift", "rate":
		return ppRange(lang, c.DiffCI)
	case "nps", "nps_diff":
		return numRange(lang, c.DiffCI, 1, true)
	}
	return strings.TrimSpace(numRange(lang, c.DiffCI, 2, true))
}
