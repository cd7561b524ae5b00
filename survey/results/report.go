package results

import (
	"time"

	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
)

// Report is the results of a study (API-CONTRACT.md, "Results report").
// Rates and lifts are fractions; NPS is in points from -100 to 100.
type Report struct {
	StudyID        string      `json:"study_id"`
	Kind           survey.Kind `json:"kind"`
	Confidence     float64     `json:"confidence"`
	GeneratedAt    time.Time   `json:"generated_at"`
	IncludeFlagged bool        `json:"include_flagged"`
	Weighting      string      `json:"weighting"`
	// MinPerGroup is the group size below which a metric is low_sample
	// (the study's setting or the request's min_per_group).
	MinPerGroup int64 `json:"min_per_group"`
	// Significance is the rule behind every "significant": fixed or
	// sequential (see Methods).
	Significance string `json:"significance"`
	// IgnoreSRM is true when the analyst asked for significance despite a
	// sample ratio mismatch (ignore_srm=true).
	IgnoreSRM bool   `json:"ignore_srm"`
	Counts    Counts `json:"counts"`
	Health    Health `json:"health"`
	// Metrics holds one entry per reported measure: *LiftMetric,
	// *RateMetric (nps studies), *NPSMetric, *RatingMetric, *TextMetric or
	// *WithheldMetric (a group it compares has no answer yet).
	Metrics []any       `json:"metrics"`
	Weights *WeightInfo `json:"weights,omitempty"`
	// Stratified holds the post-stratified lift of each lift metric
	// (weighting=stratify).
	Stratified *StratifiedReport `json:"stratified,omitempty"`
	// Cells compares a multi-cell study's cells with control and with
	// each other (Metrics pool the cells); Waves reports a wave series
	// (Metrics are its latest wave's).
	Cells     *CellsReport     `json:"cells,omitempty"`
	Waves     *WavesReport     `json:"waves,omitempty"`
	Segment   string           `json:"segment,omitempty"`
	Segments  []SegmentReport  `json:"segments,omitempty"`
	Frequency []FrequencyCurve `json:"frequency,omitempty"`
	Targets   []TargetReport   `json:"targets,omitempty"`
	// Methods names the method behind each kind of number, for the
	// report's reader and its files.
	Methods map[string]string `json:"methods"`
	// Freshness says which database the counts were read from and how
	// current they are (as_of, read_from).
	Freshness
}

// Counts are the responses behind the report.
type Counts struct {
	Exposed int64 `json:"exposed"`
	Control int64 `json:"control"`
	All     int64 `json:"all,omitempty"` // nps studies
	// Flagged counts responses with any quality flag; FlaggedBy counts by
	// reason (a response may have several). They are shown whether or not
	// the report includes flagged responses.
	Flagged   int64            `json:"flagged"`
	FlaggedBy map[string]int64 `json:"flagged_by"`
}

// GroupCounts are the responses per group within a segment or period.
type GroupCounts struct {
	Exposed int64 `json:"exposed"`
	Control int64 `json:"control"`
	All     int64 `json:"all,omitempty"` // nps studies
}

// Health says whether the study's data can be trusted and how far along it is.
type Health struct {
	// SRM is the sample-ratio-mismatch check against the study's planned
	// split; not Defined, with the reason, when the study has none
	// (exposure studies, signed links without a planned split).
	SRM      *stats.SRM `json:"srm,omitempty"`
	Progress []Progress `json:"progress"`
	// EnoughData is false while a group has fewer than MinPerGroup
	// responses; the numbers are still shown, marked low_sample.
	EnoughData  bool  `json:"enough_data"`
	MinPerGroup int64 `json:"min_per_group"`
	// LowSample lists the metrics (question, or question/option) whose
	// groups are below MinPerGroup.
	LowSample []string `json:"low_sample"`
	// Projection is a live study's projected date to reach its sample.
	Projection *Projection `json:"projection,omitempty"`
	Notes      []string    `json:"notes,omitempty"`
}

// Progress is one group's way to its target.
type Progress struct {
	Group    survey.Group `json:"group"`
	Complete int64        `json:"complete"` // unflagged completes
	Target   int64        `json:"target,omitempty"`
	Share    float64      `json:"share,omitempty"` // complete / target
	Full     bool         `json:"full"`
}

// GroupRate is one group's share of positive answers.
type GroupRate struct {
	N          int64          `json:"n"`
	Positive   int64          `json:"positive"`
	Rate       float64        `json:"rate"`
	CI         stats.Interval `json:"ci"`
	EffectiveN float64        `json:"effective_n,omitempty"` // weighted reports
}

// LiftMetric is the exposed-vs-control comparison of a choice question
// (for multi-choice questions, of one option).
type LiftMetric struct {
	Question string        `json:"question"`
	Option   string        `json:"option,omitempty"`
	Type     string        `json:"type"` // "lift"
	Metric   survey.Metric `json:"metric"`
	Control  GroupRate     `json:"control"`
	Exposed  GroupRate     `json:"exposed"`

	AbsLift   float64        `json:"abs_lift"`
	AbsLiftCI stats.Interval `json:"abs_lift_ci"`
	// AbsLiftSE is the unpooled standard error of AbsLift (KPI targets
	// use it); AbsLiftWaldCI the Wald interval, for comparison with tools
	// that show it.
	AbsLiftSE      float64         `json:"abs_lift_se"`
	AbsLiftWaldCI  stats.Interval  `json:"abs_lift_wald_ci"`
	RelLift        *float64        `json:"rel_lift"`    // null when the control rate is 0
	RelLiftCI      *stats.Interval `json:"rel_lift_ci"` // null when the control rate is 0
	HeadroomLift   *float64        `json:"headroom_lift"`
	HeadroomLiftCI *stats.Interval `json:"headroom_lift_ci"`
	Z              float64         `json:"z"`
	PValue         float64         `json:"p_value"`
	PValueOneSided float64         `json:"p_value_one_sided"`
	PValueFisher   float64         `json:"p_value_fisher"`
	QValue         float64         `json:"q_value"`
	ProbPositive   float64         `json:"prob_positive"`
	Significant    bool            `json:"significant"`
	// SignificantBy names the test behind Significant and QValue:
	// z_test, fisher_exact (below min_per_group) or sequential.
	SignificantBy string `json:"significant_by"`
	// PValueAdjusted is the family-wise adjusted p-value of the test
	// named by SignificantBy, in a multi-cell study's cells (Adjustment
	// "holm"); there it decides Significant.
	PValueAdjusted *float64 `json:"p_value_adjusted,omitempty"`
	Adjustment     string   `json:"adjustment,omitempty"`
	// LowSample is true when a group has fewer than the report's
	// min_per_group answers: the numbers are shown, to be read with care.
	LowSample bool `json:"low_sample"`

	LiftedUsers         *float64        `json:"lifted_users,omitempty"`
	LiftedUsersCI       *stats.Interval `json:"lifted_users_ci,omitempty"`
	CostPerLiftedUser   *float64        `json:"cost_per_lifted_user,omitempty"`
	CostPerLiftedUserCI *stats.Interval `json:"cost_per_lifted_user_ci,omitempty"`

	// MDE is the smallest absolute lift detectable at the current sizes
	// (two-sided, 80% power, the report's confidence); NeededPerGroup is
	// how many more responses per group the study's target lift needs.
	MDE            *float64 `json:"mde"`
	TargetLift     float64  `json:"target_lift"`
	NeededPerGroup *int64   `json:"n_needed_per_group"`

	Sequential stats.Sequential `json:"sequential"`
	Norms      *NormPosition    `json:"norms,omitempty"`
	Notes      string           `json:"notes,omitempty"`
	// Reasons says, by field name, why a field is null, absent or a
	// zero-width interval for these data.
	Reasons map[string]string `json:"reasons,omitempty"`
}

// RateMetric is a choice question's share in a one-population (nps) study.
type RateMetric struct {
	Question string        `json:"question"`
	Option   string        `json:"option,omitempty"`
	Type     string        `json:"type"` // "rate"
	Metric   survey.Metric `json:"metric"`
	All      GroupRate     `json:"all"`
	// LowSample is true below the report's min_per_group.
	LowSample bool   `json:"low_sample"`
	Notes     string `json:"notes,omitempty"`
}

// NPSGroup is one group's NPS with its breakdown.
type NPSGroup struct {
	N          int64          `json:"n"`
	NPS        float64        `json:"nps"`
	CI         stats.Interval `json:"ci"`
	Promoters  float64        `json:"promoters"`
	Passives   float64        `json:"passives"`
	Detractors float64        `json:"detractors"`
}

// NPSMetric is an NPS question: per group, and the difference.
type NPSMetric struct {
	Question string          `json:"question"`
	Type     string          `json:"type"` // "nps"
	Control  *NPSGroup       `json:"control,omitempty"`
	Exposed  *NPSGroup       `json:"exposed,omitempty"`
	All      *NPSGroup       `json:"all,omitempty"`
	Diff     *float64        `json:"diff,omitempty"`
	DiffCI   *stats.Interval `json:"diff_ci,omitempty"`
	PValue   *float64        `json:"p_value,omitempty"`
	Norms    *NormPosition   `json:"norms,omitempty"`
	Test
	// Reasons says, by field path (exposed.ci, diff_ci), why an interval
	// has no width or a test is undefined.
	Reasons map[string]string `json:"reasons,omitempty"`
}

// Test is the verdict on a comparison of exposed with control: its
// q-value, whether it is significant under the report's rule and by which
// test, the always-valid sequential reading, and the low-sample caveat.
// One-population (nps) studies have no comparison; the fields are absent.
type Test struct {
	QValue        *float64 `json:"q_value,omitempty"`
	Significant   *bool    `json:"significant,omitempty"`
	SignificantBy string   `json:"significant_by,omitempty"`
	// PValueAdjusted and Adjustment: as in LiftMetric, for cells.
	PValueAdjusted *float64          `json:"p_value_adjusted,omitempty"`
	Adjustment     string            `json:"adjustment,omitempty"`
	Sequential     *stats.Sequential `json:"sequential,omitempty"`
	LowSample      bool              `json:"low_sample"`
	Notes          string            `json:"notes,omitempty"`
}

// RatingGroup is one group's ratings.
type RatingGroup struct {
	N         int64          `json:"n"`
	Mean      float64        `json:"mean"`
	MeanCI    stats.Interval `json:"mean_ci"`
	SD        float64        `json:"sd"`
	Top2Box   float64        `json:"top2box"`
	Top2BoxCI stats.Interval `json:"top2box_ci"`
	Levels    []int64        `json:"levels"` // answers per level 1..scale
}

// RatingMetric is a rating (CSAT) question: per group, and Welch's test.
type RatingMetric struct {
	Question   string          `json:"question"`
	Type       string          `json:"type"` // "rating"
	Scale      int             `json:"scale"`
	Control    *RatingGroup    `json:"control,omitempty"`
	Exposed    *RatingGroup    `json:"exposed,omitempty"`
	All        *RatingGroup    `json:"all,omitempty"`
	MeanDiff   *float64        `json:"mean_diff,omitempty"`
	MeanDiffCI *stats.Interval `json:"mean_diff_ci,omitempty"`
	PValue     *float64        `json:"p_value,omitempty"`
	Test
	// Reasons says, by field path (exposed.mean_ci, mean_diff_ci), why an
	// interval has no width or a test is undefined.
	Reasons map[string]string `json:"reasons,omitempty"`
}

// TextMetric is a text question: how many answered, and the latest answers.
type TextMetric struct {
	Question string                 `json:"question"`
	Type     string                 `json:"type"` // "text"
	Answered map[survey.Group]int64 `json:"answered"`
	Latest   []TextAnswer           `json:"latest"`
}

// TextAnswer is one text answer, verbatim: clients must escape it when
// they render it (the dashboard does).
type TextAnswer struct {
	ResponseID  string       `json:"response_id"`
	Group       survey.Group `json:"group"`
	Cell        string       `json:"cell,omitempty"` // multi-cell studies: the exposed respondent's cell
	Wave        string       `json:"wave,omitempty"` // wave series
	Text        string       `json:"text"`
	CompletedAt time.Time    `json:"completed_at"`
	// Attrs are the respondent's attributes (plan, country...).
	Attrs map[string]string `json:"attrs"`
	// NPS is the respondent's score on the study's NPS question, and
	// Category its promoter, passive or detractor (absent without one).
	NPS      *int64 `json:"nps,omitempty"`
	Category string `json:"category,omitempty"`
}

// TextFilter narrows the text answers (the NPS tracker's comments).
type TextFilter struct {
	// Search keeps answers containing it, ignoring case.
	Search string
	// Category keeps respondents whose NPS answer is promoter (9-10),
	// passive (7-8) or detractor (0-6).
	Category string
	// Attrs keeps respondents with every one of these attribute values.
	Attrs map[string]string
	// From and To keep answers completed in [From, To).
	From, To *time.Time
}

// WithheldMetric stands in for a metric a group of which has no answer
// yet, so there is nothing to compute: the counts are shown with the
// reason.
type WithheldMetric struct {
	Question string                 `json:"question"`
	Option   string                 `json:"option,omitempty"`
	Type     string                 `json:"type"`
	Status   string                 `json:"status"` // "not_enough_data"
	N        map[survey.Group]int64 `json:"n"`
	Needed   int64                  `json:"min_per_group"` // 1: one answer per group is enough to compute
	Reason   string                 `json:"reason"`
}

// WeightInfo describes the raking behind a weighted report.
type WeightInfo struct {
	Method     string   `json:"method"` // "rake"
	Attributes []string `json:"attributes"`
	Target     string   `json:"target"` // "exposed" (control raked to exposed) or "margins"
	Converged  bool     `json:"converged"`
	Iterations int      `json:"iterations"`
	// EffectiveN is Kish's effective sample size per weighted group.
	EffectiveN map[survey.Group]float64 `json:"effective_n"`
	MaxWeight  float64                  `json:"max_weight"`
	Trimmed    int                      `json:"trimmed"`
	Notes      string                   `json:"notes,omitempty"`
}

// SegmentReport is the report's metrics within one level of a segment.
type SegmentReport struct {
	// Level names the level; crossed segments join their values with
	// " / " (25-34 / female), and Values gives them by attribute.
	Level  string            `json:"level"`
	Values map[string]string `json:"values,omitempty"`
	// Other lists the levels grouped into this "other" level.
	Other   []string    `json:"other,omitempty"`
	Notes   string      `json:"notes,omitempty"`
	Counts  GroupCounts `json:"counts"`
	Metrics []any       `json:"metrics"`
}

// FrequencyCurve is the lift of one metric by exposure frequency.
type FrequencyCurve struct {
	Question string           `json:"question"`
	Option   string           `json:"option,omitempty"`
	Control  GroupRate        `json:"control"`
	Buckets  []FrequencyPoint `json:"buckets"`
}

// FrequencyPoint is the exposed group at one frequency bucket against control.
type FrequencyPoint struct {
	Bucket    string         `json:"bucket"` // 1, 2, 3-4, 5+
	N         int64          `json:"n"`
	Rate      float64        `json:"rate"`
	AbsLift   float64        `json:"abs_lift"`
	AbsLiftCI stats.Interval `json:"abs_lift_ci"`
	PValue    float64        `json:"p_value"`
	Enough    bool           `json:"enough_data"`
}

// TargetReport is a SMART KPI target with its status.
type TargetReport struct {
	survey.Target
	Estimate  *float64        `json:"estimate"`
	CI        *stats.Interval `json:"ci"`
	ProbAbove *float64        `json:"prob_above"`
	// Status: achieved (the interval clears the target), on_track or
	// at_risk (by ProbAbove, while the deadline is ahead), missed (the
	// deadline passed without achieving it), or not_enough_data: the rule
	// of stats.CheckTarget.
	Status string `json:"status"`
	// Reason says why Estimate, CI and ProbAbove are null.
	Reason string `json:"reason,omitempty"`
}
