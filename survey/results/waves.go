package results

import (
	"github.com/brandlift/brandlift/survey"
)

// WavesReport is a wave series: each wave's own report, and each wave
// after the first against the one before it.
type WavesReport struct {
	// Main is the wave the report's headline metrics describe: the latest
	// with responses.
	Main        string           `json:"main"`
	Waves       []WaveReport     `json:"waves"`
	Comparisons []WaveComparison `json:"comparisons"`
}

// WaveReport is one wave: its counts and metrics, exposed against control
// as in any brand-lift report.
type WaveReport struct {
	Wave     string      `json:"wave"`
	Name     survey.Text `json:"name,omitempty"`
	StartsAt *string     `json:"starts_at,omitempty"`
	EndsAt   *string     `json:"ends_at,omitempty"`
	Counts   GroupCounts `json:"counts"`
	Metrics  []any       `json:"metrics"`
}

// WaveComparison compares wave After with wave Before, metric by metric.
type WaveComparison struct {
	Before string `json:"before"`
	After  string `json:"after"`
	// Change is each metric over the whole wave (exposed and control
	// together): the after-minus-before difference of two independent
	// samples with its interval and z-test.
	Change []PeriodChange `json:"change"`
	// DiffInDiff is, when both waves have exposed and control answers,
	// the change of each lift (exposed minus control) from Before to
	// After: (after_e - after_c) - (before_e - before_c), with the normal
	// interval of the sum of the two lifts' variances and its z-test.
	DiffInDiff []PeriodChange `json:"diff_in_diff"`
	// Reason says why DiffInDiff is empty.
	Reason string `json:"reason,omitempty"`
}

// wavesReport builds each wave's report and the comparisons of
// consecutive waves. base is the main report's builder: its rules apply.
func wavesReport(st *survey.Study, data *Tallies, gcs []GroupCount, base *builder, o Options, main string) *WavesReport {
	out := &WavesReport{Main: main, Waves: []WaveReport{}, Comparisons: []WaveComparison{}}
	population := *st
	population.Kind = survey.KindNPS // one population: rates, NPS and means of the whole wave
	var prevSplit, prevWhole *metricSet
	var prevKey string
	var prevBoth bool
	for _, w := range st.Waves {
		split := base.sub(&view{data: data.regroup(pooled(w.Key))}).build()
		qValues(split.tests)
		wholeB := base.sub(&view{data: data.regroup(wholeWave(w.Key))})
		wholeB.st = &population
		whole := wholeB.build()
		counts := countsOf(regroupCounts(gcs, pooled(w.Key)), o.IncludeFlagged)
		wr := WaveReport{Wave: w.Key, Name: w.Name, Counts: GroupCounts{Exposed: counts.Exposed, Control: counts.Control}, Metrics: split.metrics}
		if w.StartsAt != nil {
			wr.StartsAt = ptr(w.StartsAt.UTC().Format("2006-01-02T15:04:05Z"))
		}
		if w.EndsAt != nil {
			wr.EndsAt = ptr(w.EndsAt.UTC().Format("2006-01-02T15:04:05Z"))
		}
		out.Waves = append(out.Waves, wr)
		both := counts.Exposed > 0 && counts.Control > 0
		if prevSplit != nil {
			cmp := WaveComparison{Before: prevKey, After: w.Key,
				Change: changes(&population, prevWhole, &whole, o.Confidence), DiffInDiff: []PeriodChange{}}
			if prevBoth && both {
				cmp.DiffInDiff = changes(st, prevSplit, &split, o.Confidence)
			} else {
				cmp.Reason = "a difference-in-differences needs exposed and control answers in both waves"
			}
			out.Comparisons = append(out.Comparisons, cmp)
		}
		prevSplit, prevWhole, prevKey, prevBoth = &split, &whole, w.Key, both
	}
	return out
}
