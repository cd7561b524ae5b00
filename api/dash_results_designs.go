package api

import (
	"fmt"
	"math"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// The results page's study designs: a multi-cell study's cells, each
// against control and against each other (report.cells), and a wave
// series' waves with their comparisons (report.waves). Both are tables
// written from the report's fields; dash_results_designs.html lays them
// out, stacked row by row on a phone (table.rows).

// designTable is one table of a design section: a caption, the column
// heads (the first names the rows, the last is the verdict when the rows
// have one) and the rows.
type designTable struct {
	ID      string
	Caption string
	Head    []string
	Rows    []designRow
	// Note is said under the table (a comparison without a
	// difference-in-differences says why).
	Note string
}

// designRow is one line of a designTable: its label, the values after
// it, and, when Verdict is set, a significance badge last.
type designRow struct {
	Label   string
	Values  []string
	Verdict string
	Sig     bool
	Low     bool
	Note    string
	// Key names what the row is (a cell, a pair "a/b", a wave), for tests
	// and for reading the page's markup.
	Key string
}

// designMetric is one metric of a design section: its tables.
type designMetric struct {
	ID, Label string
	Tables    []designTable
}

// cellsView is the "Creative cells" section.
type cellsView struct {
	Intro      string // what is compared, and the correction by name
	Correction string // the report's correction ("holm")
	Counts     designTable
	Metrics    []designMetric
	Notes      []string
}

// cellLabel names a creative cell: its name in lang, else its key.
func cellLabel(lang string, st *survey.Study, key string) string {
	if c := st.Cell(key); c != nil {
		if n := inLang(c.Name, lang, st.DefaultLocale); n != "" {
			return n
		}
	}
	return key
}

// waveLabel names a wave: its name in lang, else its key.
func waveLabel(lang string, st *survey.Study, key string) string {
	if w := st.Wave(key); w != nil {
		if n := inLang(w.Name, lang, st.DefaultLocale); n != "" {
			return n
		}
	}
	return key
}

// correctionName is the correction's name in words ("Holm").
func correctionName(lang, c string) string {
	if k := "ds_correction_" + c; frontend.T(lang, k) != k {
		return frontend.T(lang, k)
	}
	return c
}

// newCellsView writes the cells block of r (nil when the report has none).
func newCellsView(lang string, st *survey.Study, r *results.Report) *cellsView {
	if r.Cells == nil {
		return nil
	}
	cr := r.Cells
	corr := correctionName(lang, cr.Correction)
	v := &cellsView{Correction: cr.Correction,
		Intro: fmt.Sprintf(frontend.T(lang, "ds_cells_intro"), frontend.Int(lang, int64(len(cr.Cells))), corr)}
	v.Counts = designTable{ID: "cells-counts", Caption: frontend.T(lang, "ds_cells_counts"),
		Head: []string{frontend.T(lang, "ds_cell"), frontend.T(lang, "group_exposed"), frontend.T(lang, "group_control")}}
	for _, c := range cr.Cells {
		v.Counts.Rows = append(v.Counts.Rows, designRow{Key: c.Cell, Label: cellLabel(lang, st, c.Cell),
			Values: []string{frontend.Int(lang, c.Counts.Exposed), frontend.Int(lang, c.Counts.Control)}})
	}
	for _, n := range cr.Notes {
		v.Notes = append(v.Notes, reasonText(lang, n))
	}
	byKey := map[string]*designMetric{}
	var order []string
	metric := func(key, label string) *designMetric {
		if m, ok := byKey[key]; ok {
			return m
		}
		m := &designMetric{ID: fmt.Sprintf("cells-m-%d", len(order)), Label: label}
		byKey[key] = m
		order = append(order, key)
		return m
	}
	for _, c := range cr.Cells {
		for _, m := range c.Metrics {
			key, label, row, head, ok := cellRow(lang, st, r, c.Cell, m, corr)
			if !ok {
				continue
			}
			dm := metric(key, label)
			if len(dm.Tables) == 0 {
				dm.Tables = append(dm.Tables, designTable{ID: dm.ID + "-control", Caption: frontend.T(lang, "ds_vs_control"), Head: head})
			}
			dm.Tables[0].Rows = append(dm.Tables[0].Rows, row)
		}
	}
	for _, p := range cr.Pairs {
		for _, pm := range p.Metrics {
			key := pm.Question + "/" + pm.Option
			dm := metric(key, pairMetricLabel(lang, st, pm))
			t := pairTable(dm)
			if t == nil {
				dm.Tables = append(dm.Tables, designTable{ID: dm.ID + "-pairs", Caption: fmt.Sprintf(frontend.T(lang, "ds_pairs"), corr),
					Head: pairHead(lang, pm.Measure, corr)})
				t = &dm.Tables[len(dm.Tables)-1]
			}
			t.Rows = append(t.Rows, pairRow(lang, st, p, pm))
		}
	}
	for _, k := range order {
		v.Metrics = append(v.Metrics, *byKey[k])
	}
	return v
}

// pairTable is the metric's table of pairs, or nil before it has one.
func pairTable(dm *designMetric) *designTable {
	for i := range dm.Tables {
		if dm.Tables[i].ID == dm.ID+"-pairs" {
			return &dm.Tables[i]
		}
	}
	return nil
}

// cellRow writes one cell's metric against control: the metric's key
// and label, the row and the table's head. ok is false for a metric the
// section does not compare (text answers).
func cellRow(lang string, st *survey.Study, r *results.Report, cell string, m any, corr string) (key, label string, row designRow, head []string, ok bool) {
	ci := frontend.Pct(lang, r.Confidence, 0) + " " + frontend.T(lang, "ci_short")
	row = designRow{Key: cell, Label: cellLabel(lang, st, cell)}
	adjusted := func(adj *float64, p float64) string { return adjustedP(lang, adj, p) }
	adjustedPtr := func(adj, p *float64) string {
		if p == nil {
			return adjustedP(lang, adj, math.NaN())
		}
		return adjustedP(lang, adj, *p)
	}
	switch m := m.(type) {
	case *results.LiftMetric:
		key, label = m.Question+"/"+m.Option, metricLabel(lang, st, m.Question, m.Option, m.Metric)
		head = []string{frontend.T(lang, "ds_cell"), frontend.T(lang, "ds_n_pair"), frontend.T(lang, "ds_rates"),
			frontend.T(lang, "rs_abs_lift") + " (" + ci + ")", fmt.Sprintf(frontend.T(lang, "ds_p_adjusted"), corr), frontend.T(lang, "rs_significance")}
		row.Values = []string{frontend.Int(lang, m.Exposed.N) + " / " + frontend.Int(lang, m.Control.N),
			frontend.Pct(lang, m.Exposed.Rate, 1) + " / " + frontend.Pct(lang, m.Control.Rate, 1),
			frontend.PP(lang, m.AbsLift) + " (" + ppRange(lang, m.AbsLiftCI) + ")", adjusted(m.PValueAdjusted, m.PValue)}
		row.Sig, row.Low, row.Verdict = m.Significant, m.LowSample, verdictText(lang, m.Significant, m.SignificantBy)
		row.Note = reasonText(lang, m.Reasons["significant"])
	case *results.NPSMetric:
		key, label = m.Question+"/", "NPS · "+metricLabel(lang, st, m.Question, "", "")
		head = []string{frontend.T(lang, "ds_cell"), frontend.T(lang, "ds_n_pair"), frontend.T(lang, "ds_nps_pair"),
			frontend.T(lang, "rs_nps_diff") + " (" + ci + ")", fmt.Sprintf(frontend.T(lang, "ds_p_adjusted"), corr), frontend.T(lang, "rs_significance")}
		if m.Exposed == nil || m.Control == nil {
			return "", "", row, nil, false
		}
		diff := "—"
		if m.Diff != nil {
			diff = frontend.Signed(lang, *m.Diff, 1)
			if m.DiffCI != nil {
				diff += " (" + numRange(lang, *m.DiffCI, 1, true) + ")"
			}
		}
		row.Values = []string{frontend.Int(lang, m.Exposed.N) + " / " + frontend.Int(lang, m.Control.N),
			frontend.Signed(lang, m.Exposed.NPS, 1) + " / " + frontend.Signed(lang, m.Control.NPS, 1), diff, adjustedPtr(m.PValueAdjusted, m.PValue)}
		testRow(lang, &row, m.Test)
	case *results.RatingMetric:
		key, label = m.Question+"/", metricLabel(lang, st, m.Question, "", "")
		head = []string{frontend.T(lang, "ds_cell"), frontend.T(lang, "ds_n_pair"), frontend.T(lang, "ds_mean_pair"),
			frontend.T(lang, "rs_mean_diff") + " (" + ci + ")", fmt.Sprintf(frontend.T(lang, "ds_p_adjusted"), corr), frontend.T(lang, "rs_significance")}
		if m.Exposed == nil || m.Control == nil {
			return "", "", row, nil, false
		}
		diff := "—"
		if m.MeanDiff != nil {
			diff = frontend.Signed(lang, *m.MeanDiff, 2)
			if m.MeanDiffCI != nil {
				diff += " (" + numRange(lang, *m.MeanDiffCI, 2, true) + ")"
			}
		}
		row.Values = []string{frontend.Int(lang, m.Exposed.N) + " / " + frontend.Int(lang, m.Control.N),
			frontend.Num(lang, m.Exposed.Mean, 2) + " / " + frontend.Num(lang, m.Control.Mean, 2), diff, adjustedPtr(m.PValueAdjusted, m.PValue)}
		testRow(lang, &row, m.Test)
	case *results.WithheldMetric:
		key, label, head, row.Values = withheldRow(lang, st, m, "ds_cell")
	default:
		return "", "", row, nil, false
	}
	return key, label, row, head, true
}

// testRow sets a row's verdict from an NPS or rating test.
func testRow(lang string, row *designRow, t results.Test) {
	row.Low = t.LowSample
	if t.Significant != nil {
		row.Sig, row.Verdict = *t.Significant, verdictText(lang, *t.Significant, t.SignificantBy)
	}
	row.Note = otherNotes(lang, t.Notes)
}

// pairMetricLabel names a pair comparison's metric as the cells' tables do.
func pairMetricLabel(lang string, st *survey.Study, pm results.PairMetric) string {
	metric := survey.Metric("")
	if q := st.Question(pm.Question); q != nil {
		metric = q.Metric
	}
	label := metricLabel(lang, st, pm.Question, pm.Option, metric)
	if pm.Measure == "nps" {
		label = "NPS · " + label
	}
	return label
}

// pairHead is the head of a metric's table of pairs.
func pairHead(lang, measure, corr string) []string {
	a, b := frontend.T(lang, "ds_pair_a_rate"), frontend.T(lang, "ds_pair_b_rate")
	if measure == "nps" || measure == "mean" {
		a, b = frontend.T(lang, "ds_pair_a_"+measure), frontend.T(lang, "ds_pair_b_"+measure)
	}
	return []string{frontend.T(lang, "ds_pair"), frontend.T(lang, "ds_n_ab"), a + " / " + b, frontend.T(lang, "ds_pair_diff"),
		fmt.Sprintf(frontend.T(lang, "ds_p_adjusted"), corr), frontend.T(lang, "rs_significance")}
}

// pairRow writes one pair's difference, B minus A, in its measure's unit.
func pairRow(lang string, st *survey.Study, p results.CellPair, pm results.PairMetric) designRow {
	value := func(x float64) string {
		switch pm.Measure {
		case "rate":
			return frontend.Pct(lang, x, 1)
		case "nps":
			return frontend.Signed(lang, x, 1)
		}
		return frontend.Num(lang, x, 2)
	}
	var diff string
	switch pm.Measure {
	case "rate":
		diff = frontend.PP(lang, pm.Diff) + " (" + ppRange(lang, pm.DiffCI) + ")"
	case "nps":
		diff = frontend.Signed(lang, pm.Diff, 1) + " (" + numRange(lang, pm.DiffCI, 1, true) + ")"
	default:
		diff = frontend.Signed(lang, pm.Diff, 2) + " (" + numRange(lang, pm.DiffCI, 2, true) + ")"
	}
	return designRow{Key: p.A + "/" + p.B, Label: cellLabel(lang, st, p.B) + " − " + cellLabel(lang, st, p.A),
		Values: []string{frontend.Int(lang, pm.NA) + " / " + frontend.Int(lang, pm.NB), value(pm.A) + " / " + value(pm.B), diff,
			adjustedP(lang, &pm.PValueAdjusted, pm.PValue)},
		Sig: pm.Significant, Verdict: verdictText(lang, pm.Significant, pm.TestName), Low: pm.LowSample, Note: reasonText(lang, pm.Reason)}
}

// adjustedP writes an adjusted p-value with the unadjusted one after it:
// "0.206 (0.103)"; "—" when there is none.
func adjustedP(lang string, adj *float64, p float64) string {
	if adj == nil {
		return "—"
	}
	s := pValue(lang, *adj)
	if !math.IsNaN(p) {
		s += " (" + pValue(lang, p) + ")"
	}
	return s
}

// armLabel names a stored arm ([wave "/"] group [":" cell], survey.Arm)
// with the cell's and the wave's names: "Тестовая группа · Ролик А",
// "Нулевой опрос · Контрольная группа".
func armLabel(lang string, st *survey.Study, arm survey.Group) string {
	wave, g, cell := survey.SplitArm(arm)
	label := groupLabel(lang, g)
	if cell != "" {
		label += " · " + cellLabel(lang, st, cell)
	}
	if wave != "" {
		label = waveLabel(lang, st, wave) + " · " + label
	}
	return label
}

// withheldRow is a metric without answers in an arm's table: its key,
// label, head (first the arm's column, firstCol) and values.
func withheldRow(lang string, st *survey.Study, m *results.WithheldMetric, firstCol string) (key, label string, head, values []string) {
	metric := survey.Metric("")
	if q := st.Question(m.Question); q != nil {
		metric = q.Metric
	}
	key, label = m.Question+"/"+m.Option, metricLabel(lang, st, m.Question, m.Option, metric)
	if m.Type == "nps" {
		label = "NPS · " + label
	}
	head = []string{frontend.T(lang, firstCol), frontend.T(lang, "ds_n_pair"), frontend.T(lang, "rs_value")}
	values = []string{frontend.Int(lang, m.N[survey.GroupExposed]) + " / " + frontend.Int(lang, m.N[survey.GroupControl]), withheldReason(lang, m)}
	return key, label, head, values
}
