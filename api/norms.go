package api

import (
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// NormsReply is the norms of the installation's closed brand-lift studies,
// of one category or of all, per metric type.
type NormsReply struct {
	// Category is the category asked for; absent for all studies.
	Category string `json:"category,omitempty"`
	// Studies is the number of closed studies in the pool (those not
	// excluded from norms), whether or not they measure a given metric.
	Studies    int                   `json:"studies"`
	MinStudies int                   `json:"min_studies"`
	Metrics    []results.NormSummary `json:"metrics"`
}

// normMetricNames lists the metric types that have norms, for errors.
func normMetricNames() []string {
	out := make([]string, len(results.NormMetrics))
	for i, m := range results.NormMetrics {
		out[i] = string(m)
	}
	return out
}

// norms answers GET /api/v1/norms?metric=&category=: every metric type's
// norm, or one's.
func (s *Server) norms(c echo.Context) error {
	metrics := results.NormMetrics
	if v := c.QueryParam("metric"); v != "" {
		if !results.IsNormMetric(survey.Metric(v)) {
			p := badParam("metric", "has no norms: %q; valid: %v", v, normMetricNames())
			p.ValidValues = normMetricNames()
			return p
		}
		metrics = []survey.Metric{survey.Metric(v)}
	}
	category := c.QueryParam("category")
	if category != "" && !survey.IsKey(category) {
		return badParam("category", "must be a study category such as fmcg (lower-case letters, digits, _; at most %d), got %q",
			survey.MaxCategoryLen, category)
	}
	pool, err := s.store.NormStudies(c.Request().Context(), category)
	if err != nil {
		return err
	}
	reply := NormsReply{Category: category, Studies: len(pool), MinStudies: results.MinNormStudies,
		Metrics: make([]results.NormSummary, 0, len(metrics))}
	for _, m := range metrics {
		reply.Metrics = append(reply.Metrics, results.Summarize(pool, m))
	}
	return writeJSON(c, http.StatusOK, reply)
}
