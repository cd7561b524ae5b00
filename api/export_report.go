package api

import (
	"sort"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// reportFormats are the file formats of the report export.
var reportFormats = []string{"csv", "xlsx"}

// writeReportFile sends the report as a file: one row per metric (see
// reportTable). XLSX adds a "summary" sheet with the counts, health and
// weighting behind the numbers. CSV takes bom and delimiter like the raw
// export.
func (s *Server) writeReportFile(c echo.Context, r *results.Report, format string) error {
	fo, err := readFileOptions(c)
	if err != nil {
		return err
	}
	t := reportTable(r)
	name := "brandlift-" + r.StudyID + "-results"
	if r.Segment != "" {
		name += "-by-" + r.Segment
	}
	if format == "xlsx" {
		d := startDownload(c, responseFormats["xlsx"].contentType, name+".xlsx")
		return s.finish(d, writeReportXLSX(d, r, t))
	}
	f := responseFormats["csv"]
	d := startDownload(c, f.contentType, name+".csv")
	return s.finish(d, writeTable(d, f, t.cols, fo, t.each))
}

func writeReportXLSX(d *download, r *results.Report, t *table) error {
	x, err := tabular.NewXLSX(d, "results", t.cols)
	if err != nil {
		return err
	}
	if err := t.each(x.WriteRow); err != nil {
		return err
	}
	if err := x.Sheet("summary", columnsOf("field", "value")); err != nil {
		return err
	}
	for _, kv := range reportSummary(r) {
		if err := x.WriteRow(kv[:]); err != nil {
			return err
		}
	}
	return x.Close()
}

// table is a small table built in memory (a report has tens of rows).
type table struct {
	cols  []survey.ExportColumn
	index map[string]int
	rows  [][]any
}

func newTable(names []string) *table {
	t := &table{cols: columnsOf(names...), index: map[string]int{}}
	for i, n := range names {
		t.index[n] = i
	}
	return t
}

// add starts a row; set fills its cells by column name.
func (t *table) add() { t.rows = append(t.rows, make([]any, len(t.cols))) }

func (t *table) set(name string, v any) {
	i, ok := t.index[name]
	if !ok {
		return // a column of the other kind of study
	}
	t.rows[len(t.rows)-1][i] = v
}

// setText fills a text cell, leaving it null when s is empty.
func (t *table) setText(name, s string) {
	if s != "" {
		t.set(name, s)
	}
}

func (t *table) setCI(name string, iv stats.Interval) {
	t.set(name+"_ci_low", iv.Lo)
	t.set(name+"_ci_high", iv.Hi)
}

func (t *table) setOptional(name string, v *float64) {
	if v != nil {
		t.set(name, *v)
	}
}

func (t *table) setOptionalCI(name string, iv *stats.Interval) {
	if iv != nil {
		t.setCI(name, *iv)
	}
}

func (t *table) each(fn func([]any) error) error {
	for _, r := range t.rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// groupColumns are the per-group columns of the report table, each
// prefixed with the group (control_, exposed_, or all_ in nps studies).
// ci_low and ci_high bound whichever of rate, nps or mean the row has.
var groupColumns = []string{"n", "positive", "rate", "nps", "mean", "ci_low", "ci_high", "effective_n",
	"promoters", "passives", "detractors", "sd", "top2box", "top2box_ci_low", "top2box_ci_high"}

// comparisonColumns compare exposed with control (brand-lift studies).
// diff is the NPS difference in points or the rating mean difference.
var comparisonColumns = []string{
	"abs_lift", "abs_lift_ci_low", "abs_lift_ci_high", "rel_lift", "rel_lift_ci_low", "rel_lift_ci_high",
	"headroom_lift", "headroom_lift_ci_low", "headroom_lift_ci_high", "diff", "diff_ci_low", "diff_ci_high",
	"p_value", "p_value_fisher", "q_value", "prob_positive", "significant", "p_value_sequential",
	"lifted_users", "lifted_users_ci_low", "lifted_users_ci_high",
	"cost_per_lifted_user", "cost_per_lifted_user_ci_low", "cost_per_lifted_user_ci_high",
	"mde", "target_lift", "n_needed_per_group"}

// reportGroups are the groups a report's metrics describe.
func reportGroups(r *results.Report) []survey.Group {
	if r.Kind == survey.KindNPS {
		return []survey.Group{survey.GroupAll}
	}
	return []survey.Group{survey.GroupControl, survey.GroupExposed}
}

// reportTable flattens the report's metrics into one row per metric:
// question, option, type, metric, status (ok or not_enough_data), the
// per-group columns, the comparison columns (brand-lift studies), the
// minimum per group of a withheld metric, and notes. A segmented report
// adds segment and level columns, and its rows per level follow the
// overall rows (whose level is empty).
func reportTable(r *results.Report) *table {
	var names []string
	if r.Segment != "" {
		names = append(names, "segment", "level")
	}
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
	names = append(names, "min_per_group", "notes")
	t := newTable(names)
	addMetrics(t, r, "", r.Metrics)
	for _, s := range r.Segments {
		addMetrics(t, r, s.Level, s.Metrics)
	}
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
		case *results.NPSMetric:
			t.set("question", m.Question)
			t.set("type", m.Type)
			setNPS(t, "control", m.Control)
			setNPS(t, "exposed", m.Exposed)
			setNPS(t, "all", m.All)
			t.setOptional("diff", m.Diff)
			t.setOptionalCI("diff", m.DiffCI)
			t.setOptional("p_value", m.PValue)
		case *results.RatingMetric:
			t.set("question", m.Question)
			t.set("type", m.Type)
			setRating(t, "control", m.Control)
			setRating(t, "exposed", m.Exposed)
			setRating(t, "all", m.All)
			t.setOptional("diff", m.MeanDiff)
			t.setOptionalCI("diff", m.MeanDiffCI)
			t.setOptional("p_value", m.PValue)
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
	if m.Sequential.Defined {
		t.set("p_value_sequential", m.Sequential.PValue)
	}
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
}

func setRate(t *table, g string, r results.GroupRate) {
	t.set(g+"_n", r.N)
	t.set(g+"_positive", r.Positive)
	t.set(g+"_rate", r.Rate)
	t.setCI(g, r.CI)
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
	t.setCI(g, n.CI)
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
	t.setCI(g, r.MeanCI)
	t.set(g+"_sd", r.SD)
	t.set(g+"_top2box", r.Top2Box)
	t.setCI(g+"_top2box", r.Top2BoxCI)
}

// reportSummary is the report's counts, health and weighting as
// field/value pairs, for the XLSX summary sheet.
func reportSummary(r *results.Report) [][2]any {
	out := [][2]any{
		{"study_id", r.StudyID}, {"kind", string(r.Kind)}, {"confidence", r.Confidence},
		{"generated_at", r.GeneratedAt}, {"weighting", r.Weighting}, {"include_flagged", r.IncludeFlagged},
	}
	if r.Segment != "" {
		out = append(out, [2]any{"segment", r.Segment})
	}
	if r.Kind == survey.KindNPS {
		out = append(out, [2]any{"counts.all", r.Counts.All})
	} else {
		out = append(out, [2]any{"counts.exposed", r.Counts.Exposed}, [2]any{"counts.control", r.Counts.Control})
	}
	out = append(out, [2]any{"counts.flagged", r.Counts.Flagged})
	for _, k := range sortedNames(r.Counts.FlaggedBy) {
		out = append(out, [2]any{"counts.flagged_by." + k, r.Counts.FlaggedBy[k]})
	}
	h := r.Health
	out = append(out, [2]any{"health.enough_data", h.EnoughData}, [2]any{"health.min_per_group", h.MinPerGroup})
	for _, p := range h.Progress {
		pre := "health.progress." + string(p.Group) + "."
		out = append(out, [2]any{pre + "complete", p.Complete})
		if p.Target > 0 {
			out = append(out, [2]any{pre + "target", p.Target}, [2]any{pre + "share", p.Share})
		}
		out = append(out, [2]any{pre + "full", p.Full})
	}
	if srm := h.SRM; srm != nil {
		if srm.Defined {
			out = append(out, [2]any{"health.srm.chi_sq", srm.ChiSq}, [2]any{"health.srm.df", srm.DF},
				[2]any{"health.srm.p_value", srm.PValue}, [2]any{"health.srm.mismatch", srm.Mismatch})
		} else {
			out = append(out, [2]any{"health.srm", "undefined: " + srm.Reason})
		}
	}
	for i, n := range h.Notes {
		out = append(out, [2]any{"health.notes." + strconv.Itoa(i+1), n})
	}
	if w := r.Weights; w != nil {
		out = append(out, [2]any{"weights.method", w.Method}, [2]any{"weights.attributes", strings.Join(w.Attributes, ", ")},
			[2]any{"weights.target", w.Target}, [2]any{"weights.converged", w.Converged},
			[2]any{"weights.iterations", w.Iterations}, [2]any{"weights.max_weight", w.MaxWeight},
			[2]any{"weights.trimmed", w.Trimmed})
		for _, g := range reportGroups(r) {
			if n, ok := w.EffectiveN[g]; ok {
				out = append(out, [2]any{"weights.effective_n." + string(g), n})
			}
		}
		if w.Notes != "" {
			out = append(out, [2]any{"weights.notes", w.Notes})
		}
	}
	return out
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
