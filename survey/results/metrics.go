package results

import (
	"math"
	"strconv"

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
}

// metricSet is the output of buildMetrics.
type metricSet struct {
	metrics  []any
	measures map[string]*measure
	lifts    []*LiftMetric // in order, for q-values
}

// builder computes metrics from one view of the counts.
type builder struct {
	st         *survey.Study
	v          *view
	confidence float64
	minN       int64 // below this per group, numbers are withheld
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

func (b *builder) withhold(ms *metricSet, q *survey.Question, option, typ string) bool {
	n := map[survey.Group]int64{}
	short := false
	for _, g := range b.groups() {
		n[g] = b.answered(q.Key, g)
		short = short || n[g] < b.minN
	}
	if !short {
		return false
	}
	ms.metrics = append(ms.metrics, &WithheldMetric{Question: q.Key, Option: option, Type: typ,
		Status: "not_enough_data", N: n, Needed: b.minN})
	ms.measures[measureKey(q.Key, option)] = &measure{key: measureKey(q.Key, option), withheld: true}
	return true
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
		ms.metrics = append(ms.metrics, &RateMetric{Question: q.Key, Option: option, Type: "rate", Metric: q.Metric,
			All: GroupRate{N: c.N, Positive: c.Positive, Rate: p.Rate, CI: p.CI}})
		ms.measures[key] = &measure{key: key}
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
		ProbPositive: l.ProbPositive, Significant: l.Significant, TargetLift: b.st.PlannedLift(), Notes: l.Reason}
	why := reasons{}
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
		im := stats.LiftedUsers(l.AbsLift, l.AbsLiftCI, float64(b.st.Reach), b.st.Spend)
		m.LiftedUsers, m.LiftedUsersCI = ptr(im.LiftedUsers), ptr(im.LiftedUsersCI)
		if b.st.Spend > 0 && im.CostPerLiftedUserDefined {
			m.CostPerLiftedUser = ptr(im.CostPerLiftedUser)
		} else if b.st.Spend > 0 {
			why.set("cost_per_lifted_user", "the lift is not positive: no one was lifted, so there is no cost per lifted user")
		}
		if b.st.Spend > 0 && im.CostPerLiftedUserCIDefined {
			m.CostPerLiftedUserCI = ptr(im.CostPerLiftedUserCI)
		} else if b.st.Spend > 0 && im.CostPerLiftedUserDefined {
			why.set("cost_per_lifted_user_ci", "the lifted users' interval reaches 0: the cost has no upper bound")
		}
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
	m.Sequential = stats.SequentialLift(seqE, seqC, b.confidence, float64(2*b.st.TargetPerGroup))
	m.Reasons = why.orNil()
	ms.metrics = append(ms.metrics, m)
	ms.lifts = append(ms.lifts, m)
	ms.measures[key] = &measure{key: key, lift: m, liftStat: &l}
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
	if b.st.HasGroups() {
		main = summary[survey.GroupExposed]
		c := stats.CompareNPS(summary[survey.GroupExposed], summary[survey.GroupControl], b.confidence)
		m.Diff, m.DiffCI, m.PValue = ptr(c.Diff), ptr(c.DiffCI), ptr(c.PValue)
		if !c.Defined {
			why.set("diff_ci", c.Reason)
		}
	}
	m.Reasons = why.orNil()
	ms.metrics = append(ms.metrics, m)
	ms.measures[q.Key] = &measure{key: q.Key, nps: &main}
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
	if b.st.HasGroups() {
		main = summary[survey.GroupExposed]
		c := stats.CompareRatings(summary[survey.GroupExposed], summary[survey.GroupControl], b.confidence)
		m.MeanDiff, m.MeanDiffCI, m.PValue = ptr(c.MeanDiff), ptr(c.MeanDiffCI), ptr(c.PValue)
		if !c.Defined {
			why.set("mean_diff_ci", c.Reason)
		}
	}
	m.Reasons = why.orNil()
	ms.metrics = append(ms.metrics, m)
	ms.measures[q.Key] = &measure{key: q.Key, rating: &main}
}

// qValues sets Benjamini-Hochberg q-values over a set of lift metrics.
func qValues(lifts []*LiftMetric) {
	if len(lifts) == 0 {
		return
	}
	p := make([]float64, len(lifts))
	for i, m := range lifts {
		p[i] = m.PValue
	}
	for i, q := range stats.BenjaminiHochberg(p) {
		lifts[i].QValue = q
	}
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
