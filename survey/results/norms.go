package results

import (
	"fmt"
	"slices"

	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
)

// MinNormStudies is how many closed studies a norm needs before its
// quartiles are shown: with fewer, a median and quartiles say more about
// the few studies than about what is usual.
const MinNormStudies = 5

// MetricNPS names the norm of the NPS question's lift (exposed minus
// control, in points) beside the brand metrics of choice questions.
const MetricNPS survey.Metric = "nps"

// NormMetrics are the metric types that have norms, in the order the API
// lists them. Custom metrics have none: two studies' custom questions
// need not measure the same thing.
var NormMetrics = []survey.Metric{survey.AdRecall, survey.Awareness, survey.Consideration,
	survey.Favorability, survey.PurchaseIntent, MetricNPS}

// IsNormMetric reports whether m has norms.
func IsNormMetric(m survey.Metric) bool { return slices.Contains(NormMetrics, m) }

// HeadlineLift is a study's lift on one metric type.
type HeadlineLift struct {
	// AbsLift is exposed minus control: a fraction for brand metrics,
	// NPS points for nps.
	AbsLift float64
	// RelLift is the relative lift of a brand metric; nil when the
	// control rate is 0, and always for nps (see NormSummary.RelLift).
	RelLift *float64
}

// StudyLifts are a closed study's headline lifts by metric type, as they
// enter the norms.
type StudyLifts struct {
	StudyID  string
	Category string
	Lifts    map[survey.Metric]HeadlineLift
}

// headlineRows finds a report's headline metric per metric type: the
// first lift metric of that type (for a multi-choice question, its first
// option: the brand, before competitors) and the first NPS metric with an
// exposed-minus-control difference. Only brand-lift reports have any.
func headlineRows(r *Report) map[survey.Metric]any {
	rows := map[survey.Metric]any{}
	if r.Kind != survey.KindBrandLift {
		return rows
	}
	for _, m := range r.Metrics {
		switch x := m.(type) {
		case *LiftMetric:
			if IsNormMetric(x.Metric) && x.Metric != MetricNPS && rows[x.Metric] == nil {
				rows[x.Metric] = x
			}
		case *NPSMetric:
			if x.Diff != nil && rows[MetricNPS] == nil {
				rows[MetricNPS] = x
			}
		}
	}
	return rows
}

// HeadlineLifts picks a brand-lift report's lift per metric type (see
// headlineRows); a metric withheld for lack of answers has none. An nps
// study's report has none at all: it compares no groups.
func HeadlineLifts(r *Report) map[survey.Metric]HeadlineLift {
	out := map[survey.Metric]HeadlineLift{}
	for metric, row := range headlineRows(r) {
		switch x := row.(type) {
		case *LiftMetric:
			h := HeadlineLift{AbsLift: x.AbsLift}
			if x.RelLift != nil {
				h.RelLift = ptr(*x.RelLift)
			}
			out[metric] = h
		case *NPSMetric:
			out[metric] = HeadlineLift{AbsLift: *x.Diff}
		}
	}
	return out
}

// NormQuartiles are the quartiles of the studies that have a value.
type NormQuartiles struct {
	Studies int `json:"studies"`
	stats.Quartiles
}

// NormSummary is the norm of one metric type over a pool of closed
// studies: how many have the metric, and the quartiles of their absolute
// and relative lifts, by stats.SampleQuartiles (Hyndman-Fan 7).
type NormSummary struct {
	Metric survey.Metric `json:"metric"`
	// Unit is the unit of abs_lift: fraction (brand metrics) or
	// nps_points.
	Unit       string `json:"unit"`
	Studies    int    `json:"studies"`
	MinStudies int    `json:"min_studies"`
	// Enough is true from MinStudies studies on; below, the quartiles are
	// null and Reasons says why.
	Enough  bool           `json:"enough"`
	AbsLift *NormQuartiles `json:"abs_lift"`
	// RelLift counts only the studies whose relative lift is defined
	// (control rate above 0) and needs MinStudies of them. It is always
	// null for nps: NPS can be 0 or negative in control, so a ratio of
	// two NPS values has no meaning.
	RelLift *NormQuartiles    `json:"rel_lift"`
	Reasons map[string]string `json:"reasons,omitempty"`
}

// unitOf is the unit of a metric type's absolute lift.
func unitOf(m survey.Metric) string {
	if m == MetricNPS {
		return "nps_points"
	}
	return "fraction"
}

// Summarize computes the norm of metric m over the pool.
func Summarize(pool []StudyLifts, m survey.Metric) NormSummary {
	var abs, rel []float64
	for _, s := range pool {
		h, ok := s.Lifts[m]
		if !ok {
			continue
		}
		abs = append(abs, h.AbsLift)
		if h.RelLift != nil {
			rel = append(rel, *h.RelLift)
		}
	}
	out := NormSummary{Metric: m, Unit: unitOf(m), Studies: len(abs), MinStudies: MinNormStudies,
		Enough: len(abs) >= MinNormStudies}
	why := reasons{}
	if out.Enough {
		out.AbsLift = &NormQuartiles{Studies: len(abs), Quartiles: stats.SampleQuartiles(abs)}
	} else {
		why.set("abs_lift", fmt.Sprintf("%d closed studies measure %s; quartiles need at least %d", len(abs), m, MinNormStudies))
	}
	switch {
	case m == MetricNPS:
		why.set("rel_lift", "NPS can be 0 or negative in control, so a relative lift of NPS has no meaning")
	case len(rel) >= MinNormStudies:
		out.RelLift = &NormQuartiles{Studies: len(rel), Quartiles: stats.SampleQuartiles(rel)}
	default:
		why.set("rel_lift", fmt.Sprintf("%d closed studies have a relative lift on %s (a control rate above 0); quartiles need at least %d",
			len(rel), m, MinNormStudies))
	}
	out.Reasons = why.orNil()
	return out
}

// Norm pools.
const (
	PoolAll      = "all"
	PoolCategory = "category"
)

// NormPosition places a study's lift on one metric among the lifts of
// other closed studies: the pool's quartiles and the study's percentile.
type NormPosition struct {
	// Pool is category when the study's category has at least
	// MinNormStudies other closed studies measuring the metric, else all.
	Pool string `json:"pool"`
	// Category is the pool's category (pool category only).
	Category string `json:"category,omitempty"`
	// Studies is the size of the pool, the study itself left out.
	Studies int             `json:"studies"`
	AbsLift stats.Quartiles `json:"abs_lift"`
	// Percentile is where the study's absolute lift falls in the pool,
	// 0 to 100, by stats.PercentileRank (ties count half).
	Percentile float64 `json:"percentile"`
	Notes      string  `json:"notes,omitempty"`
}

// Position places value, study selfID's lift on metric m, among the other
// studies of the pool: those of category when it has at least
// MinNormStudies of them, else all. It returns nil when even all have
// fewer.
func Position(all []StudyLifts, selfID, category string, m survey.Metric, value float64) *NormPosition {
	lifts := func(cat string) []float64 {
		var out []float64
		for _, s := range all {
			if h, ok := s.Lifts[m]; ok && s.StudyID != selfID && (cat == "" || s.Category == cat) {
				out = append(out, h.AbsLift)
			}
		}
		return out
	}
	p := &NormPosition{Pool: PoolAll}
	pool := lifts("")
	if category != "" {
		if own := lifts(category); len(own) >= MinNormStudies {
			pool, p.Pool, p.Category = own, PoolCategory, category
		} else {
			p.Notes = fmt.Sprintf("category %s has %d other closed studies measuring %s, fewer than %d: compared with all closed studies",
				category, len(own), m, MinNormStudies)
		}
	}
	if len(pool) < MinNormStudies {
		return nil
	}
	p.Studies = len(pool)
	p.AbsLift = stats.SampleQuartiles(pool)
	p.Percentile = stats.PercentileRank(pool, value)
	return p
}

// AttachNorms sets the norms of a brand-lift report's headline metrics
// (see headlineRows) from the lifts of the closed studies; category is the
// report's study's. Only reports whose lifts are computed as the norms'
// are (unweighted, flagged responses left out) get norms: a raked lift or
// one with flagged responses is not comparable with them. Segments' and
// arms' metrics get none. It reports whether any metric got norms.
func AttachNorms(r *Report, category string, all []StudyLifts) bool {
	if r.Weighting == "rake" || r.IncludeFlagged {
		return false
	}
	attached := false
	for metric, row := range headlineRows(r) {
		switch x := row.(type) {
		case *LiftMetric:
			x.Norms = Position(all, r.StudyID, category, metric, x.AbsLift)
			attached = attached || x.Norms != nil
		case *NPSMetric:
			x.Norms = Position(all, r.StudyID, category, metric, *x.Diff)
			attached = attached || x.Norms != nil
		}
	}
	if attached && r.Methods != nil {
		r.Methods["norms"] = fmt.Sprintf("the headline metric's absolute lift among the other closed studies' (the category's when it has at least %d, else all): "+
			"quartiles by linear interpolation (Hyndman-Fan 7, numpy's default), percentile rank with ties counted half (scipy's percentileofscore, kind mean)", MinNormStudies)
	}
	return attached
}
