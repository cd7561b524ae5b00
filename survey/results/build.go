package results

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
)

// Options are the report's query options.
type Options struct {
	Confidence     float64 // 0.8, 0.9 or 0.95; 0 means the study's
	IncludeFlagged bool
	Segment        string // age, gender, region, device, frequency or any attribute
	Weighting      string // none (default) or rake
	Now            time.Time
}

// Segments every study offers besides its respondents' attributes.
const (
	SegmentDevice    = "device"
	SegmentFrequency = "frequency"
)

// Validate checks the options against the study and fills in defaults:
// the study's confidence, no weighting, now.
func (o *Options) Validate(st *survey.Study) error {
	v := &survey.ValidationError{}
	if o.Confidence == 0 {
		o.Confidence = st.Confidence
	}
	if !slices.Contains(survey.Confidences, o.Confidence) {
		v.Add("confidence", "must be 0.8, 0.9 or 0.95, got %v", o.Confidence)
	}
	switch o.Weighting {
	case "":
		o.Weighting = "none"
	case "none":
	case "rake":
		if st.Weighting == nil || len(st.Weighting.Attributes) == 0 {
			v.Add("weighting", "the study names no attributes to rake on; set weighting.attributes on the study")
		}
		if !st.HasGroups() && (st.Weighting == nil || len(st.Weighting.Margins) == 0) {
			v.Add("weighting", "an nps study is raked to target margins; set weighting.margins on the study")
		}
	default:
		v.Add("weighting", "must be none or rake, got %q", o.Weighting)
	}
	if o.Segment != "" && !survey.IsKey(o.Segment) {
		v.Add("segment", "must be an attribute name such as age, gender, region, device or frequency, got %q", o.Segment)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	return v.Err()
}

// Input is what the store gathers for a report: the study, its running
// counts, and the newest text answers of each text question.
type Input struct {
	Study       *survey.Study
	Tallies     *Tallies
	GroupCounts []GroupCount
	// Latest lists, per text question, its newest answers, newest first.
	Latest map[string][]TextAnswer
}

// GroupCount is how many responses a group has with one set of quality
// flags ("" for none).
type GroupCount struct {
	Group survey.Group
	Flags string
	N     int64
}

// Build computes the study's report from its running counts: arithmetic
// on counts, in stats. The options must have been validated.
func Build(in Input, o Options) (*Report, error) {
	st, data, gcs := in.Study, in.Tallies, in.GroupCounts
	r := &Report{StudyID: st.ID, Kind: st.Kind, Confidence: o.Confidence, GeneratedAt: o.Now.UTC(),
		IncludeFlagged: o.IncludeFlagged, Weighting: o.Weighting, Segment: o.Segment}
	r.Counts = countsOf(gcs, o.IncludeFlagged)
	r.Health = health(st, gcs, r.Counts)
	v := &view{data: data}
	if o.Weighting == "rake" {
		info, err := rake(st, v)
		if err != nil {
			return nil, err
		}
		r.Weights = info
	}
	b := &builder{st: st, v: v, confidence: o.Confidence, minN: stats.MinResponsesPerGroup}
	ms := b.build()
	qValues(ms.lifts)
	r.Metrics = ms.metrics
	r.Metrics = append(r.Metrics, textMetrics(st, v, in.Latest)...)
	if o.Segment != "" {
		r.Segments = segmentReports(st, b, o.Segment)
	}
	if st.HasGroups() {
		r.Frequency = frequencyCurves(st, b)
	}
	r.Targets = targetReports(st, ms, o)
	return r, nil
}

// countsOf sums responses per group; flagged ones count only when included,
// but the flagged totals are always shown.
func countsOf(gcs []GroupCount, includeFlagged bool) Counts {
	c := Counts{FlaggedBy: map[string]int64{}}
	for _, f := range survey.Flags {
		c.FlaggedBy[f] = 0
	}
	for _, g := range gcs {
		if g.Flags != "" {
			c.Flagged += g.N
			for _, f := range strings.Split(g.Flags, ",") {
				c.FlaggedBy[f] += g.N
			}
			if !includeFlagged {
				continue
			}
		}
		switch g.Group {
		case survey.GroupExposed:
			c.Exposed += g.N
		case survey.GroupControl:
			c.Control += g.N
		default:
			c.All += g.N
		}
	}
	return c
}

func health(st *survey.Study, gcs []GroupCount, c Counts) Health {
	h := Health{MinPerGroup: stats.MinResponsesPerGroup}
	complete := map[survey.Group]int64{}
	for _, g := range gcs {
		if g.Flags == "" {
			complete[g.Group] += g.N
		}
	}
	groups := []survey.Group{survey.GroupAll}
	if st.HasGroups() {
		groups = []survey.Group{survey.GroupExposed, survey.GroupControl}
		h.EnoughData = stats.EnoughData(c.Exposed, c.Control)
	} else {
		h.EnoughData = c.All >= stats.MinResponsesPerGroup
	}
	for _, g := range groups {
		p := Progress{Group: g, Complete: complete[g], Target: st.TargetPerGroup}
		if st.TargetPerGroup > 0 {
			p.Share = float64(p.Complete) / float64(st.TargetPerGroup)
			p.Full = p.Complete >= st.TargetPerGroup
		}
		h.Progress = append(h.Progress, p)
	}
	if st.HasGroups() && st.Assignment == survey.AssignHoldout && c.Exposed+c.Control > 0 {
		srm := stats.SampleRatioMismatch([]int64{c.Control, c.Exposed}, []float64{st.ControlShare, 1 - st.ControlShare})
		h.SRM = &srm
		if srm.Mismatch {
			h.Notes = append(h.Notes, "sample ratio mismatch: the groups' sizes do not fit control_share; check the ad server's holdout before trusting the lift")
		}
	}
	if !h.EnoughData {
		h.Notes = append(h.Notes, "not enough data: each group needs at least 50 responses before results are shown")
	}
	return h
}

// levelOf returns a cell's level of a segment dimension.
func levelOf(c *survey.Cell, dim string) string {
	switch dim {
	case SegmentDevice:
		return c.Device
	case SegmentFrequency:
		if c.FrequencyBucket == "" {
			return "unknown"
		}
		return c.FrequencyBucket
	}
	if v, ok := c.Attrs[dim]; ok {
		return v
	}
	return "(none)"
}

// levels lists a dimension's levels present in the data, sorted.
func levels(data *Tallies, dim string) []string {
	seen := map[string]bool{}
	for i := range data.cells {
		seen[levelOf(&data.cells[i], dim)] = true
	}
	out := make([]string, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Strings(out)
	return out
}

// textMetrics counts the answers to each text question and shows the
// latest few the store read.
func textMetrics(st *survey.Study, v *view, latest map[string][]TextAnswer) []any {
	var out []any
	for i := range st.Questions {
		q := &st.Questions[i]
		if q.Type != survey.TextQuestion {
			continue
		}
		m := &TextMetric{Question: q.Key, Type: "text", Answered: map[survey.Group]int64{}, Latest: latest[q.Key]}
		if m.Latest == nil {
			m.Latest = []TextAnswer{}
		}
		for _, g := range (&builder{st: st, v: v}).groups() {
			m.Answered[g] = v.sum(q.Key, g, isSlot(survey.SlotAnswered))
		}
		out = append(out, m)
	}
	return out
}
