package results

import (
	"math"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
)

// mdePower is the power the report plans with (the convention of Google's
// and Meta's brand-lift tools).
const mdePower = 0.8

// measure keeps what targets and q-values need of a computed metric.
type measure struct {
	key      string // question, or question/option
	lift     *LiftMetric
	liftStat *stats.Lift
	nps      *stats.NPS // exposed (brand_lift) or all (nps)
	rating   *stats.Rating
	withheld bool
	// head is the metric's headline estimate, for the trend's changes
	// from one period to the next.
	head headline
}

// headline is a metric's main number with its standard error: the
// absolute lift, the NPS or mean difference (exposed minus control), or
// in an nps study the rate, NPS or mean itself.
type headline struct {
	measure string
	value   float64
	se      float64
	low     bool
}

// metricSet is the output of buildMetrics.
type metricSet struct {
	metrics  []any
	measures map[string]*measure
	lifts    []*LiftMetric // in order
	tests    []testRef     // every comparison, for q-values
	// lowSample lists the metrics below min_per_group.
	lowSample []string
}

// builder computes metrics from one view of the counts.
type builder struct {
	st         *survey.Study
	v          *view
	confidence float64
	minN       int64  // below this per group, metrics are low_sample
	rule       string // survey.SignificanceFixed or SignificanceSequential
	srmBlock   bool   // a sample ratio mismatch turns significance off
	// tuning is the sequential tests' N*: twice the target per group.
	tuning float64
}

// sub is a builder over another view with the same rules.
func (b *builder) sub(v *view) *builder {
	c := *b
	c.v = v
	return &c
}

func measureKey(question, option string) string {
	if option == "" {
		return question
	}
	return question + "/" + option
}

// build computes every metric of the study in question order.
func (b *builder) build() metricSet {
	ms := metricSet{metrics: []any{}, measures: map[string]*measure{}}
	for i := range b.st.Questions {
		q := &b.st.Questions[i]
		switch {
		case q.IsChoice() && q.Metric != "":
			for _, opt := range liftOptions(q) {
				b.choice(&ms, q, opt)
			}
		case q.Type == survey.NPSQuestion:
			b.npsMetric(&ms, q)
		case q.Type == survey.Rating:
			b.ratingMetric(&ms, q)
		}
	}
	return ms
}

// liftOptions lists what a choice question's lift is measured on: the
// positive options together for single choice (""), each non-exclusive
// option for multi choice (aided awareness of the brand and of each
// competitor).
func liftOptions(q *survey.Question) []string {
	if q.Type == survey.SingleChoice {
		return []string{""}
	}
	var out []string
	for _, o := range q.Options {
		if !o.Exclusive {
			out = append(out, o.Key)
		}
	}
	return out
}

func positiveSlots(q *survey.Question, option string) func(string) bool {
	if option != "" {
		return isSlot(option)
	}
	var keys []string
	for _, o := range q.Options {
		if o.Positive {
			keys = append(keys, o.Key)
		}
	}
	return isSlot(keys...)
}

func (b *builder) groups() []survey.Group {
	if b.st.HasGroups() {
		return []survey.Group{survey.GroupExposed, survey.GroupControl}
	}
	return []survey.Group{survey.GroupAll}
}

// answered is the number of a group's respondents who answered a question.
func (b *builder) answered(question string, g survey.Group) int64 {
	return b.v.sum(question, g, isSlot(survey.SlotAnswered))
}

// answers counts each group's answers to a question.
func (b *builder) answers(q *survey.Question) map[survey.Group]int64 {
	n := map[survey.Group]int64{}
	for _, g := range b.groups() {
		n[g] = b.answered(q.Key, g)
	}
	return n
}

// withhold stands in a WithheldMetric when a group has no answer at all:
// from one answer per group on, every metric is computed.
func (b *builder) withhold(ms *metricSet, q *survey.Question, option, typ string) bool {
	n := b.answers(q)
	var empty []string
	for _, g := range b.groups() {
		if n[g] == 0 {
			empty = append(empty, string(g))
		}
	}
	if len(empty) == 0 {
		return false
	}
	reason := "no answers yet in the " + strings.Join(empty, " and ") + " group"
	if len(empty) > 1 {
		reason += "s"
	}
	ms.metrics = append(ms.metrics, &WithheldMetric{Question: q.Key, Option: option, Type: typ,
		Status: "not_enough_data", N: n, Needed: 1, Reason: reason})
	ms.measures[measureKey(q.Key, option)] = &measure{key: measureKey(q.Key, option), withheld: true}
	ms.lowSample = append(ms.lowSample, measureKey(q.Key, option))
	return true
}

// caveat marks a metric below min_per_group in the set's list and returns
// whether it is and its note.
func (b *builder) caveat(ms *metricSet, q *survey.Question, option string) (bool, string) {
	low, note := b.lowSample(b.answers(q))
	if low {
		ms.lowSample = append(ms.lowSample, measureKey(q.Key, option))
	}
	return low, note
}

// proportion is a group's (possibly weighted) share of matching answers.
func (b *builder) proportion(q *survey.Question, g survey.Group, slots func(string) bool) (stats.Count, stats.WeightedProportion) {
	if b.v.weight == nil {
		return stats.Count{Positive: b.v.sum(q.Key, g, slots), N: b.answered(q.Key, g)}, stats.WeightedProportion{}
	}
	counts, hits, weights := b.v.perCell(q.Key, g, slots)
	wp := stats.WeightCells(counts, hits, weights)
	return stats.Count{Positive: wp.Positive, N: wp.N}, wp
}

func (b *builder) choice(ms *metricSet, q *survey.Question, option string) {
	key := measureKey(q.Key, option)
	slots := positiveSlots(q, option)
	if !b.st.HasGroups() {
		if b.withhold(ms, q, option, "rate") {
			return
		}
		c, _ := b.proportion(q, survey.GroupAll, slots)
		p := stats.OneProportion(c, b.confidence)
		low, note := b.caveat(ms, q, option)
		ms.metrics = append(ms.metrics, &RateMetric{Question: q.Key, Option: option, Type: "rate", Metric: q.Metric,
			All: GroupRate{N: c.N, Positive: c.Positive, Rate: p.Rate, CI: p.CI}, LowSample: low, Notes: note})
		ms.measures[key] = &measure{key: key, head: headline{measure: "rate", value: p.Rate,
			se: math.Sqrt(p.Rate * (1 - p.Rate) / float64(max(c.N, 1))), low: low}}
		return
	}
	if b.withhold(ms, q, option, "lift") {
		return
	}
	ce, we := b.proportion(q, survey.GroupExposed, slots)
	cc, wc := b.proportion(q, survey.GroupControl, slots)
	var l stats.Lift
	if b.v.weight == nil {
		l = stats.CompareProportions(ce, cc, b.confidence)
	} else {
		l = stats.CompareWeighted(we, wc, b.confidence)
	}
	m := &LiftMetric{Question: q.Key, Option: option, Type: "lift", Metric: q.Metric,
		Exposed: groupRate(ce, l.Exposed), Control: groupRate(cc, l.Control),
		AbsLift: l.AbsLift, AbsLiftCI: l.AbsLiftCI, AbsLiftSE: l.AbsLiftSE, AbsLiftWaldCI: l.AbsLiftWaldCI,
		Z: l.Z, PValue: l.PValue, PValueOneSided: l.PValueOneSided, PValueFisher: l.PValueFisher,
		ProbPositive: l.ProbPositive, TargetLift: b.st.PlannedLift()}
	why := reasons{}
	low, lowNote := b.caveat(ms, q, option)
	m.LowSample, m.Notes = low, joinNotes(lowNote, l.Reason)
	if l.RelLiftDefined {
		m.RelLift, m.RelLiftCI = ptr(l.RelLift), ptr(l.RelLiftCI)
	} else {
		why.set("rel_lift", "no control respondent answered positively: a relative lift is not defined")
	}
	if l.HeadroomLiftDefined {
		m.HeadroomLift, m.HeadroomLiftCI = ptr(l.HeadroomLift), ptr(l.HeadroomLiftCI)
	} else {
		why.set("headroom_lift", "every control respondent answered positively: there is no headroom")
	}
	if l.AbsLiftWaldCI.Lo == l.AbsLiftWaldCI.Hi {
		why.set("abs_lift_wald_ci", "both rates are 0% or 100%: the Wald interval has no width (the Newcombe interval still has)")
	}
	switch {
	case b.st.Reach <= 0:
		why.set("lifted_users", "the study sets no reach")
	case b.st.Spend <= 0:
		why.set("cost_per_lifted_user", "the study sets no spend")
	}
	if b.st.Reach > 0 {
		b.impact(m, l, why)
	}
	pc, nE, nC := l.Control.Rate, effectiveN(ce.N, l.Exposed.EffectiveN), effectiveN(cc.N, l.Control.EffectiveN)
	alpha := 1 - b.confidence
	if mde, ok := stats.MinDetectableLift(pc, nE, nC, alpha, mdePower, stats.TwoSided); ok {
		m.MDE = ptr(mde)
	} else {
		why.set("mde", "no lift, even to a rate of 100%, is detectable with 80% power at these group sizes")
	}
	if need, ok := stats.StillNeededPerGroup(pc, b.st.PlannedLift(), nE, nC, alpha, mdePower, stats.TwoSided); ok {
		m.NeededPerGroup = ptr(need)
	} else {
		why.set("n_needed_per_group", "the control rate plus the target lift is not a rate between 0% and 100%")
	}
	seqE, seqC := ce, cc
	if b.v.weight != nil { // effective counts, as the weighted tests use
		seqE = effectiveCount(l.Exposed.Rate, l.Exposed.EffectiveN)
		seqC = effectiveCount(l.Control.Rate, l.Control.EffectiveN)
	}
	m.Sequential = stats.SequentialLift(seqE, seqC, b.confidence, b.tuning)
	m.Significant, m.SignificantBy, _ = b.verdict(low, ByFisherExact, l.PValueFisher, ByZTest, l.PValue, &m.Sequential, why)
	primary := map[string]float64{ByFisherExact: l.PValueFisher, ByZTest: l.PValue, BySequential: m.Sequential.PValue}[m.SignificantBy]
	ms.tests = append(ms.tests, testRef{p: primary, key: key, set: func(q float64) { m.QValue = q },
		adjust: func(p float64, sig bool) { m.PValueAdjusted, m.Adjustment, m.Significant = &p, CorrectionHolm, sig }})
	m.Reasons = why.orNil()
	ms.metrics = append(ms.metrics, m)
	ms.lifts = append(ms.lifts, m)
	ms.measures[key] = &measure{key: key, lift: m, liftStat: &l, head: headline{measure: "abs_lift", value: l.AbsLift, se: l.AbsLiftSE, low: low}}
}

func groupRate(c stats.Count, p stats.Proportion) GroupRate {
	return GroupRate{N: c.N, Positive: c.Positive, Rate: p.Rate, CI: p.CI, EffectiveN: p.EffectiveN}
}

// effectiveN is the sample size power calculations use: Kish's effective
// n when weighted, the count otherwise.
func effectiveN(n int64, eff float64) int64 {
	if eff > 0 {
		return max(1, int64(math.Round(eff)))
	}
	return max(1, n)
}

func effectiveCount(rate, neff float64) stats.Count {
	n := int64(math.Round(neff))
	return stats.Count{N: n, Positive: min(n, int64(math.Round(rate*neff)))}
}

func (b *builder) npsCounts(q *survey.Question, g survey.Group) ([11]int64, int64) {
	raw, _ := b.v.slotCounts(q.Key, g)
	var counts [11]int64
	for score := 0; score <= 10; score++ {
		counts[score] = int64(math.Round(raw[strconv.Itoa(score)]))
	}
	var n int64
	for _, c := range counts {
		n += c
	}
	return counts, n
}

func (b *builder) npsMetric(ms *metricSet, q *survey.Question) {
	if b.withhold(ms, q, "", "nps") {
		return
	}
	m := &NPSMetric{Question: q.Key, Type: "nps"}
	why := reasons{}
	m.LowSample, m.Notes = b.caveat(ms, q, "")
	summary := map[survey.Group]stats.NPS{}
	for _, g := range b.groups() {
		counts, _ := b.npsCounts(q, g)
		s := stats.NPSFromCounts(counts, b.confidence)
		if s.CI.Lo == s.CI.Hi {
			why.set(string(g)+".ci", s.Reason)
		}
		summary[g] = s
		*byGroup(g, &m.Exposed, &m.Control, &m.All) = &NPSGroup{N: s.N, NPS: s.NPS, CI: s.CI,
			Promoters: s.Promoters, Passives: s.Passives, Detractors: s.Detractors}
	}
	main := summary[survey.GroupAll]
	head := headline{measure: "nps", value: main.NPS, se: main.SE, low: m.LowSample}
	if b.st.HasGroups() {
		main = summary[survey.GroupExposed]
		c := stats.CompareNPS(summary[survey.GroupExposed], summary[survey.GroupControl], b.confidence)
		m.Diff, m.DiffCI, m.PValue = ptr(c.Diff), ptr(c.DiffCI), ptr(c.PValue)
		if !c.Defined {
			why.set("diff_ci", c.Reason)
		}
		n := summary[survey.GroupExposed].N + summary[survey.GroupControl].N
		b.decide(ms, q.Key, &m.Test, ByZTest, c.PValue, stats.SequentialDiff(c.Diff, c.SE*c.SE, n, b.confidence, b.tuning), why)
		head = headline{measure: "nps_diff", value: c.Diff, se: c.SE, low: m.LowSample}
	}
	m.Reasons = why.orNil()
	ms.metrics = append(ms.metrics, m)
	ms.measures[q.Key] = &measure{key: q.Key, nps: &main, head: head}
}

func (b *builder) ratingSummary(q *survey.Question, g survey.Group) (stats.Rating, []int64) {
	raw, _ := b.v.slotCounts(q.Key, g)
	levels := make([]int64, q.Scale)
	var n int64
	var sum, sumSq float64
	for level := 1; level <= q.Scale; level++ {
		c := int64(math.Round(raw[strconv.Itoa(level)]))
		levels[level-1] = c
		n += c
		sum += float64(c) * float64(level)
		sumSq += float64(c) * float64(level*level)
	}
	return stats.RatingSummary(n, sum, sumSq, levels, b.confidence), levels
}

func (b *builder) ratingMetric(ms *metricSet, q *survey.Question) {
	if b.withhold(ms, q, "", "rating") {
		return
	}
	m := &RatingMetric{Question: q.Key, Type: "rating", Scale: q.Scale}
	why := reasons{}
	m.LowSample, m.Notes = b.caveat(ms, q, "")
	summary := map[survey.Group]stats.Rating{}
	for _, g := range b.groups() {
		r, levels := b.ratingSummary(q, g)
		if r.MeanCI.Lo == r.MeanCI.Hi {
			why.set(string(g)+".mean_ci", r.Reason)
		}
		summary[g] = r
		*byGroup(g, &m.Exposed, &m.Control, &m.All) = &RatingGroup{N: r.N, Mean: r.Mean, MeanCI: r.MeanCI, SD: r.SD,
			Top2Box: r.Top2Box, Top2BoxCI: r.Top2BoxCI, Levels: levels}
	}
	main := summary[survey.GroupAll]
	head := headline{measure: "mean", value: main.Mean, se: main.SE, low: m.LowSample}
	if b.st.HasGroups() {
		main = summary[survey.GroupExposed]
		c := stats.CompareRatings(summary[survey.GroupExposed], summary[survey.GroupControl], b.confidence)
		m.MeanDiff, m.MeanDiffCI, m.PValue = ptr(c.MeanDiff), ptr(c.MeanDiffCI), ptr(c.PValue)
		if !c.Defined {
			why.set("mean_diff_ci", c.Reason)
		}
		n := summary[survey.GroupExposed].N + summary[survey.GroupControl].N
		b.decide(ms, q.Key, &m.Test, ByWelch, c.PValue, stats.SequentialDiff(c.MeanDiff, c.SE*c.SE, n, b.confidence, b.tuning), why)
		head = headline{measure: "mean_diff", value: c.MeanDiff, se: c.SE, low: m.LowSample}
	}
	m.Reasons = why.orNil()
	ms.metrics = append(ms.metrics, m)
	ms.measures[q.Key] = &measure{key: q.Key, rating: &main, head: head}
}

// decide fills the verdict of an NPS or rating difference. Both tests
// (the z-test of two NPS values, Welch's t) stay the primary test below
// min_per_group: no exact test applies to them, and the low_sample mark
// says to read them with care.
func (b *builder) decide(ms *metricSet, key string, t *Test, fixed string, p float64, seq stats.Sequential, why reasons) {
	t.Sequential = &seq
	sig, by, primary := b.verdict(t.LowSample, fixed, p, fixed, p, &seq, why)
	t.Significant, t.SignificantBy = &sig, by
	t.QValue = ptr(primary)
	ms.tests = append(ms.tests, testRef{p: primary, key: key, set: func(q float64) { t.QValue = &q },
		adjust: func(p float64, sig bool) { t.PValueAdjusted, t.Adjustment, t.Significant = &p, CorrectionHolm, &sig }})
}

func ptr[T any](v T) *T { return &v }

// byGroup picks the field of a metric that holds group g.
func byGroup[T any](g survey.Group, exposed, control, all *T) *T {
	switch g {
	case survey.GroupExposed:
		return exposed
	case survey.GroupControl:
		return control
	}
	return all
}

// reasons collects why fields of a metric are not computed, by field path.
type reasons map[string]string

// set records a reason; an empty one (a stats result that gave none) says
// only that the value is undefined for these data.
func (r reasons) set(field, why string) {
	if why == "" {
		why = "not defined for these data"
	}
	r[field] = why
}

func (r reasons) orNil() map[string]string {
	if len(r) == 0 {
		return nil
	}
	return r
}
