package results

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
)

// Options are the report's query options.
type Options struct {
	Confidence     float64 // 0.8, 0.9 or 0.95; 0 means the study's
	IncludeFlagged bool
	// Segment is one attribute (age, gender, region, device, frequency or
	// any token attribute) or two crossed, comma-separated: age,gender.
	Segment   string
	Weighting string   // none (default), rake or stratify
	By        []string // stratify: the attributes whose crossed levels are the strata
	// MinPerGroup overrides the study's min_per_group (0: the study's).
	MinPerGroup int64
	// IgnoreSRM keeps significance despite a sample ratio mismatch.
	IgnoreSRM bool
	// Rolling adds to each trend period the metrics of the Rolling days
	// ending with it (the NPS tracker's rolling 28-day NPS); 0: none.
	Rolling int
	Now     time.Time
}

// MaxSegmentAttributes is how many attributes a segment may cross.
const MaxSegmentAttributes = 2

// segmentDims splits a segment option into its attributes.
func (o *Options) segmentDims() []string {
	if o.Segment == "" {
		return nil
	}
	return strings.Split(o.Segment, ",")
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
	case "stratify":
		if len(o.By) == 0 && st.Weighting != nil {
			o.By = st.Weighting.Attributes
		}
		switch {
		case !st.HasGroups():
			v.Add("weighting", "stratify compares exposed with control; an nps study has one population")
		case len(o.By) == 0:
			v.Add("by", "stratify needs the attributes that form the strata, for example by=age,gender")
		case len(o.By) > MaxSegmentAttributes:
			v.Add("by", "at most %d attributes, got %d", MaxSegmentAttributes, len(o.By))
		}
		for _, a := range o.By {
			if !survey.IsKey(a) || a == SegmentFrequency {
				v.Add("by", "must be attribute names such as age or gender (frequency is not randomised), got %q", a)
			}
		}
	default:
		v.Add("weighting", "must be none, rake or stratify, got %q", o.Weighting)
	}
	if o.Weighting != "stratify" && len(o.By) > 0 {
		v.Add("by", "by applies to weighting=stratify only")
	}
	if dims := o.segmentDims(); len(dims) > MaxSegmentAttributes {
		v.Add("segment", "at most %d attributes, comma-separated (age,gender), got %d", MaxSegmentAttributes, len(dims))
	} else {
		for _, d := range dims {
			if !survey.IsKey(d) {
				v.Add("segment", "must be an attribute name such as age, gender, region, device or frequency, or two of them (age,gender), got %q", o.Segment)
				break
			}
		}
		if len(dims) == 2 && (dims[0] == dims[1] || slices.Contains(dims, SegmentFrequency)) {
			v.Add("segment", "two different attributes may be crossed, and not frequency (control has none), got %q", o.Segment)
		}
	}
	if o.MinPerGroup == 0 {
		o.MinPerGroup = st.MinGroupSize()
	}
	if o.MinPerGroup < 1 || o.MinPerGroup > survey.MaxMinPerGroup {
		v.Add("min_per_group", "must be from 1 to %d, got %d", survey.MaxMinPerGroup, o.MinPerGroup)
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
	// FirstDay is the study's first day with answers (YYYY-MM-DD in its
	// time zone), "" without any: answers imported or backdated before
	// launch start the fill rate's clock there.
	FirstDay string
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
	if err := checkAttributes(st, data, o.segmentDims(), o.By); err != nil {
		return nil, err
	}
	// A multi-cell study's headline pools its cells; a wave series's is
	// its latest wave. The arms' own reports follow below.
	arms, wave := gcs, mainWave(st, gcs)
	if st.HasCells() || st.HasWaves() {
		data, gcs = data.regroup(pooled(wave)), regroupCounts(gcs, pooled(wave))
	}
	r := &Report{StudyID: st.ID, Kind: st.Kind, Confidence: o.Confidence, GeneratedAt: o.Now.UTC(),
		IncludeFlagged: o.IncludeFlagged, Weighting: o.Weighting, Segment: o.Segment,
		MinPerGroup: o.MinPerGroup, Significance: st.SignificanceRule(), IgnoreSRM: o.IgnoreSRM}
	r.Counts = countsOf(gcs, o.IncludeFlagged)
	r.Health = health(st, gcs, r.Counts, o.MinPerGroup)
	designHealth(st, &r.Health, arms, o)
	v := &view{data: data}
	if o.Weighting == "rake" {
		info, err := rake(st, v)
		if err != nil {
			return nil, err
		}
		r.Weights = info
	}
	b := newBuilder(st, v, o)
	b.srmBlock = r.Health.SRM != nil && r.Health.SRM.Mismatch && !o.IgnoreSRM
	ms := b.build()
	qValues(ms.tests)
	r.Metrics = ms.metrics
	r.Metrics = append(r.Metrics, textMetrics(st, v, in.Latest)...)
	r.Health.LowSample = ms.lowSample
	if r.Health.LowSample == nil {
		r.Health.LowSample = []string{}
	}
	if n := len(ms.lowSample); n > 0 {
		// The list says more than health's general low-sample note.
		r.Health.Notes = slices.DeleteFunc(r.Health.Notes, func(n string) bool { return strings.HasPrefix(n, "low sample: a group") })
		r.Health.Notes = append(r.Health.Notes, fmt.Sprintf("%d metric(s) below %d answers per group: %s; their numbers are marked low_sample",
			n, o.MinPerGroup, strings.Join(ms.lowSample, ", ")))
	}
	if b.srmBlock {
		r.Health.Notes = append(r.Health.Notes, "significance is off: "+reasonSRM)
	}
	if dims := o.segmentDims(); len(dims) > 0 {
		r.Segments = segmentReports(st, b, dims)
	}
	if o.Weighting == "stratify" {
		r.Stratified = stratify(b, o.By)
	}
	if st.HasGroups() {
		r.Frequency = frequencyCurves(st, b)
	}
	if st.HasCells() {
		cells, err := cellsReport(st, in.Tallies, arms, b, o)
		if err != nil {
			return nil, err
		}
		r.Cells = cells
	}
	if st.HasWaves() {
		r.Waves = wavesReport(st, in.Tallies, arms, b, o, wave)
	}
	r.Targets = targetReports(st, ms, o)
	r.Health.Projection = project(st, r.Health, r.Metrics, fieldingStart(st, in.FirstDay), wave, o)
	r.Methods = methods(st, r)
	return r, nil
}

// newBuilder is the builder of a report's metrics under the options.
func newBuilder(st *survey.Study, v *view, o Options) *builder {
	return &builder{st: st, v: v, confidence: o.Confidence, minN: o.MinPerGroup,
		rule: st.SignificanceRule(), tuning: float64(2 * st.TargetPerGroup)}
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

func health(st *survey.Study, gcs []GroupCount, c Counts, minN int64) Health {
	h := Health{MinPerGroup: minN}
	complete := map[survey.Group]int64{}
	for _, g := range gcs {
		if g.Flags == "" {
			complete[g.Group] += g.N
		}
	}
	groups := []survey.Group{survey.GroupAll}
	if st.HasGroups() {
		groups = []survey.Group{survey.GroupExposed, survey.GroupControl}
		h.EnoughData = c.Exposed >= minN && c.Control >= minN
	} else {
		h.EnoughData = c.All >= minN
	}
	for _, g := range groups {
		p := Progress{Group: g, Complete: complete[g], Target: st.TargetPerGroup}
		if st.TargetPerGroup > 0 {
			p.Share = float64(p.Complete) / float64(st.TargetPerGroup)
			p.Full = p.Complete >= st.TargetPerGroup
		}
		h.Progress = append(h.Progress, p)
	}
	if st.HasGroups() {
		h.SRM = srmCheck(st, c)
		if h.SRM.Mismatch {
			h.Notes = append(h.Notes, noteSRM)
		}
	}
	if !h.EnoughData {
		h.Notes = append(h.Notes, fmt.Sprintf("low sample: a group has fewer than %d responses; the numbers are shown, marked low_sample, and Fisher's exact test decides lift significance", minN))
	}
	return h
}

// noteSRM is the health's note on a sample ratio mismatch.
const noteSRM = "sample ratio mismatch: the groups' sizes do not fit the planned split; check the ad server's or panel's assignment before trusting the lift"

// srmCheck tests the groups' sizes against the study's planned split, or
// says why there is none.
func srmCheck(st *survey.Study, c Counts) *stats.SRM {
	share, ok, reason := st.ExpectedSplit()
	if !ok {
		return &stats.SRM{Observed: []int64{c.Control, c.Exposed}, Expected: []float64{}, PValue: 1, Reason: reason}
	}
	srm := stats.SampleRatioMismatch([]int64{c.Control, c.Exposed}, []float64{share, 1 - share})
	return &srm
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
