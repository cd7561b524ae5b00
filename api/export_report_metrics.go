package api

import (
	"sort"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// groupColumns are the per-group columns of the metrics table, each
// prefixed with the group (control_, exposed_, or all_ in nps studies),
// with their number formats. ci_low and ci_high bound whichever of rate,
// nps or mean the row has, and are formatted as it is.
var groupColumns = []string{"n", "positive", "rate", "nps", "mean", "ci_low", "ci_high", "effective_n",
	"promoters", "passives", "detractors", "sd", "top2box", "top2box_ci_low", "top2box_ci_high"}

var groupFormats = map[string]survey.NumberFormat{
	"n": survey.FormatInteger, "positive": survey.FormatInteger, "rate": survey.FormatPercent,
	"nps": survey.FormatOneDecimal, "mean": survey.FormatTwoDecimals, "effective_n": survey.FormatOneDecimal,
	"promoters": survey.FormatPercent, "passives": survey.FormatPercent, "detractors": survey.FormatPercent,
	"sd": survey.FormatTwoDecimals, "top2box": survey.FormatPercent, "top2box_ci_low": survey.FormatPercent,
	"top2box_ci_high": survey.FormatPercent, "levels": survey.FormatGeneral,
}

// comparisonColumns compare exposed with control (brand-lift studies).
// diff is the NPS difference in points or the rating mean difference.
var comparisonColumns = []string{
	"abs_lift", "abs_lift_ci_low", "abs_lift_ci_high", "rel_lift", "rel_lift_ci_low", "rel_lift_ci_high",
	"headroom_lift", "headroom_lift_ci_low", "headroom_lift_ci_high", "diff", "diff_ci_low", "diff_ci_high",
	"p_value", "p_value_fisher", "q_value", "prob_positive", "significant", "p_value_sequential",
	"lifted_users", "lifted_users_ci_low", "lifted_users_ci_high",
	"cost_per_lifted_user", "cost_per_lifted_user_ci_low", "cost_per_lifted_user_ci_high",
	"mde", "target_lift", "n_needed_per_group"}

// addedComparisonColumns came after the first release; they follow notes
// so that scripts reading the columns by position keep working. The
// sequential_ columns are the always-valid reading (stats.Sequential):
// for NPS and rating rows, of the difference in points or in mean.
var addedComparisonColumns = []string{"significant_by", "z", "p_value_one_sided", "abs_lift_se",
	"abs_lift_wald_ci_low", "abs_lift_wald_ci_high", "sequential_abs_lift", "sequential_cs_low",
	"sequential_cs_high", "sequential_tuning", "sequential_rho2", "sequential_defined", "sequential_reason"}

// metricFormats are the number formats of the columns that are not per
// group; diff and the sequential estimate are formatted per row.
var metricFormats = map[survey.NumberFormat][]string{
	survey.FormatPercent: {"abs_lift", "abs_lift_ci_low", "abs_lift_ci_high", "rel_lift", "rel_lift_ci_low",
		"rel_lift_ci_high", "headroom_lift", "headroom_lift_ci_low", "headroom_lift_ci_high", "prob_positive",
		"mde", "target_lift", "abs_lift_se", "abs_lift_wald_ci_low", "abs_lift_wald_ci_high"},
	survey.FormatScientific: {"p_value", "p_value_fisher", "q_value", "p_value_sequential", "p_value_one_sided"},
	survey.FormatInteger: {"lifted_users", "lifted_users_ci_low", "lifted_users_ci_high", "n_needed_per_group",
		"min_per_group", "sequential_tuning", "scale"},
	survey.FormatTwoDecimals: {"cost_per_lifted_user", "cost_per_lifted_user_ci_low", "cost_per_lifted_user_ci_high", "z"},
}

// reportTable flattens the report's metrics into one row per metric:
// question, option, type, metric, status (ok or not_enough_data), the
// per-group columns, the comparison columns (brand-lift studies), the
// minimum per group of a withheld metric, and notes (a withheld metric's
// reason); then, added later: low_sample, the added comparison columns,
// the rating scale, the answers per rating level of each group (counts
// for levels 1..scale, space-separated), and reasons ("field: why" for
// each null or zero-width field, "; "-separated). A segmented report adds
// segment and level columns first, and its rows per level follow the
// overall rows (whose level is empty). Text questions' latest answers are
// not in the file: the raw export has every answer.
func reportTable(r *results.Report) *table {
	var lead []string
	if r.Segment != "" {
		lead = []string{"segment", "level"}
	}
	t := metricsTable(r, lead, nil)
	addMetrics(t, r, "", r.Metrics)
	for _, s := range r.Segments {
		addMetrics(t, r, s.Level, s.Metrics)
	}
	return t
}

// metricsTable is the metrics table's columns: lead first (segment and
// level, a cell or a wave), then those reportTable describes, then tail.
func metricsTable(r *results.Report, lead, tail []string) *table {
	names := append([]string(nil), lead...)
	names = append(names, "question", "option", "type", "metric", "status")
	groups := reportGroups(r)
	for _, g := range groups {
		for _, c := range groupColumns {
			names = append(names, string(g)+"_"+c)
		}
	}
	if r.Kind != survey.KindNPS {
		names = append(names, comparisonColumns...)
	}
	names = append(names, "min_per_group", "notes", "low_sample")
	if r.Kind != survey.KindNPS {
		names = append(names, addedComparisonColumns...)
	}
	names = append(names, "scale")
	for _, g := range groups {
		names = append(names, string(g)+"_levels")
	}
	names = append(names, "reasons")
	names = append(names, tail...)
	t := newTable(names)
	for _, g := range groups {
		for c, f := range groupFormats {
			t.format(f, string(g)+"_"+c)
		}
	}
	for f, cols := range metricFormats {
		t.format(f, cols...)
	}
	t.format(survey.FormatScientific, "p_value_adjusted")
	return t
}

func addMetrics(t *table, r *results.Report, level string, metrics []any) {
	for _, m := range metrics {
		t.add()
		if r.Segment != "" {
			t.set("segment", r.Segment)
			t.set("level", level)
		}
		t.set("status", "ok")
		switch m := m.(type) {
		case *results.LiftMetric:
			addLift(t, m)
		case *results.RateMetric:
			t.set("question", m.Question)
			t.setText("option", m.Option)
			t.set("type", m.Type)
			t.setText("metric", string(m.Metric))
			setRate(t, "all", m.All)
			t.set("low_sample", m.LowSample)
			t.setText("notes", m.Notes)
		case *results.NPSMetric:
			t.set("question", m.Question)
			t.set("type", m.Type)
			setNPS(t, "control", m.Control)
			setNPS(t, "exposed", m.Exposed)
			setNPS(t, "all", m.All)
			if m.Diff != nil {
				t.setAs("diff", *m.Diff, survey.FormatOneDecimal)
			}
			if m.DiffCI != nil {
				t.setCIAs("diff", *m.DiffCI, survey.FormatOneDecimal)
			}
			t.setOptional("p_value", m.PValue)
			setTest(t, m.Test, survey.FormatOneDecimal)
			t.setText("reasons", joinReasons(m.Reasons))
		case *results.RatingMetric:
			t.set("question", m.Question)
			t.set("type", m.Type)
			t.set("scale", m.Scale)
			setRating(t, "control", m.Control)
			setRating(t, "exposed", m.Exposed)
			setRating(t, "all", m.All)
			if m.MeanDiff != nil {
				t.setAs("diff", *m.MeanDiff, survey.FormatTwoDecimals)
			}
			if m.MeanDiffCI != nil {
				t.setCIAs("diff", *m.MeanDiffCI, survey.FormatTwoDecimals)
			}
			t.setOptional("p_value", m.PValue)
			setTest(t, m.Test, survey.FormatTwoDecimals)
			t.setText("reasons", joinReasons(m.Reasons))
		case *results.TextMetric:
			t.set("question", m.Question)
			t.set("type", m.Type)
			for g, n := range m.Answered {
				t.set(string(g)+"_n", n)
			}
		case *results.WithheldMetric:
			t.set("question", m.Question)
			t.setText("option", m.Option)
			t.set("type", m.Type)
			t.set("status", m.Status)
			for g, n := range m.N {
				t.set(string(g)+"_n", n)
			}
			t.set("min_per_group", m.Needed)
			t.setText("notes", m.Reason)
		}
	}
}

func addLift(t *table, m *results.LiftMetric) {
	t.set("question", m.Question)
	t.setText("option", m.Option)
	t.set("type", m.Type)
	t.setText("metric", string(m.Metric))
	setRate(t, "control", m.Control)
	setRate(t, "exposed", m.Exposed)
	t.set("abs_lift", m.AbsLift)
	t.setCI("abs_lift", m.AbsLiftCI)
	t.setOptional("rel_lift", m.RelLift)
	t.setOptionalCI("rel_lift", m.RelLiftCI)
	t.setOptional("headroom_lift", m.HeadroomLift)
	t.setOptionalCI("headroom_lift", m.HeadroomLiftCI)
	t.set("p_value", m.PValue)
	t.set("p_value_fisher", m.PValueFisher)
	t.set("q_value", m.QValue)
	t.set("prob_positive", m.ProbPositive)
	t.set("significant", m.Significant)
	t.setOptional("p_value_adjusted", m.PValueAdjusted)
	t.setText("adjustment", m.Adjustment)
	t.setOptional("lifted_users", m.LiftedUsers)
	t.setOptionalCI("lifted_users", m.LiftedUsersCI)
	t.setOptional("cost_per_lifted_user", m.CostPerLiftedUser)
	t.setOptionalCI("cost_per_lifted_user", m.CostPerLiftedUserCI)
	t.setOptional("mde", m.MDE)
	t.set("target_lift", m.TargetLift)
	if m.NeededPerGroup != nil {
		t.set("n_needed_per_group", *m.NeededPerGroup)
	}
	t.setText("notes", m.Notes)
	t.set("low_sample", m.LowSample)
	t.setText("significant_by", m.SignificantBy)
	t.set("z", m.Z)
	t.set("p_value_one_sided", m.PValueOneSided)
	t.set("abs_lift_se", m.AbsLiftSE)
	t.set("abs_lift_wald_ci_low", m.AbsLiftWaldCI.Lo)
	t.set("abs_lift_wald_ci_high", m.AbsLiftWaldCI.Hi)
	setSequential(t, m.Sequential, survey.FormatPercent)
	t.setText("reasons", joinReasons(m.Reasons))
}

// setTest fills the verdict of an NPS or rating comparison; unit is the
// format of its difference.
func setTest(t *table, v results.Test, unit survey.NumberFormat) {
	t.setOptional("q_value", v.QValue)
	if v.Significant != nil {
		t.set("significant", *v.Significant)
	}
	t.setText("significant_by", v.SignificantBy)
	t.setOptional("p_value_adjusted", v.PValueAdjusted)
	t.setText("adjustment", v.Adjustment)
	if v.Sequential != nil {
		setSequential(t, *v.Sequential, unit)
	}
	t.set("low_sample", v.LowSample)
	t.setText("notes", v.Notes)
}

// setSequential fills the always-valid reading; its estimate and sequence
// are left null when it is not defined, with the reason.
func setSequential(t *table, s stats.Sequential, unit survey.NumberFormat) {
	t.set("sequential_defined", s.Defined)
	t.setText("sequential_reason", s.Reason)
	if !s.Defined {
		return
	}
	t.set("p_value_sequential", s.PValue)
	t.setAs("sequential_abs_lift", s.AbsLift, unit)
	t.setAs("sequential_cs_low", s.CS.Lo, unit)
	t.setAs("sequential_cs_high", s.CS.Hi, unit)
	t.set("sequential_tuning", s.Tuning)
	t.set("sequential_rho2", s.Rho2)
}

// joinReasons writes a metric's reasons as "field: why; field: why", in
// field order.
func joinReasons(reasons map[string]string) string {
	keys := make([]string, 0, len(reasons))
	for k := range reasons {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + reasons[k]
	}
	return strings.Join(parts, "; ")
}

func setRate(t *table, g string, r results.GroupRate) {
	t.set(g+"_n", r.N)
	t.set(g+"_positive", r.Positive)
	t.set(g+"_rate", r.Rate)
	t.setCIAs(g, r.CI, survey.FormatPercent)
	if r.EffectiveN != 0 {
		t.set(g+"_effective_n", r.EffectiveN)
	}
}

func setNPS(t *table, g string, n *results.NPSGroup) {
	if n == nil {
		return
	}
	t.set(g+"_n", n.N)
	t.set(g+"_nps", n.NPS)
	t.setCIAs(g, n.CI, survey.FormatOneDecimal)
	t.set(g+"_promoters", n.Promoters)
	t.set(g+"_passives", n.Passives)
	t.set(g+"_detractors", n.Detractors)
}

func setRating(t *table, g string, r *results.RatingGroup) {
	if r == nil {
		return
	}
	t.set(g+"_n", r.N)
	t.set(g+"_mean", r.Mean)
	t.setCIAs(g, r.MeanCI, survey.FormatTwoDecimals)
	t.set(g+"_sd", r.SD)
	t.set(g+"_top2box", r.Top2Box)
	t.setCI(g+"_top2box", r.Top2BoxCI)
	levels := make([]string, len(r.Levels))
	for i, n := range r.Levels {
		levels[i] = strconv.FormatInt(n, 10)
	}
	t.setText(g+"_levels", strings.Join(levels, " "))
}
