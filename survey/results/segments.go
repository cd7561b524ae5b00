package results

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// segmentReports computes the metrics within each level of a segment:
// one attribute, or two crossed (each level a pair of values). Levels too
// small to read on their own (a group below min_per_group) are pooled into
// one "other" level when there are two or more of them and at least one
// level stands alone. Each level's tests
// form their own q-value family. Frequency is special: control saw no
// ads, so each frequency level of the exposed group is compared with the
// whole control group.
func segmentReports(st *survey.Study, base *builder, dims []string) []SegmentReport {
	data := base.v.data
	freq := len(dims) == 1 && dims[0] == SegmentFrequency && st.HasGroups()
	levelNames, cellLevel := crossedLevels(data, dims)
	if freq {
		var kept []string
		for _, l := range levelNames {
			if l != "0" && l != "unknown" { // control's own level: it is the comparison for every other
				kept = append(kept, l)
			}
		}
		levelNames = kept
	}
	include := func(level string) func(cell int, g survey.Group) bool {
		return func(cell int, g survey.Group) bool {
			if freq && g == survey.GroupControl {
				return true
			}
			return cellLevel[cell] == level
		}
	}
	// Pool the small levels.
	var small []string
	if !freq {
		for _, l := range levelNames {
			c := segmentCounts(&view{data: data, include: include(l)})
			if smallest(st, c) < base.minN {
				small = append(small, l)
			}
		}
	}
	// Pooling helps only when some levels are big enough to stand alone;
	// when all are small, each keeps its name and its low_sample marks.
	pool := len(small) >= 2 && len(small) < len(levelNames)
	if pool {
		pooled := map[string]bool{}
		for _, l := range small {
			pooled[l] = true
		}
		for cell, l := range cellLevel {
			if pooled[l] {
				cellLevel[cell] = OtherLevel
			}
		}
		var kept []string
		for _, l := range levelNames {
			if !pooled[l] {
				kept = append(kept, l)
			}
		}
		levelNames = append(kept, OtherLevel)
	}
	var out []SegmentReport
	for _, level := range levelNames {
		v := &view{data: data, weight: base.v.weight, include: include(level)}
		ms := base.sub(v).build()
		qValues(ms.tests)
		sr := SegmentReport{Level: level, Counts: segmentCounts(v), Metrics: ms.metrics}
		if level == OtherLevel && pool {
			sr.Other = small
			sr.Notes = fmt.Sprintf("%d levels with fewer than %d responses in a group are pooled here: %s", len(small), base.minN, strings.Join(small, ", "))
		} else if len(dims) == 2 {
			a, b, _ := strings.Cut(level, LevelSeparator)
			sr.Values = map[string]string{dims[0]: a, dims[1]: b}
		}
		out = append(out, sr)
	}
	return out
}

// OtherLevel names the pooled level of small segment levels;
// LevelSeparator joins the values of a crossed level.
const (
	OtherLevel     = "other"
	LevelSeparator = " / "
)

// crossedLevels names each cell's level of the (possibly crossed)
// dimensions and lists the levels present, sorted.
func crossedLevels(data *Tallies, dims []string) ([]string, []string) {
	cellLevel := make([]string, len(data.cells))
	seen := map[string]bool{}
	for i := range data.cells {
		parts := make([]string, len(dims))
		for d, dim := range dims {
			parts[d] = levelOf(&data.cells[i], dim)
		}
		cellLevel[i] = strings.Join(parts, LevelSeparator)
		seen[cellLevel[i]] = true
	}
	names := make([]string, 0, len(seen))
	for l := range seen {
		names = append(names, l)
	}
	sort.Strings(names)
	return names, cellLevel
}

// smallest is the size of the smallest group the study compares.
func smallest(st *survey.Study, c GroupCounts) int64 {
	if st.HasGroups() {
		return min(c.Exposed, c.Control)
	}
	return c.All
}

// UnknownAttributeError is a segment or stratum attribute that no
// respondent of the study has; Known lists those that exist.
type UnknownAttributeError struct {
	Field     string // segment or by
	Attribute string
	Known     []string
}

func (e *UnknownAttributeError) Error() string {
	return fmt.Sprintf("%s: the study has no attribute %q; its attributes: %s", e.Field, e.Attribute, strings.Join(e.Known, ", "))
}

// Attributes lists what a study's report can be segmented by: the
// attributes its respondents carry, the weighting attributes it names,
// device and frequency.
func Attributes(st *survey.Study, data *Tallies) []string {
	seen := map[string]bool{SegmentDevice: true}
	if st.HasGroups() {
		seen[SegmentFrequency] = true
	}
	if st.Weighting != nil {
		for _, a := range st.Weighting.Attributes {
			seen[a] = true
		}
	}
	for i := range data.cells {
		for a := range data.cells[i].Attrs {
			seen[a] = true
		}
	}
	out := make([]string, 0, len(seen))
	for a := range seen {
		out = append(out, a)
	}
	sort.Strings(out)
	return out
}

// checkAttributes refuses segment and stratum attributes the study does
// not have, instead of reporting one "(none)" level that looks like data.
func checkAttributes(st *survey.Study, data *Tallies, segment, by []string) error {
	known := Attributes(st, data)
	for _, f := range []struct {
		field string
		attrs []string
	}{{"segment", segment}, {"by", by}} {
		for _, a := range f.attrs {
			if !slices.Contains(known, a) {
				return &UnknownAttributeError{Field: f.field, Attribute: a, Known: known}
			}
		}
	}
	return nil
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
