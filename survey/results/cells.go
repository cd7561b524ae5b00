package results

import (
	"fmt"
	"strings"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// CorrectionHolm names the family-wise correction of a multi-cell report.
const CorrectionHolm = "holm"

// CellsReport compares each exposed cell of a multi-cell study with the
// one control group, and the cells with each other. Holm's step-down
// correction (stats.Holm) runs per metric over the cells' comparisons with
// control, and separately over the pairs of cells: see Methods for why
// Holm and not Dunnett.
type CellsReport struct {
	Correction string       `json:"correction"` // "holm"
	Cells      []CellReport `json:"cells"`
	Pairs      []CellPair   `json:"pairs"`
	Notes      []string     `json:"notes,omitempty"`
}

// CellReport is one exposed cell against control: every metric the
// report has, with its Holm-adjusted p-value (p_value_adjusted) deciding
// "significant".
type CellReport struct {
	Cell    string      `json:"cell"`
	Name    survey.Text `json:"name,omitempty"`
	Counts  GroupCounts `json:"counts"` // exposed: this cell
	Metrics []any       `json:"metrics"`
}

// CellPair compares two cells' exposed respondents: B minus A.
type CellPair struct {
	A       string       `json:"a"`
	B       string       `json:"b"`
	Metrics []PairMetric `json:"metrics"`
}

// PairMetric is one metric's difference between two cells: rates
// (Newcombe interval; z-test, or Fisher's exact test below min_per_group),
// NPS (z-test of two NPS values) or mean ratings (Welch), with the
// Holm-adjusted p-value over the pairs that decides "significant".
type PairMetric struct {
	Question string `json:"question"`
	Option   string `json:"option,omitempty"`
	// Measure is rate, nps or mean: what A and B are.
	Measure        string         `json:"measure"`
	A              float64        `json:"a"`
	B              float64        `json:"b"`
	NA             int64          `json:"n_a"`
	NB             int64          `json:"n_b"`
	Diff           float64        `json:"diff"` // B - A
	DiffCI         stats.Interval `json:"diff_ci"`
	PValue         float64        `json:"p_value"`
	PValueAdjusted float64        `json:"p_value_adjusted"`
	TestName       string         `json:"test"` // z_test, fisher_exact, welch_t
	Significant    bool           `json:"significant"`
	LowSample      bool           `json:"low_sample"`
	Reason         string         `json:"reason,omitempty"`
}

// cellsReport builds each cell's report against control and the pairwise
// comparisons. base is the pooled report's builder: its rules apply.
func cellsReport(st *survey.Study, data *Tallies, gcs []GroupCount, base *builder, o Options) (*CellsReport, error) {
	out := &CellsReport{Correction: CorrectionHolm, Cells: []CellReport{}, Pairs: []CellPair{}}
	sets := make([]metricSet, len(st.Cells))
	for i, c := range st.Cells {
		v := &view{data: data.regroup(cellAgainstControl(c.Key))}
		if o.Weighting == "rake" {
			if _, err := rake(st, v); err != nil {
				return nil, err
			}
		}
		b := base.sub(v)
		sets[i] = b.build()
		qValues(sets[i].tests)
		counts := countsOf(regroupCounts(gcs, cellAgainstControl(c.Key)), o.IncludeFlagged)
		out.Cells = append(out.Cells, CellReport{Cell: c.Key, Name: c.Name,
			Counts: GroupCounts{Exposed: counts.Exposed, Control: counts.Control}, Metrics: sets[i].metrics})
	}
	holmAcrossCells(sets, 1-o.Confidence, base.srmBlock)
	for i := range st.Cells {
		for j := i + 1; j < len(st.Cells); j++ {
			out.Pairs = append(out.Pairs, CellPair{A: st.Cells[i].Key, B: st.Cells[j].Key,
				Metrics: comparePair(st, &sets[i], &sets[j], base)})
		}
	}
	holmAcrossPairs(out.Pairs, 1-o.Confidence, base.srmBlock)
	if o.Weighting == "stratify" {
		out.Notes = append(out.Notes, "cells are compared unstratified; the stratified lift is of the pooled cells")
	}
	if base.srmBlock {
		out.Notes = append(out.Notes, "significance is off: "+reasonSRM)
	}
	return out, nil
}

// holmAcrossCells adjusts, per metric, the cells' primary p-values
// against control with Holm's procedure and decides significance by the
// adjusted value.
func holmAcrossCells(sets []metricSet, alpha float64, srmBlock bool) {
	byKey := map[string][]testRef{}
	var order []string
	for _, s := range sets {
		for _, t := range s.tests {
			if _, seen := byKey[t.key]; !seen {
				order = append(order, t.key)
			}
			byKey[t.key] = append(byKey[t.key], t)
		}
	}
	for _, key := range order {
		refs := byKey[key]
		p := make([]float64, len(refs))
		for i, t := range refs {
			p[i] = t.p
		}
		for i, adj := range stats.Holm(p) {
			refs[i].adjust(adj, adj < alpha && !srmBlock)
		}
	}
}

// holmAcrossPairs adjusts, per metric, the pairs' p-values.
func holmAcrossPairs(pairs []CellPair, alpha float64, srmBlock bool) {
	byKey := map[string][]*PairMetric{}
	var order []string
	for i := range pairs {
		for j := range pairs[i].Metrics {
			m := &pairs[i].Metrics[j]
			key := measureKey(m.Question, m.Option)
			if _, seen := byKey[key]; !seen {
				order = append(order, key)
			}
			byKey[key] = append(byKey[key], m)
		}
	}
	for _, key := range order {
		ms := byKey[key]
		p := make([]float64, len(ms))
		for i, m := range ms {
			p[i] = m.PValue
		}
		for i, adj := range stats.Holm(p) {
			ms[i].PValueAdjusted = adj
			ms[i].Significant = adj < alpha && !srmBlock
			if srmBlock {
				ms[i].Reason = joinNotes(ms[i].Reason, reasonSRM)
			}
		}
	}
}

// comparePair compares the exposed respondents of two cells, metric by
// metric, B minus A.
func comparePair(st *survey.Study, a, b *metricSet, base *builder) []PairMetric {
	out := []PairMetric{}
	for _, key := range measureKeys(st) {
		ma, mb := a.measures[key], b.measures[key]
		if ma == nil || mb == nil || ma.withheld || mb.withheld {
			continue
		}
		question, option, _ := strings.Cut(key, "/")
		pm := PairMetric{Question: question, Option: option}
		switch {
		case ma.lift != nil && mb.lift != nil:
			ea, eb := ma.lift.Exposed, mb.lift.Exposed
			ca, cb := stats.Count{Positive: ea.Positive, N: ea.N}, stats.Count{Positive: eb.Positive, N: eb.N}
			l := stats.CompareProportions(cb, ca, base.confidence)
			pm.Measure, pm.A, pm.B, pm.NA, pm.NB = "rate", ea.Rate, eb.Rate, ea.N, eb.N
			pm.Diff, pm.DiffCI, pm.PValue, pm.TestName, pm.Reason = l.AbsLift, l.AbsLiftCI, l.PValue, ByZTest, l.Reason
			if min(ea.N, eb.N) < base.minN {
				pm.PValue, pm.TestName, pm.LowSample = l.PValueFisher, ByFisherExact, true
			}
		case ma.nps != nil && mb.nps != nil:
			c := stats.CompareNPS(*mb.nps, *ma.nps, base.confidence)
			pm.Measure, pm.A, pm.B, pm.NA, pm.NB = "nps", ma.nps.NPS, mb.nps.NPS, ma.nps.N, mb.nps.N
			pm.Diff, pm.DiffCI, pm.PValue, pm.TestName, pm.Reason = c.Diff, c.DiffCI, c.PValue, ByZTest, c.Reason
			pm.LowSample = min(ma.nps.N, mb.nps.N) < base.minN
		case ma.rating != nil && mb.rating != nil:
			c := stats.CompareRatings(*mb.rating, *ma.rating, base.confidence)
			pm.Measure, pm.A, pm.B, pm.NA, pm.NB = "mean", ma.rating.Mean, mb.rating.Mean, ma.rating.N, mb.rating.N
			pm.Diff, pm.DiffCI, pm.PValue, pm.TestName, pm.Reason = c.MeanDiff, c.MeanDiffCI, c.PValue, ByWelch, c.Reason
			pm.LowSample = min(ma.rating.N, mb.rating.N) < base.minN
		default:
			continue
		}
		out = append(out, pm)
	}
	return out
}

// cellSRM tests the sizes of control and every cell against the planned
// split: control_share for control, the rest in the cells' shares.
func cellSRM(st *survey.Study, gcs []GroupCount, includeFlagged bool) *stats.SRM {
	share, ok, reason := st.ExpectedSplit()
	observed := make([]int64, 1+len(st.Cells))
	for _, gc := range gcs {
		if gc.Flags != "" && !includeFlagged {
			continue
		}
		_, g, cell := survey.SplitArm(gc.Group)
		switch {
		case g == survey.GroupControl:
			observed[0] += gc.N
		case g == survey.GroupExposed:
			for i, c := range st.Cells {
				if c.Key == cell {
					observed[1+i] += gc.N
				}
			}
		}
	}
	if !ok {
		return &stats.SRM{Observed: observed, Expected: []float64{}, PValue: 1, Reason: reason}
	}
	shares := []float64{share}
	for _, s := range st.CellShares() {
		shares = append(shares, (1-share)*s)
	}
	srm := stats.SampleRatioMismatch(observed, shares)
	return &srm
}

// cellsMethod says how a multi-cell report corrects, and why not Dunnett.
func cellsMethod(k int) string {
	return fmt.Sprintf("%d cells, each against the one control group: per metric, Holm's step-down correction over the %d comparisons with control "+
		"and, separately, over the %d pairs of cells (stats.Holm, as statsmodels multipletests method=holm). Holm controls the family-wise error "+
		"under any dependence and works with every test the report uses (z, Fisher's exact, the NPS z-test, Welch); Dunnett's test is more "+
		"powerful for many-to-one comparisons of means but assumes normal data with a common variance, which rates near 0 or 1 and small cells break", k, k, k*(k-1)/2)
}
