package api

import (
	"fmt"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// wavesView is the "Waves" section: each wave's counts and metrics, and
// each wave against the one before it.
type wavesView struct {
	Intro       string // which wave the page's headline metrics describe
	Counts      designTable
	Metrics     []designMetric
	Comparisons []designMetric // one per pair of consecutive waves: change, difference-in-differences
}

// newWavesView writes the waves block of r (nil when the report has none).
func newWavesView(lang string, st *survey.Study, r *results.Report) *wavesView {
	if r.Waves == nil {
		return nil
	}
	wr := r.Waves
	v := &wavesView{}
	if wr.Main != "" {
		v.Intro = fmt.Sprintf(frontend.T(lang, "ds_waves_main"), waveLabel(lang, st, wr.Main))
	}
	v.Counts = designTable{ID: "waves-counts", Caption: frontend.T(lang, "ds_waves_counts"),
		Head: []string{frontend.T(lang, "ds_wave"), frontend.T(lang, "ds_wave_dates"), frontend.T(lang, "group_exposed"), frontend.T(lang, "group_control")}}
	byKey := map[string]*designMetric{}
	var order []string
	for _, w := range wr.Waves {
		label := waveLabel(lang, st, w.Wave)
		row := designRow{Key: w.Wave, Label: label,
			Values: []string{waveDates(lang, st, w), frontend.Int(lang, w.Counts.Exposed), frontend.Int(lang, w.Counts.Control)}}
		if w.Wave == wr.Main {
			row.Note = frontend.T(lang, "ds_wave_is_main")
		}
		v.Counts.Rows = append(v.Counts.Rows, row)
		for _, m := range w.Metrics {
			key, mlabel, mrow, head, ok := waveRow(lang, st, r, w.Wave, m)
			if !ok {
				continue
			}
			dm, seen := byKey[key]
			if !seen {
				dm = &designMetric{ID: fmt.Sprintf("waves-m-%d", len(order)), Label: mlabel}
				dm.Tables = []designTable{{ID: dm.ID + "-t", Caption: mlabel, Head: head}}
				byKey[key] = dm
				order = append(order, key)
			}
			dm.Tables[0].Rows = append(dm.Tables[0].Rows, mrow)
		}
	}
	for _, k := range order {
		v.Metrics = append(v.Metrics, *byKey[k])
	}
	for i, c := range wr.Comparisons {
		before, after := waveLabel(lang, st, c.Before), waveLabel(lang, st, c.After)
		dm := designMetric{ID: fmt.Sprintf("waves-c-%d", i), Label: fmt.Sprintf(frontend.T(lang, "ds_wave_vs"), after, before)}
		change := designTable{ID: dm.ID + "-change", Caption: frontend.T(lang, "ds_change"), Head: changeHead(lang, before, after, "ds_change_diff")}
		for _, ch := range c.Change {
			change.Rows = append(change.Rows, periodRow(lang, st, ch))
		}
		if len(c.Change) == 0 {
			change.Note = frontend.T(lang, "ds_change_none")
		}
		did := designTable{ID: dm.ID + "-did", Caption: frontend.T(lang, "ds_did"), Head: changeHead(lang, before, after, "ds_did_diff")}
		for _, ch := range c.DiffInDiff {
			did.Rows = append(did.Rows, periodRow(lang, st, ch))
		}
		if len(c.DiffInDiff) == 0 {
			did.Note = frontend.T(lang, "ds_did_none") + " " + reasonText(lang, c.Reason)
		}
		dm.Tables = []designTable{change, did}
		v.Comparisons = append(v.Comparisons, dm)
	}
	return v
}

// waveDates writes a wave's dates in the study's time zone, "—" for an
// open end.
func waveDates(lang string, st *survey.Study, w results.WaveReport) string {
	day := func(s *string, end bool) string {
		if s == nil {
			return "—"
		}
		t, err := time.Parse(time.RFC3339, *s)
		if err != nil {
			return *s
		}
		t = t.In(st.Location())
		if end && t.Equal(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())) {
			t = t.Add(-time.Nanosecond) // ends at midnight: the day before is the last
		}
		return frontend.Date(lang, t)
	}
	switch {
	case w.StartsAt == nil && w.EndsAt == nil:
		return frontend.T(lang, "ds_wave_no_dates")
	case w.EndsAt == nil:
		return fmt.Sprintf(frontend.T(lang, "ds_wave_from"), day(w.StartsAt, false))
	case w.StartsAt == nil:
		return fmt.Sprintf(frontend.T(lang, "ds_wave_until"), day(w.EndsAt, true))
	}
	return day(w.StartsAt, false) + " — " + day(w.EndsAt, true)
}

// waveRow writes one wave's metric, exposed against control.
func waveRow(lang string, st *survey.Study, r *results.Report, wave string, m any) (key, label string, row designRow, head []string, ok bool) {
	ci := frontend.Pct(lang, r.Confidence, 0) + " " + frontend.T(lang, "ci_short")
	row = designRow{Key: wave, Label: waveLabel(lang, st, wave)}
	switch m := m.(type) {
	case *results.LiftMetric:
		key, label = m.Question+"/"+m.Option, metricLabel(lang, st, m.Question, m.Option, m.Metric)
		head = []string{frontend.T(lang, "ds_wave"), frontend.T(lang, "ds_n_pair"), frontend.T(lang, "ds_rates_groups"),
			frontend.T(lang, "rs_abs_lift") + " (" + ci + ")", "p", frontend.T(lang, "rs_significance")}
		row.Values = []string{frontend.Int(lang, m.Exposed.N) + " / " + frontend.Int(lang, m.Control.N),
			frontend.Pct(lang, m.Exposed.Rate, 1) + " / " + frontend.Pct(lang, m.Control.Rate, 1),
			frontend.PP(lang, m.AbsLift) + " (" + ppRange(lang, m.AbsLiftCI) + ")", pValue(lang, m.PValue)}
		row.Sig, row.Low, row.Verdict = m.Significant, m.LowSample, verdictText(lang, m.Significant, m.SignificantBy)
	case *results.NPSMetric:
		if m.Exposed == nil || m.Control == nil {
			return "", "", row, nil, false
		}
		key, label = m.Question+"/", "NPS · "+metricLabel(lang, st, m.Question, "", "")
		head = []string{frontend.T(lang, "ds_wave"), frontend.T(lang, "ds_n_pair"), frontend.T(lang, "ds_nps_groups"),
			frontend.T(lang, "rs_nps_diff") + " (" + ci + ")", "p", frontend.T(lang, "rs_significance")}
		diff, p := "—", "—"
		if m.Diff != nil {
			diff = diffText(lang, *m.Diff, m.DiffCI, nil, 1)
		}
		if m.PValue != nil {
			p = pValue(lang, *m.PValue)
		}
		row.Values = []string{frontend.Int(lang, m.Exposed.N) + " / " + frontend.Int(lang, m.Control.N),
			frontend.Signed(lang, m.Exposed.NPS, 1) + " / " + frontend.Signed(lang, m.Control.NPS, 1), diff, p}
		testRow(lang, &row, m.Test)
	case *results.RatingMetric:
		if m.Exposed == nil || m.Control == nil {
			return "", "", row, nil, false
		}
		key, label = m.Question+"/", metricLabel(lang, st, m.Question, "", "")
		head = []string{frontend.T(lang, "ds_wave"), frontend.T(lang, "ds_n_pair"), frontend.T(lang, "ds_mean_groups"),
			frontend.T(lang, "rs_mean_diff") + " (" + ci + ")", "p", frontend.T(lang, "rs_significance")}
		diff, p := "—", "—"
		if m.MeanDiff != nil {
			diff = diffText(lang, *m.MeanDiff, m.MeanDiffCI, nil, 2)
		}
		if m.PValue != nil {
			p = pValue(lang, *m.PValue)
		}
		row.Values = []string{frontend.Int(lang, m.Exposed.N) + " / " + frontend.Int(lang, m.Control.N),
			frontend.Num(lang, m.Exposed.Mean, 2) + " / " + frontend.Num(lang, m.Control.Mean, 2), diff, p}
		testRow(lang, &row, m.Test)
	case *results.WithheldMetric:
		key, label, head, row.Values = withheldRow(lang, st, m, "ds_wave")
	default:
		return "", "", row, nil, false
	}
	return key, label, row, head, true
}

// changeHead is the head of a comparison's table: the metric, the
// earlier and the later wave, the change with its interval, p.
func changeHead(lang, before, after, diffKey string) []string {
	return []string{frontend.T(lang, "rs_metric"), before, after, frontend.T(lang, diffKey) + " (" + frontend.T(lang, "ci_short") + ")", "p"}
}

// periodRow writes a wave-to-wave change (results.PeriodChange) as the
// trend's changes table does.
func periodRow(lang string, st *survey.Study, c results.PeriodChange) designRow {
	metric := survey.Metric("")
	if q := st.Question(c.Question); q != nil {
		metric = q.Metric
	}
	label := metricLabel(lang, st, c.Question, c.Option, metric) + " · " + frontend.T(lang, "rs_measure_"+c.Measure)
	diff, p := "—", "—"
	if c.Defined {
		diff = changeDiff(lang, c.Measure, c.Diff) + " (" + changeRange(lang, c) + ")"
		p = pValue(lang, c.PValue)
	} else if c.Reason != "" {
		diff = "— (" + reasonText(lang, c.Reason) + ")"
	}
	return designRow{Key: c.Question + "/" + c.Option + "/" + c.Measure, Label: label, Low: c.LowSample,
		Values: []string{changeValue(lang, c.Measure, c.Previous), changeValue(lang, c.Measure, c.Current), diff, p}}
}
