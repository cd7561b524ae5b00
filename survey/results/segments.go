package results

import (
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// segmentReports computes the metrics within each level of a segment
// dimension, with q-values across the levels of each metric. Frequency is
// special: control saw no ads, so each frequency level of the exposed group
// is compared with the whole control group.
func segmentReports(st *survey.Study, base *builder, dim string) []SegmentReport {
	data := base.v.data
	var out []SegmentReport
	byMetric := map[string][]*LiftMetric{}
	for _, level := range levels(data, dim) {
		if dim == SegmentFrequency && (level == "0" || level == "unknown") && st.HasGroups() {
			continue // control's own level: it is the comparison for every other
		}
		level := level
		v := &view{data: data, weight: base.v.weight, include: func(cell int, g survey.Group) bool {
			if dim == SegmentFrequency && g == survey.GroupControl {
				return true
			}
			return levelOf(&data.cells[cell], dim) == level
		}}
		b := &builder{st: st, v: v, confidence: base.confidence, minN: base.minN}
		ms := b.build()
		for _, m := range ms.lifts {
			k := measureKey(m.Question, m.Option)
			byMetric[k] = append(byMetric[k], m)
		}
		out = append(out, SegmentReport{Level: level, Counts: segmentCounts(v), Metrics: ms.metrics})
	}
	for _, lifts := range byMetric {
		qValues(lifts)
	}
	return out
}

// segmentCounts counts the responses a segment view includes.
func segmentCounts(v *view) GroupCounts {
	return GroupCounts{
		Exposed: v.sum("", survey.GroupExposed, isSlot("")),
		Control: v.sum("", survey.GroupControl, isSlot("")),
		All:     v.sum("", survey.GroupAll, isSlot("")),
	}
}

// frequencyBuckets are the exposure-frequency levels of the curve.
var frequencyBuckets = []string{"1", "2", "3-4", "5+"}

// frequencyCurves computes the lift of each lift metric by exposure
// frequency, against the whole control group. It is empty when no
// respondent has a recorded frequency.
func frequencyCurves(st *survey.Study, base *builder) []FrequencyCurve {
	data := base.v.data
	has := false
	for i := range data.cells {
		if b := data.cells[i].FrequencyBucket; b != "" && b != "0" {
			has = true
		}
	}
	if !has {
		return nil
	}
	var out []FrequencyCurve
	for i := range st.Questions {
		q := &st.Questions[i]
		if !q.IsChoice() || q.Metric == "" {
			continue
		}
		for _, opt := range liftOptions(q) {
			slots := positiveSlots(q, opt)
			control := stats.Count{Positive: base.v.sum(q.Key, survey.GroupControl, slots), N: base.answered(q.Key, survey.GroupControl)}
			cp := stats.OneProportion(control, base.confidence)
			fc := FrequencyCurve{Question: q.Key, Option: opt, Control: groupRate(control, cp)}
			counts := make([]stats.Count, len(frequencyBuckets))
			for i, bucket := range frequencyBuckets {
				in := func(cell int, g survey.Group) bool {
					return g == survey.GroupExposed && data.cells[cell].FrequencyBucket == bucket
				}
				v := &view{data: data, include: in}
				counts[i] = stats.Count{Positive: v.sum(q.Key, survey.GroupExposed, slots), N: v.sum(q.Key, survey.GroupExposed, isSlot(survey.SlotAnswered))}
			}
			for i, l := range stats.FrequencyCurve(counts, control, base.confidence) {
				fc.Buckets = append(fc.Buckets, FrequencyPoint{Bucket: frequencyBuckets[i], N: counts[i].N, Rate: l.Exposed.Rate,
					AbsLift: l.AbsLift, AbsLiftCI: l.AbsLiftCI, PValue: l.PValue,
					Enough: stats.EnoughData(counts[i].N, control.N)})
			}
			out = append(out, fc)
		}
	}
	return out
}
