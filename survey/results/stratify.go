package results

import (
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// StratifiedReport is the post-stratified lift of each lift metric
// (weighting=stratify): exposed and control compared within the strata
// formed by the crossed levels of By, control reweighted to the exposed
// group's strata, with the Cochran-Mantel-Haenszel test.
type StratifiedReport struct {
	By      []string           `json:"by"`
	Metrics []StratifiedMetric `json:"metrics"`
}

// StratifiedMetric is one lift metric's post-stratified comparison.
type StratifiedMetric struct {
	Question string        `json:"question"`
	Option   string        `json:"option,omitempty"`
	Metric   survey.Metric `json:"metric"`
	stats.Stratified
}

// stratify compares exposed with control within the strata of by, for
// every lift metric, from unweighted counts.
func stratify(base *builder, by []string) *StratifiedReport {
	st, data := base.st, base.v.data
	names, cellLevel := crossedLevels(data, by)
	index := map[string]int{}
	for i, l := range names {
		index[l] = i
	}
	out := &StratifiedReport{By: by, Metrics: []StratifiedMetric{}}
	for i := range st.Questions {
		q := &st.Questions[i]
		if !q.IsChoice() || q.Metric == "" {
			continue
		}
		for _, opt := range liftOptions(q) {
			slots := positiveSlots(q, opt)
			strata := make([]stats.Stratum, len(names))
			for si, level := range names {
				v := &view{data: data, include: func(cell int, _ survey.Group) bool { return cellLevel[cell] == level }}
				strata[si] = stats.Stratum{
					Exposed: stats.Count{Positive: v.sum(q.Key, survey.GroupExposed, slots), N: v.sum(q.Key, survey.GroupExposed, isSlot(survey.SlotAnswered))},
					Control: stats.Count{Positive: v.sum(q.Key, survey.GroupControl, slots), N: v.sum(q.Key, survey.GroupControl, isSlot(survey.SlotAnswered))},
				}
			}
			out.Metrics = append(out.Metrics, StratifiedMetric{Question: q.Key, Option: opt, Metric: q.Metric,
				Stratified: stats.StratifiedLift(strata, base.confidence)})
		}
	}
	return out
}
