package api

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// resultsBody is the model of the results page and the printable report:
// the report's numbers already written in the reader's language.
type resultsBody struct {
	Study     *survey.Study
	Report    *results.Report
	Print     bool
	Form      resultsForm
	ReportURL string // the printable report with the same selectors
	Groups    []groupN
	Headlines []Headline
	LiftChart chartView
	Lifts     []liftView
	Rates     []rateView
	NPS       []npsView
	Ratings   []ratingView
	Withheld  []withheldView
	Texts     []textView
	Segments  []chartView
	Frequency []chartView
	Trend     chartView
	// TrendNote says the time zone the periods are counted in; Changes is
	// the last period against the one before.
	TrendNote string
	Changes   *changesView
	// Channels is an nps program's response rate by channel.
	Channels *channelsView
	// SegmentTitle names the segment ("Возраст × Пол"); SegmentNotes say
	// what the "other" level pools.
	SegmentTitle string
	SegmentNotes []string
	Stratified   *stratifiedView
	// Cells and Waves are a multi-cell study's cells and a wave series'
	// waves (dash_results_designs.go); nil for other studies.
	Cells *cellsView
	Waves *wavesView
	// Notices say why the view differs from the one asked for (an
	// attribute the study does not have).
	Notices   []string
	Health    healthView
	Targets   []targetView
	Weights   []fact
	Exports   []exportLink
	Files     []exportLink // the report as a file
	Methods   []string
	Generated string
}

// groupN is a group's label and its responses.
type groupN struct {
	Label string
	N     string
}

// fact is a labelled value.
type fact struct {
	Label, Value string
}

// chartView is a chart with its text alternative: a table (shown in a
// <details> or visually hidden) and a sentence.
type chartView struct {
	ID, Title string
	SVG       template.HTML
	Sentence  string
	Head      []string
	Rows      [][]string
	Empty     string // why there is no chart
}

// measureRow is one line of a lift metric's table: the measure (Def
// names the glossary entry its label links to), its value and a note.
type measureRow struct {
	Label, Def, Value, Note string
}

// liftView is a lift metric's card and table.
type liftView struct {
	ID          string
	Label       string
	Headline    Headline
	Significant bool
	// LowSample is true below min_per_group, LowSampleNote says so with
	// the counts; Verdict is the verdict with its test.
	LowSample     bool
	LowSampleNote string
	Verdict       string
	Rows          []measureRow
	// Compact is the report's one-line summary:
	// exposed, control, lift (CI), relative, p, q.
	Compact []string
}

// rateView is a share of an nps study's one population.
type rateView struct {
	Label, N, Rate, CI string
	LowSample          bool
}

// npsView is an NPS question: the breakdown chart and the numbers.
type npsView struct {
	Label         string
	Chart         chartView
	Facts         []fact
	Notes         []string
	LowSample     bool
	LowSampleNote string
}

// ratingView is a rating question: the distribution chart and the numbers.
type ratingView struct {
	Label         string
	Chart         chartView
	Facts         []fact
	Notes         []string
	LowSample     bool
	LowSampleNote string
}

// withheldView is a metric withheld for want of data: counts, never numbers.
type withheldView struct {
	Label  string
	Counts []fact // per group: its answers
	Reason string
}

// textView is a text question: how many answered and the latest answers.
type textView struct {
	Key, Label string
	Answered   []fact
	Latest     []textAnswerView
}

// textAnswerView is one answer as the page shows it (html/template
// escapes Text).
type textAnswerView struct {
	Group, Text, When string
	// Score is the respondent's NPS in words, Category its class (for
	// the badge's colour); empty in a study without NPS.
	Score, Category string
}

// targetView is a KPI target with its status in words.
type targetView struct {
	Label, Target, Deadline, Estimate, Prob, Status, StatusText, Reason string
}

// exportLink is a download of the API.
type exportLink struct {
	Label, URL string
}

// newResultsBody writes the report r of study st for lang.
func newResultsBody(lang string, st *survey.Study, sel selection, r *results.Report, trend *results.Trend, attrs []string, print bool) resultsBody {
	b := resultsBody{Study: st, Report: r, Print: print, Form: newResultsForm(lang, st, sel, r, attrs),
		ReportURL: "/dashboard/studies/" + st.ID + "/report?" + sel.query(r, true).Encode(),
		Generated: frontend.DateTime(lang, r.GeneratedAt)}
	if st.HasGroups() {
		b.Groups = []groupN{{frontend.T(lang, "group_exposed"), frontend.Int(lang, r.Counts.Exposed)},
			{frontend.T(lang, "group_control"), frontend.Int(lang, r.Counts.Control)}}
	} else {
		b.Groups = []groupN{{frontend.T(lang, "group_all"), frontend.Int(lang, r.Counts.All)}}
	}
	var lifts []*results.LiftMetric
	for i, m := range r.Metrics {
		switch m := m.(type) {
		case *results.LiftMetric:
			lifts = append(lifts, m)
			v := newLiftView(lang, st, r, m)
			v.ID = fmt.Sprintf("metric-%d", i)
			b.Lifts = append(b.Lifts, v)
			b.Headlines = append(b.Headlines, v.Headline)
		case *results.RateMetric:
			b.Rates = append(b.Rates, rateView{Label: metricLabel(lang, st, m.Question, m.Option, m.Metric),
				N: frontend.Int(lang, m.All.N), Rate: frontend.Pct(lang, m.All.Rate, 1), CI: pctRange(lang, m.All.CI), LowSample: m.LowSample})
		case *results.NPSMetric:
			b.NPS = append(b.NPS, newNPSView(lang, st, r, m, fmt.Sprintf("nps-%d", i)))
		case *results.RatingMetric:
			b.Ratings = append(b.Ratings, newRatingView(lang, st, r, m, fmt.Sprintf("rating-%d", i)))
		case *results.TextMetric:
			b.Texts = append(b.Texts, newTextView(lang, st, m, print))
		case *results.WithheldMetric:
			b.Withheld = append(b.Withheld, newWithheldView(lang, st, m))
		}
	}
	b.LiftChart = liftChart(lang, st, lifts, r.Confidence)
	b.Segments = segmentCharts(lang, st, r)
	if r.Segment != "" {
		b.SegmentTitle = segmentName(lang, r.Segment)
	}
	for _, seg := range r.Segments {
		if len(seg.Other) > 0 {
			b.SegmentNotes = append(b.SegmentNotes, otherLevelNote(lang, r, seg))
		} else if seg.Notes != "" {
			b.SegmentNotes = append(b.SegmentNotes, levelLabel(lang, seg.Level)+": "+reasonText(lang, seg.Notes))
		}
	}
	b.Frequency = frequencyCharts(lang, st, r)
	b.Trend = trendChart(lang, st, r, trend)
	b.TrendNote, b.Changes = trendChanges(lang, st, trend)
	b.Channels = newChannelsView(lang, trend)
	b.Stratified = newStratifiedView(lang, st, r, lifts)
	b.Cells, b.Waves = newCellsView(lang, st, r), newWavesView(lang, st, r)
	b.Notices = sel.Notices
	b.Health = newHealthView(lang, st, sel, r, lifts)
	for _, t := range r.Targets {
		b.Targets = append(b.Targets, newTargetView(lang, st, t))
	}
	b.Weights = weightFacts(lang, r)
	b.Exports, b.Files = exportLinks(lang, st, sel, r)
	b.Methods = methods(lang, st, r)
	return b
}

// groupLabel names a group.
func groupLabel(lang string, g survey.Group) string { return frontend.T(lang, "group_"+string(g)) }

// newLiftView writes a lift metric's headline and table.
func newLiftView(lang string, st *survey.Study, r *results.Report, m *results.LiftMetric) liftView {
	h := liftHeadline(lang, st, m, r.Confidence)
	why := func(field string) string {
		if w, ok := m.Reasons[field]; ok {
			return reasonText(lang, w)
		}
		return ""
	}
	ci := frontend.Pct(lang, r.Confidence, 0) + " " + frontend.T(lang, "ci_short")
	rate := func(g results.GroupRate) string {
		return frontend.Pct(lang, g.Rate, 1) + " (" + ci + " " + pctRange(lang, g.CI) + ")"
	}
	rateNote := func(g results.GroupRate) string {
		s := frontend.T(lang, "rs_n") + " = " + frontend.Int(lang, g.N) + ", " + frontend.T(lang, "rs_positive") + " " + frontend.Int(lang, g.Positive)
		if g.EffectiveN > 0 {
			s += "; " + frontend.T(lang, "rs_effective_n") + " " + frontend.Num(lang, g.EffectiveN, 0)
		}
		return s
	}
	rows := []measureRow{
		{Label: frontend.T(lang, "group_exposed"), Value: rate(m.Exposed), Note: rateNote(m.Exposed)},
		{Label: frontend.T(lang, "group_control"), Value: rate(m.Control), Note: rateNote(m.Control)},
		{Label: frontend.T(lang, "rs_abs_lift"), Def: "def-ci", Value: frontend.PP(lang, m.AbsLift) + " (" + ci + " " + ppRange(lang, m.AbsLiftCI) + ")"},
	}
	rel := measureRow{Label: frontend.T(lang, "rs_rel_lift"), Value: "—", Note: why("rel_lift")}
	if m.RelLift != nil {
		rel.Value = frontend.SignedPct(lang, *m.RelLift, 1)
		if m.RelLiftCI != nil {
			rel.Value += " (" + ci + " " + spctRange(lang, *m.RelLiftCI) + ")"
		}
	}
	head := measureRow{Label: frontend.T(lang, "rs_headroom_lift"), Def: "def-headroom", Value: "—", Note: why("headroom_lift")}
	if m.HeadroomLift != nil {
		head.Value = frontend.SignedPct(lang, *m.HeadroomLift, 1)
		if m.HeadroomLiftCI != nil {
			head.Value += " (" + ci + " " + spctRange(lang, *m.HeadroomLiftCI) + ")"
		}
	}
	rows = append(rows, rel, head,
		measureRow{Label: frontend.T(lang, "rs_p_z"), Def: "def-p", Value: pValue(lang, m.PValue),
			Note: "z = " + frontend.Signed(lang, m.Z, 2) + why("z")},
		measureRow{Label: frontend.T(lang, "rs_p_fisher"), Def: "def-p", Value: pValue(lang, m.PValueFisher)},
		measureRow{Label: frontend.T(lang, "rs_q"), Def: "def-q", Value: pValue(lang, m.QValue)},
		measureRow{Label: frontend.T(lang, "rs_significance"), Def: "def-test", Value: verdictText(lang, m.Significant, m.SignificantBy), Note: why("significant")},
		measureRow{Label: frontend.T(lang, "rs_prob_positive"), Def: "def-prob", Value: frontend.Pct(lang, m.ProbPositive, 1)},
	)
	seq := measureRow{Label: frontend.T(lang, "rs_sequential"), Def: "def-seq", Value: "—", Note: reasonText(lang, m.Sequential.Reason)}
	if m.Sequential.Defined {
		seq.Value = ppRange(lang, m.Sequential.CS)
		seq.Note = frontend.T(lang, "rs_p_seq") + " " + pValue(lang, m.Sequential.PValue)
	}
	rows = append(rows, seq)
	lifted := measureRow{Label: frontend.T(lang, "rs_lifted_users"), Def: "def-lifted", Value: "—", Note: why("lifted_users")}
	if m.LiftedUsers != nil {
		lifted.Value = frontend.Num(lang, *m.LiftedUsers, 0)
		if m.LiftedUsersCI != nil {
			lifted.Value += " (" + ci + " " + numRange(lang, *m.LiftedUsersCI, 0, false) + ")"
		}
		lifted.Note = why("lifted_users_ci")
	}
	cost := measureRow{Label: frontend.T(lang, "rs_cost_per_lifted"), Value: "—", Note: why("cost_per_lifted_user")}
	if m.CostPerLiftedUser != nil {
		cost.Value = money(lang, *m.CostPerLiftedUser, st.Currency)
		if m.CostPerLiftedUserCI != nil {
			cost.Value += " (" + ci + " " + between(lang, money(lang, m.CostPerLiftedUserCI.Lo, ""), money(lang, m.CostPerLiftedUserCI.Hi, st.Currency)) + ")"
		}
		cost.Note = why("cost_per_lifted_user_ci")
	}
	rows = append(rows, lifted, cost)
	mde := measureRow{Label: frontend.T(lang, "rs_mde"), Def: "def-mde", Value: "—", Note: why("mde")}
	if m.MDE != nil {
		mde.Value = strings.TrimPrefix(frontend.PP(lang, *m.MDE), "+")
	}
	needed := measureRow{Label: fmt.Sprintf(frontend.T(lang, "rs_needed"), strings.TrimPrefix(frontend.PP(lang, m.TargetLift), "+")),
		Value: "—", Note: why("n_needed_per_group")}
	if m.NeededPerGroup != nil {
		needed.Value = frontend.Int(lang, *m.NeededPerGroup)
		if *m.NeededPerGroup == 0 {
			needed.Note = frontend.T(lang, "rs_needed_none")
		}
	}
	rows = append(rows, mde, needed)
	if n := otherNotes(lang, m.Notes); n != "" {
		rows = append(rows, measureRow{Label: frontend.T(lang, "rs_notes"), Value: "", Note: n})
	}
	rel2 := "—"
	if m.RelLift != nil {
		rel2 = frontend.SignedPct(lang, *m.RelLift, 0)
	}
	v := liftView{Label: h.Label, Headline: h, Significant: m.Significant, LowSample: m.LowSample,
		Verdict: verdictText(lang, m.Significant, m.SignificantBy), Rows: rows,
		Compact: []string{lowMark(lang, h.Label, m.LowSample), frontend.Pct(lang, m.Exposed.Rate, 1), frontend.Pct(lang, m.Control.Rate, 1),
			frontend.PP(lang, m.AbsLift), ppRange(lang, m.AbsLiftCI), rel2, pValue(lang, m.PValue), pValue(lang, m.QValue)}}
	if m.LowSample {
		v.LowSampleNote = lowSampleText(lang, r.MinPerGroup, true, liftCounts(m)...)
	}
	return v
}

// newNPSView writes an NPS question.
func newNPSView(lang string, st *survey.Study, r *results.Report, m *results.NPSMetric, id string) npsView {
	v := npsView{Label: metricLabel(lang, st, m.Question, "", ""), LowSample: m.LowSample}
	var counts []groupCount
	groups := []survey.Group{survey.GroupExposed, survey.GroupControl, survey.GroupAll}
	var rows []npsRow
	for _, g := range groups {
		if ng := npsOf(m, g); ng != nil {
			rows = append(rows, npsRow{g, ng})
			counts = append(counts, groupCount{g, ng.N})
			v.Facts = append(v.Facts, fact{groupLabel(lang, g), "NPS " + frontend.Signed(lang, ng.NPS, 1) +
				" (" + numRange(lang, ng.CI, 1, true) + "), " + frontend.T(lang, "rs_n") + " = " + frontend.Int(lang, ng.N)})
		}
	}
	if m.Diff != nil {
		v.Facts = append(v.Facts, fact{frontend.T(lang, "rs_nps_diff"), diffText(lang, *m.Diff, m.DiffCI, m.PValue, 1)})
	}
	v.Facts = append(v.Facts, testFacts(lang, m.Test)...)
	v.Notes = metricNotes(lang, m.Test, m.Reasons)
	if m.LowSample {
		v.LowSampleNote = lowSampleText(lang, r.MinPerGroup, false, counts...)
	}
	v.Chart = npsChart(lang, v.Label, rows, id)
	return v
}

// diffText words a difference between the groups with its interval and
// p-value, where the report has them: "+3.2 (−1.0 to +7.4); p = 0.14".
func diffText(lang string, diff float64, ci *stats.Interval, p *float64, digits int) string {
	d := frontend.Signed(lang, diff, digits)
	if ci != nil {
		d += " (" + numRange(lang, *ci, digits, true) + ")"
	}
	if p != nil {
		d += "; " + pIs(lang, "p", *p)
	}
	return d
}

// npsRow is one group's NPS for the chart.
type npsRow struct {
	g survey.Group
	n *results.NPSGroup
}

func npsOf(m *results.NPSMetric, g survey.Group) *results.NPSGroup {
	switch g {
	case survey.GroupExposed:
		return m.Exposed
	case survey.GroupControl:
		return m.Control
	}
	return m.All
}

func ratingOf(m *results.RatingMetric, g survey.Group) *results.RatingGroup {
	switch g {
	case survey.GroupExposed:
		return m.Exposed
	case survey.GroupControl:
		return m.Control
	}
	return m.All
}

// newRatingView writes a rating question.
func newRatingView(lang string, st *survey.Study, r *results.Report, m *results.RatingMetric, id string) ratingView {
	v := ratingView{Label: metricLabel(lang, st, m.Question, "", ""), LowSample: m.LowSample}
	var groups []survey.Group
	var counts []groupCount
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl, survey.GroupAll} {
		rg := ratingOf(m, g)
		if rg == nil {
			continue
		}
		groups = append(groups, g)
		counts = append(counts, groupCount{g, rg.N})
		v.Facts = append(v.Facts, fact{groupLabel(lang, g), fmt.Sprintf(frontend.T(lang, "rs_rating_group"),
			frontend.Num(lang, rg.Mean, 2), numRange(lang, rg.MeanCI, 2, false),
			frontend.Pct(lang, rg.Top2Box, 1), pctRange(lang, rg.Top2BoxCI), frontend.Int(lang, rg.N))})
	}
	if m.MeanDiff != nil {
		v.Facts = append(v.Facts, fact{frontend.T(lang, "rs_mean_diff"), diffText(lang, *m.MeanDiff, m.MeanDiffCI, m.PValue, 2)})
	}
	v.Facts = append(v.Facts, testFacts(lang, m.Test)...)
	v.Notes = metricNotes(lang, m.Test, m.Reasons)
	if m.LowSample {
		v.LowSampleNote = lowSampleText(lang, r.MinPerGroup, false, counts...)
	}
	v.Chart = ratingChart(lang, v.Label, m, groups, id)
	return v
}

// newWithheldView says how many answers a withheld metric has and which
// group has none.
func newWithheldView(lang string, st *survey.Study, m *results.WithheldMetric) withheldView {
	metric := survey.Metric("")
	if q := st.Question(m.Question); q != nil {
		metric = q.Metric
	}
	v := withheldView{Label: metricLabel(lang, st, m.Question, m.Option, metric), Reason: withheldReason(lang, m)}
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl, survey.GroupAll} {
		if n, ok := m.N[g]; ok {
			v.Counts = append(v.Counts, fact{groupLabel(lang, g), fmt.Sprintf(frontend.T(lang, "rs_responses"), frontend.Int(lang, n))})
		}
	}
	return v
}

// newTextView lists a text question's latest answers: five on the page,
// three in print (the text page has them all).
func newTextView(lang string, st *survey.Study, m *results.TextMetric, print bool) textView {
	v := textView{Key: m.Question, Label: metricLabel(lang, st, m.Question, "", "")}
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl, survey.GroupAll} {
		if n, ok := m.Answered[g]; ok {
			v.Answered = append(v.Answered, fact{groupLabel(lang, g), frontend.Int(lang, n)})
		}
	}
	limit := 5
	if print {
		limit = 3
	}
	for i, a := range m.Latest {
		if i == limit {
			break
		}
		v.Latest = append(v.Latest, textAnswerView{Group: armLabel(lang, st, survey.Arm(a.Wave, a.Group, a.Cell)), Text: a.Text, When: frontend.DateTime(lang, a.CompletedAt)})
	}
	return v
}

// targetMeasureValue writes a target's value in its measure's unit.
func targetMeasureValue(lang, measure string, x float64) string {
	switch measure {
	case "abs_lift":
		return frontend.PP(lang, x)
	case "rel_lift":
		return frontend.SignedPct(lang, x, 1)
	case "top2box":
		return frontend.Pct(lang, x, 1)
	case "nps":
		return frontend.Signed(lang, x, 1)
	}
	return frontend.Num(lang, x, 2)
}

// newTargetView writes a KPI target and its status.
func newTargetView(lang string, st *survey.Study, t results.TargetReport) targetView {
	metric := survey.Metric("")
	if q := st.Question(t.Question); q != nil {
		metric = q.Metric
	}
	v := targetView{Label: metricLabel(lang, st, t.Question, t.Option, metric) + " · " + frontend.T(lang, "rs_measure_"+t.Measure),
		Target: targetMeasureValue(lang, t.Measure, t.Target.Target), Deadline: frontend.Date(lang, t.Deadline),
		Estimate: "—", Prob: "—", Status: t.Status, StatusText: frontend.T(lang, "rs_target_"+t.Status), Reason: reasonText(lang, t.Reason)}
	if t.Estimate != nil {
		v.Estimate = targetMeasureValue(lang, t.Measure, *t.Estimate)
		if t.CI != nil {
			v.Estimate += " (" + between(lang, targetMeasureValue(lang, t.Measure, t.CI.Lo), targetMeasureValue(lang, t.Measure, t.CI.Hi)) + ")"
		}
	}
	if t.ProbAbove != nil {
		v.Prob = frontend.Pct(lang, *t.ProbAbove, 0)
	}
	return v
}

// testFacts are an NPS or rating difference's verdict and q-value (a
// brand-lift study's; an nps study compares nothing).
func testFacts(lang string, t results.Test) []fact {
	if t.Significant == nil {
		return nil
	}
	v := verdictText(lang, *t.Significant, t.SignificantBy)
	if t.QValue != nil {
		v += "; " + pIs(lang, "q", *t.QValue)
	}
	return []fact{{frontend.T(lang, "rs_significance"), v}}
}

// metricNotes are an NPS or rating metric's reasons and notes in lang,
// the low-sample note left to the page's own sentence.
func metricNotes(lang string, t results.Test, reasons map[string]string) []string {
	var out []string
	for _, k := range sortedKeys(reasons) {
		out = append(out, reasonText(lang, reasons[k]))
	}
	if n := otherNotes(lang, t.Notes); n != "" {
		out = append(out, n)
	}
	return out
}
