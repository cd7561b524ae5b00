package api

import (
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// armMetrics adds the metrics of one cell or wave, naming it in the
// table's first column.
func armMetrics(t *table, r *results.Report, column, key string, metrics []any) {
	first := len(t.rows)
	addMetrics(t, r, "", metrics)
	for i := first; i < len(t.rows); i++ {
		t.rows[i][t.index[column]] = key
	}
}

// cellsTable is each cell's metrics against control, one row per cell and
// metric, with the metrics table's columns after cell and, last, the
// Holm-adjusted p-value (p_value_adjusted) and the adjustment's name.
func cellsTable(r *results.Report) *table {
	t := metricsTable(r, []string{"cell"}, []string{"p_value_adjusted", "adjustment"})
	for _, c := range r.Cells.Cells {
		armMetrics(t, r, "cell", c.Cell, c.Metrics)
	}
	return t
}

// cellPairsTable is the cells against each other: per pair and metric,
// B minus A with the Holm-adjusted p-value over the pairs.
func cellPairsTable(r *results.Report) *table {
	t := newTable([]string{"a", "b", "question", "option", "measure", "a_value", "b_value", "n_a", "n_b",
		"diff", "diff_ci_low", "diff_ci_high", "p_value", "p_value_adjusted", "test", "significant", "low_sample", "reason"})
	t.format(survey.FormatInteger, "n_a", "n_b")
	t.format(survey.FormatScientific, "p_value", "p_value_adjusted")
	for _, p := range r.Cells.Pairs {
		for _, m := range p.Metrics {
			t.add()
			t.set("a", p.A)
			t.set("b", p.B)
			t.set("question", m.Question)
			t.setText("option", m.Option)
			t.set("measure", m.Measure)
			f := measureFormat(m.Measure)
			t.setAs("a_value", m.A, f)
			t.setAs("b_value", m.B, f)
			t.set("n_a", m.NA)
			t.set("n_b", m.NB)
			t.setAs("diff", m.Diff, f)
			t.setCIAs("diff", m.DiffCI, f)
			t.set("p_value", m.PValue)
			t.set("p_value_adjusted", m.PValueAdjusted)
			t.set("test", m.TestName)
			t.set("significant", m.Significant)
			t.set("low_sample", m.LowSample)
			t.setText("reason", m.Reason)
		}
	}
	return t
}

// measureFormat is how a measure's values are shown: rates and lifts as
// percentages, NPS in points, means with two decimals.
func measureFormat(measure string) survey.NumberFormat {
	switch measure {
	case "rate", "abs_lift":
		return survey.FormatPercent
	case "nps", "nps_diff":
		return survey.FormatOneDecimal
	}
	return survey.FormatTwoDecimals
}

// wavesTable is each wave's metrics, one row per wave and metric.
func wavesTable(r *results.Report) *table {
	t := metricsTable(r, []string{"wave"}, nil)
	for _, w := range r.Waves.Waves {
		armMetrics(t, r, "wave", w.Wave, w.Metrics)
	}
	return t
}

// waveComparisonsTable compares each wave with the one before it: rows of
// comparison change (the whole wave) and diff_in_diff (the lifts); a
// comparison without a difference-in-differences has one diff_in_diff
// row with only its reason.
func waveComparisonsTable(r *results.Report) *table {
	t := newTable([]string{"before", "after", "comparison", "question", "option", "measure", "previous", "current",
		"diff", "diff_ci_low", "diff_ci_high", "se", "z", "p_value", "defined", "low_sample", "reason"})
	t.format(survey.FormatScientific, "p_value")
	t.format(survey.FormatTwoDecimals, "z")
	for _, c := range r.Waves.Comparisons {
		rows := func(kind string, changes []results.PeriodChange) {
			for _, ch := range changes {
				t.add()
				t.set("before", c.Before)
				t.set("after", c.After)
				t.set("comparison", kind)
				t.set("question", ch.Question)
				t.setText("option", ch.Option)
				t.set("measure", ch.Measure)
				f := measureFormat(ch.Measure)
				t.setAs("previous", ch.Previous, f)
				t.setAs("current", ch.Current, f)
				t.setAs("diff", ch.Diff, f)
				t.setCIAs("diff", ch.DiffCI, f)
				t.setAs("se", ch.SE, f)
				t.set("z", ch.Z)
				t.set("p_value", ch.PValue)
				t.set("defined", ch.Defined)
				t.set("low_sample", ch.LowSample)
				t.setText("reason", ch.Reason)
			}
		}
		rows("change", c.Change)
		rows("diff_in_diff", c.DiffInDiff)
		if len(c.DiffInDiff) == 0 {
			t.add()
			t.set("before", c.Before)
			t.set("after", c.After)
			t.set("comparison", "diff_in_diff")
			t.setText("reason", c.Reason)
		}
	}
	return t
}
