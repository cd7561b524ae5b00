package survey

import "time"

// Kind says what a study measures.
type Kind string

// Study kinds.
const (
	KindBrandLift Kind = "brand_lift" // exposed vs control groups
	KindNPS       Kind = "nps"        // one population tracked over time
)

// Status is a study's place in its lifecycle: draft -> live <-> paused -> closed.
type Status string

// Study statuses.
const (
	StatusDraft  Status = "draft"
	StatusLive   Status = "live"
	StatusPaused Status = "paused"
	StatusClosed Status = "closed"
)

// Assignment says how a respondent's group is decided.
type Assignment string

// Assignment modes (see DESIGN.md, "Groups and assignment").
const (
	AssignSignedLink Assignment = "signed_link" // group inside the signed token
	AssignHoldout    Assignment = "holdout"     // keyed hash of the rid against control_share
	AssignExposure   Assignment = "exposure"    // recorded impressions decide
)

// Group is the side of the experiment a respondent is on.
type Group string

// Groups. An nps study has one population, GroupAll.
const (
	GroupExposed Group = "exposed"
	GroupControl Group = "control"
	GroupAll     Group = "all"
)

// Text is a piece of text per locale, for example {"ru": "Да", "en": "Yes"}.
type Text map[string]string

// Study is a brand-lift or NPS study as the API shows it.
type Study struct {
	ID        string `json:"id"`
	PublicKey string `json:"public_key"`
	Secret    string `json:"secret,omitempty"` // base64url; hidden from analysts
	// AssignmentKey keys the holdout hash (see docs/INTEGRATION.md); it
	// starts equal to the first secret and never changes.
	AssignmentKey string     `json:"assignment_key,omitempty"`
	Status        Status     `json:"status"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
	LaunchedAt    *time.Time `json:"launched_at"`
	ClosedAt      *time.Time `json:"closed_at"`
	// ConsentVersion numbers the current consent text (see
	// ConsentVersion); 0 when the study asks for no consent.
	ConsentVersion int `json:"consent_version,omitempty"`
	Spec

	keys SigningKeys
}

// SigningKeys are a study's secrets in raw form. The fields are unexported
// so that no encoder can put them in a response by accident; the store
// builds the value with NewSigningKeys and gives it to a study with
// SetKeys.
type SigningKeys struct {
	secret        []byte
	previous      []byte     // the secret before the last rotation
	previousUntil *time.Time // tokens signed with previous verify until then
	assignment    []byte
}

// NewSigningKeys holds a study's current secret, the previous one with the
// end of its grace period (nil when there is none), and the assignment key.
func NewSigningKeys(secret, previous []byte, previousUntil *time.Time, assignment []byte) SigningKeys {
	return SigningKeys{secret: secret, previous: previous, previousUntil: previousUntil, assignment: assignment}
}

// SetKeys gives the study its signing keys.
func (st *Study) SetKeys(k SigningKeys) { st.keys = k }

// Spec is everything about a study that its owner writes.
type Spec struct {
	Name           string     `json:"name"`
	Kind           Kind       `json:"kind"`
	Brand          string     `json:"brand"`
	Locales        []string   `json:"locales"`
	DefaultLocale  string     `json:"default_locale"`
	Assignment     Assignment `json:"assignment"`
	ControlShare   float64    `json:"control_share"`
	TargetPerGroup int64      `json:"target_per_group"`
	Confidence     float64    `json:"confidence"`
	Reach          int64      `json:"reach"`
	Spend          float64    `json:"spend"`
	Currency       string     `json:"currency"`
	Questions      []Question `json:"questions"`
	Settings
}

// Settings are the optional parts of a study, stored together as JSON so
// that adding one needs no schema change.
type Settings struct {
	// Consent is the personal-data consent text per locale; when set, the
	// survey asks for consent as a separate step (152-FZ).
	Consent Text `json:"consent,omitempty"`
	// AutoClose closes the study once every group has reached its target.
	AutoClose bool `json:"auto_close,omitempty"`
	// Targets are SMART KPI targets the report checks.
	Targets []Target `json:"targets,omitempty"`
	// Weighting names the attributes used to rake control to exposed, and
	// optional target margins.
	Weighting *Weighting `json:"weighting,omitempty"`
	// TargetLift is the absolute lift the study wants to be able to detect
	// (default DefaultTargetLift): the report says how many more responses
	// per group that needs.
	TargetLift float64 `json:"target_lift,omitempty"`
	// FrameAncestors lists origins allowed to embed the survey page.
	FrameAncestors []string `json:"frame_ancestors,omitempty"`
	// EndURL is where the thank-you page sends a respondent on (the
	// marketer's site), with the respondent's language added as lang.
	EndURL string `json:"end_url,omitempty"`
	// MinPerGroup is how many responses each group needs before a
	// metric's numbers stop being marked low_sample (default 50). The
	// numbers are always shown.
	MinPerGroup int64 `json:"min_per_group,omitempty"`
	// Significance is fixed (default) or sequential: which p-value makes
	// a metric significant.
	Significance string `json:"significance,omitempty"`
	// Timezone is the IANA zone the trend's days, weeks and months are
	// counted in (default UTC). It is fixed once the study is live.
	Timezone string `json:"timezone,omitempty"`
	// PlannedSplit says that a signed-link study's control_share is the
	// split its links were planned with, so the report checks the groups'
	// sizes against it (holdout studies are always checked).
	PlannedSplit bool `json:"planned_split,omitempty"`
	// Design holds cells, waves and the norms settings.
	Design
	// Program holds an nps program's throttling, widget and email settings.
	Program
}

// DefaultTargetLift is the detectable lift a study plans for: 2 points.
const DefaultTargetLift = 0.02

// PlannedLift is the study's target lift or the default.
func (s *Spec) PlannedLift() float64 {
	if s.TargetLift > 0 {
		return s.TargetLift
	}
	return DefaultTargetLift
}

// Target is a SMART KPI target: a measure of one question to reach by a deadline.
type Target struct {
	Question string    `json:"question"`
	Option   string    `json:"option,omitempty"` // multi-choice: which option's lift
	Measure  string    `json:"measure"`          // abs_lift, rel_lift, nps, top2box, mean
	Target   float64   `json:"target"`
	Deadline time.Time `json:"deadline"`
}

// Weighting configures raking.
type Weighting struct {
	Attributes []string                      `json:"attributes"`
	Margins    map[string]map[string]float64 `json:"margins,omitempty"`
}

// QuestionType is the kind of answer a question takes.
type QuestionType string

// Question types.
const (
	SingleChoice QuestionType = "single_choice"
	MultiChoice  QuestionType = "multi_choice"
	NPSQuestion  QuestionType = "nps"    // 0..10
	Rating       QuestionType = "rating" // 1..scale
	TextQuestion QuestionType = "text"
)

// Metric is the brand metric a choice question measures.
type Metric string

// Brand metrics.
const (
	AdRecall       Metric = "ad_recall"
	Awareness      Metric = "awareness"
	Consideration  Metric = "consideration"
	Favorability   Metric = "favorability"
	PurchaseIntent Metric = "purchase_intent"
	CustomMetric   Metric = "custom"
)

// Question is one question of a study, in display order.
type Question struct {
	Key       string       `json:"key"`
	Type      QuestionType `json:"type"`
	Metric    Metric       `json:"metric,omitempty"`
	Text      Text         `json:"text"`
	Required  bool         `json:"required"`
	Randomize bool         `json:"randomize"`
	Scale     int          `json:"scale,omitempty"`     // rating only
	Attention string       `json:"attention,omitempty"` // option key that must be chosen
	Options   []Option     `json:"options,omitempty"`
}

// Option is one answer of a choice question.
type Option struct {
	Key       string `json:"key"`
	Text      Text   `json:"text"`
	Positive  bool   `json:"positive,omitempty"`  // counts toward the lift metric
	Fixed     bool   `json:"fixed,omitempty"`     // keeps its place when options are shuffled
	Exclusive bool   `json:"exclusive,omitempty"` // multi-choice: "none of these"
}

// IsChoice reports whether the question offers options.
func (q *Question) IsChoice() bool { return q.Type == SingleChoice || q.Type == MultiChoice }

// Option returns the option with the given key, or nil.
func (q *Question) Option(key string) *Option {
	for i := range q.Options {
		if q.Options[i].Key == key {
			return &q.Options[i]
		}
	}
	return nil
}

// Question returns the question with the given key, or nil.
func (s *Spec) Question(key string) *Question {
	for i := range s.Questions {
		if s.Questions[i].Key == key {
			return &s.Questions[i]
		}
	}
	return nil
}

// HasGroups reports whether the study compares exposed with control.
func (s *Spec) HasGroups() bool { return s.Kind == KindBrandLift }

// Locale picks the response's language: what the client says, else the
// token's, else the study's default.
func (st *Study) Locale(requested, fromToken string) string {
	for _, l := range []string{requested, fromToken} {
		if l != "" && contains(st.Locales, l) {
			return l
		}
	}
	return st.DefaultLocale
}
