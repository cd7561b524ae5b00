package api

import (
	"sort"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// segmentsTable describes the levels of a segmented report, one row each:
// segment, level, the value of each attribute of a crossed level
// (attr_<name>), the levels pooled into "other" ("; "-separated), notes,
// and the responses per group. The levels' metrics are rows of the
// metrics table.
func segmentsTable(r *results.Report) *table {
	names := []string{"segment", "level"}
	dims := strings.Split(r.Segment, ",")
	if len(dims) > 1 {
		for _, d := range dims {
			names = append(names, "attr_"+d)
		}
	}
	names = append(names, "other", "notes")
	for _, g := range reportGroups(r) {
		names = append(names, string(g)+"_n")
	}
	t := newTable(names)
	for _, g := range reportGroups(r) {
		t.format(survey.FormatInteger, string(g)+"_n")
	}
	for _, s := range r.Segments {
		t.add()
		t.set("segment", r.Segment)
		t.set("level", s.Level)
		for a, v := range s.Values {
			t.set("attr_"+a, v)
		}
		t.setText("other", strings.Join(s.Other, "; "))
		t.setText("notes", s.Notes)
		t.set("control_n", s.Counts.Control)
		t.set("exposed_n", s.Counts.Exposed)
		t.set("all_n", s.Counts.All)
	}
	return t
}

// stratifiedTable is the post-stratified lift of each lift metric
// (stats.StratifiedLift), one row each. The lift and its test are null
// when not defined (see reason), the Cochran-Mantel-Haenszel test and the
// Mantel-Haenszel odds ratio when their own defined column is false: the
// JSON's 0 and 1 there are placeholders, not estimates.
func stratifiedTable(r *results.Report) *table {
	t := newTable([]string{"by", "question", "option", "metric", "confidence", "exposed_rate", "control_rate",
		"abs_lift", "abs_lift_se", "abs_lift_ci_low", "abs_lift_ci_high", "z", "p_value",
		"cmh_chi_sq", "cmh_p_value", "cmh_defined", "odds_ratio_mh", "odds_ratio_mh_defined",
		"strata", "strata_dropped", "exposed_dropped", "control_dropped", "defined", "reason"})
	t.format(survey.FormatPercent, "confidence", "exposed_rate", "control_rate", "abs_lift", "abs_lift_se",
		"abs_lift_ci_low", "abs_lift_ci_high")
	t.format(survey.FormatScientific, "p_value", "cmh_p_value")
	t.format(survey.FormatTwoDecimals, "z", "cmh_chi_sq", "odds_ratio_mh")
	t.format(survey.FormatInteger, "strata", "strata_dropped", "exposed_dropped", "control_dropped")
	if r.Stratified == nil {
		return t
	}
	by := strings.Join(r.Stratified.By, ",")
	for _, m := range r.Stratified.Metrics {
		t.add()
		t.set("by", by)
		t.set("question", m.Question)
		t.setText("option", m.Option)
		t.setText("metric", string(m.Metric))
		t.set("confidence", m.Confidence)
		if m.Defined {
			t.set("exposed_rate", m.ExposedRate)
			t.set("control_rate", m.ControlRate)
			t.set("abs_lift", m.AbsLift)
			t.set("abs_lift_se", m.AbsLiftSE)
			t.setCI("abs_lift", m.AbsLiftCI)
			t.set("z", m.Z)
			t.set("p_value", m.PValue)
		}
		if m.CMHDefined {
			t.set("cmh_chi_sq", m.CMH)
			t.set("cmh_p_value", m.CMHPValue)
		}
		t.set("cmh_defined", m.CMHDefined)
		if m.OddsRatioMHDefined {
			t.set("odds_ratio_mh", m.OddsRatioMH)
		}
		t.set("odds_ratio_mh_defined", m.OddsRatioMHDefined)
		t.set("strata", m.Strata)
		t.set("strata_dropped", m.Dropped)
		t.set("exposed_dropped", m.DroppedExposed)
		t.set("control_dropped", m.DroppedControl)
		t.set("defined", m.Defined)
		t.setText("reason", m.Reason)
	}
	return t
}

// frequencyTable is the lift by exposure frequency, one row per metric
// and bucket: the whole control group (repeated on each row of a metric),
// the exposed respondents of the bucket, and their comparison.
func frequencyTable(r *results.Report) *table {
	t := newTable([]string{"question", "option", "bucket", "control_n", "control_positive", "control_rate",
		"control_ci_low", "control_ci_high", "exposed_n", "exposed_rate", "abs_lift", "abs_lift_ci_low",
		"abs_lift_ci_high", "p_value", "enough_data"})
	t.format(survey.FormatInteger, "control_n", "control_positive", "exposed_n")
	t.format(survey.FormatPercent, "control_rate", "control_ci_low", "control_ci_high", "exposed_rate",
		"abs_lift", "abs_lift_ci_low", "abs_lift_ci_high")
	t.format(survey.FormatScientific, "p_value")
	for _, f := range r.Frequency {
		for _, b := range f.Buckets {
			t.add()
			t.set("question", f.Question)
			t.setText("option", f.Option)
			t.set("bucket", b.Bucket)
			t.set("control_n", f.Control.N)
			t.set("control_positive", f.Control.Positive)
			t.set("control_rate", f.Control.Rate)
			t.setCI("control", f.Control.CI)
			t.set("exposed_n", b.N)
			t.set("exposed_rate", b.Rate)
			t.set("abs_lift", b.AbsLift)
			t.setCI("abs_lift", b.AbsLiftCI)
			t.set("p_value", b.PValue)
			t.set("enough_data", b.Enough)
		}
	}
	return t
}

// measureFormats are the number formats of a KPI target's measure.
var measureFormats = map[string]survey.NumberFormat{"abs_lift": survey.FormatPercent, "rel_lift": survey.FormatPercent,
	"top2box": survey.FormatPercent, "nps": survey.FormatOneDecimal, "mean": survey.FormatTwoDecimals}

// targetsTable is the KPI targets with their status, one row each; target,
// estimate and the interval are in the measure's unit.
func targetsTable(r *results.Report) *table {
	t := newTable([]string{"question", "option", "measure", "target", "deadline", "estimate", "ci_low", "ci_high",
		"prob_above", "status", "reason"})
	t.format(survey.FormatPercent, "prob_above")
	for _, tr := range r.Targets {
		f := measureFormats[tr.Measure]
		t.add()
		t.set("question", tr.Question)
		t.setText("option", tr.Option)
		t.set("measure", tr.Measure)
		t.setAs("target", tr.Target.Target, f)
		t.set("deadline", tr.Deadline)
		if tr.Estimate != nil {
			t.setAs("estimate", *tr.Estimate, f)
		}
		if tr.CI != nil {
			t.setAs("ci_low", tr.CI.Lo, f)
			t.setAs("ci_high", tr.CI.Hi, f)
		}
		t.setOptional("prob_above", tr.ProbAbove)
		t.set("status", tr.Status)
		t.setText("reason", tr.Reason)
	}
	return t
}

// fields is a two-column table of field names and typed values, for the
// parts of the report that are not lists of like rows.
type fields struct{ t *table }

func newFields() fields { return fields{newTable([]string{"field", "value"})} }

func (f fields) add(name string, v any) {
	f.t.add()
	f.t.set("field", name)
	f.t.set("value", v)
}

// number adds a number with its format: the value column mixes kinds.
func (f fields) number(name string, v float64, format survey.NumberFormat) {
	f.add(name, tabular.Formatted{Value: v, Format: format})
}

func (f fields) count(name string, n int64) {
	f.add(name, tabular.Formatted{Value: n, Format: survey.FormatInteger})
}

// list adds name.1, name.2, ... for the items.
func (f fields) list(name string, items []string) {
	for i, s := range items {
		f.add(name+"."+strconv.Itoa(i+1), s)
	}
}

// healthTable is the responses behind the report and the study's health,
// as fields: counts (and flagged by reason), enough_data and
// min_per_group, each group's progress to its target, the sample ratio
// check (its test when defined, else the reason; observed and expected
// sizes are control's, then exposed's), the low-sample metrics (their
// number, then each) and the notes.
func healthTable(r *results.Report) *table {
	f := newFields()
	if r.Kind == survey.KindNPS {
		f.count("counts.all", r.Counts.All)
	} else {
		f.count("counts.exposed", r.Counts.Exposed)
		f.count("counts.control", r.Counts.Control)
	}
	f.count("counts.flagged", r.Counts.Flagged)
	for _, k := range sortedNames(r.Counts.FlaggedBy) {
		f.count("counts.flagged_by."+k, r.Counts.FlaggedBy[k])
	}
	h := r.Health
	f.add("enough_data", h.EnoughData)
	f.count("min_per_group", h.MinPerGroup)
	for _, p := range h.Progress {
		pre := "progress." + string(p.Group) + "."
		f.count(pre+"complete", p.Complete)
		if p.Target > 0 {
			f.count(pre+"target", p.Target)
			f.number(pre+"share", p.Share, survey.FormatPercent)
		}
		f.add(pre+"full", p.Full)
	}
	if srm := h.SRM; srm != nil {
		f.add("srm.defined", srm.Defined)
		// srmCheck (survey/results) lists control, then exposed.
		srmGroups := []string{"control", "exposed"}
		for i, n := range srm.Observed {
			if i < len(srmGroups) {
				f.count("srm.observed."+srmGroups[i], n)
			}
		}
		for i, e := range srm.Expected {
			if i < len(srmGroups) {
				f.number("srm.expected."+srmGroups[i], e, survey.FormatTwoDecimals)
			}
		}
		if srm.Defined {
			f.number("srm.chi_sq", srm.ChiSq, survey.FormatTwoDecimals)
			f.count("srm.df", int64(srm.DF))
			f.number("srm.p_value", srm.PValue, survey.FormatScientific)
			f.add("srm.mismatch", srm.Mismatch)
		}
		if srm.Reason != "" {
			f.add("srm.reason", srm.Reason)
		}
	}
	f.count("low_sample.count", int64(len(h.LowSample)))
	f.list("low_sample", h.LowSample)
	f.list("notes", h.Notes)
	return f.t
}

// weightsTable is the raking behind a weighted report, as fields.
func weightsTable(r *results.Report) *table {
	f := newFields()
	w := r.Weights
	if w == nil {
		return f.t
	}
	f.add("method", w.Method)
	f.add("attributes", strings.Join(w.Attributes, ", "))
	f.add("target", w.Target)
	f.add("converged", w.Converged)
	f.count("iterations", int64(w.Iterations))
	for _, g := range reportGroups(r) {
		if n, ok := w.EffectiveN[g]; ok {
			f.number("effective_n."+string(g), n, survey.FormatOneDecimal)
		}
	}
	f.number("max_weight", w.MaxWeight, survey.FormatTwoDecimals)
	f.count("trimmed", int64(w.Trimmed))
	if w.Notes != "" {
		f.add("notes", w.Notes)
	}
	return f.t
}

// methodsTable names the method behind each kind of number, by name.
func methodsTable(r *results.Report) *table {
	t := newTable([]string{"name", "method"})
	for _, k := range sortedNames(r.Methods) {
		t.add()
		t.set("name", k)
		t.set("method", r.Methods[k])
	}
	return t
}

// summaryTable is what the report is and the options it was computed
// with, as fields: the request's, or the study's defaults it took.
func summaryTable(r *results.Report) *table {
	f := newFields()
	f.add("study_id", r.StudyID)
	f.add("kind", string(r.Kind))
	f.add("generated_at", r.GeneratedAt)
	f.add("as_of", r.AsOf)
	f.add("read_from", r.ReadFrom)
	if r.LagSeconds != nil {
		f.add("replica_lag_seconds", *r.LagSeconds)
	}
	f.number("confidence", r.Confidence, survey.FormatPercent)
	f.add("weighting", r.Weighting)
	if r.Stratified != nil {
		f.add("by", strings.Join(r.Stratified.By, ","))
	}
	if r.Segment != "" {
		f.add("segment", r.Segment)
	}
	f.add("include_flagged", r.IncludeFlagged)
	f.count("min_per_group", r.MinPerGroup)
	f.add("significance", r.Significance)
	f.add("ignore_srm", r.IgnoreSRM)
	return f.t
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
