package survey

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/brandlift/brandlift/stats"
)

// ResultsOptions are the report's query options.
type ResultsOptions struct {
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

func (o *ResultsOptions) validate(st *Study) error {
	v := &ValidationError{}
	if o.Confidence == 0 {
		o.Confidence = st.Confidence
	}
	if !contains(Confidences, o.Confidence) {
		v.add("confidence", "must be 0.8, 0.9 or 0.95, got %v", o.Confidence)
	}
	switch o.Weighting {
	case "":
		o.Weighting = "none"
	case "none":
	case "rake":
		if st.Weighting == nil || len(st.Weighting.Attributes) == 0 {
			v.add("weighting", "the study names no attributes to rake on; set weighting.attributes on the study")
		}
		if !st.HasGroups() && (st.Weighting == nil || len(st.Weighting.Margins) == 0) {
			v.add("weighting", "an nps study is raked to target margins; set weighting.margins on the study")
		}
	default:
		v.add("weighting", "must be none or rake, got %q", o.Weighting)
	}
	if o.Segment != "" && !attrKeyPattern.MatchString(o.Segment) {
		v.add("segment", "must be an attribute name such as age, gender, region, device or frequency, got %q", o.Segment)
	}
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	return v.orNil()
}

// Results computes the study's report from its running counts: a few
// aggregate queries, then arithmetic on counts. No response is loaded.
func (s *Store) Results(ctx context.Context, studyID string, o ResultsOptions) (*Report, error) {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return nil, err
	}
	if err := o.validate(st); err != nil {
		return nil, err
	}
	data, err := s.loadTallies(ctx, st.ID, o.IncludeFlagged)
	if err != nil {
		return nil, err
	}
	gcs, err := s.groupCounts(ctx, st.ID)
	if err != nil {
		return nil, err
	}
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
	texts, err := s.textMetrics(ctx, st, v)
	if err != nil {
		return nil, err
	}
	r.Metrics = append(r.Metrics, texts...)
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
func countsOf(gcs []groupCountRow, includeFlagged bool) Counts {
	c := Counts{FlaggedBy: map[string]int64{}}
	for _, f := range Flags {
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
		switch Group(g.Grp) {
		case GroupExposed:
			c.Exposed += g.N
		case GroupControl:
			c.Control += g.N
		default:
			c.All += g.N
		}
	}
	return c
}

func health(st *Study, gcs []groupCountRow, c Counts) Health {
	h := Health{MinPerGroup: stats.MinResponsesPerGroup}
	complete := map[Group]int64{}
	for _, g := range gcs {
		if g.Flags == "" {
			complete[Group(g.Grp)] += g.N
		}
	}
	groups := []Group{GroupAll}
	if st.HasGroups() {
		groups = []Group{GroupExposed, GroupControl}
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
	if st.HasGroups() && st.Assignment == AssignHoldout && c.Exposed+c.Control > 0 {
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
func levelOf(c *cellRow, dim string) string {
	switch dim {
	case SegmentDevice:
		return c.Device
	case SegmentFrequency:
		if c.FrequencyBucket == "" {
			return "unknown"
		}
		return c.FrequencyBucket
	}
	if v, ok := c.Attrs.V[dim]; ok {
		return v
	}
	return "(none)"
}

// levels lists a dimension's levels present in the data, sorted.
func levels(data *tallyData, dim string) []string {
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
