package survey

import "reflect"

// StudyInput is the body of a create or patch request. Every field is
// optional: on create, missing fields take their defaults; on patch, missing
// fields keep their current values. Questions, when present, replace the
// whole list.
type StudyInput struct {
	Name             *string          `json:"name"`
	Kind             *Kind            `json:"kind"`
	Brand            *string          `json:"brand"`
	Locales          *[]string        `json:"locales"`
	DefaultLocale    *string          `json:"default_locale"`
	Assignment       *Assignment      `json:"assignment"`
	ControlShare     *float64         `json:"control_share"`
	TargetPerGroup   *int64           `json:"target_per_group"`
	Confidence       *float64         `json:"confidence"`
	Reach            *int64           `json:"reach"`
	Spend            *float64         `json:"spend"`
	Currency         *string          `json:"currency"`
	Questions        *[]QuestionInput `json:"questions"`
	Consent          *Text            `json:"consent"`
	AutoClose        *bool            `json:"auto_close"`
	Targets          *[]Target        `json:"targets"`
	Weighting        *Weighting       `json:"weighting"`
	FrameAncestors   *[]string        `json:"frame_ancestors"`
	TargetLift       *float64         `json:"target_lift"`
	EndURL           *string          `json:"end_url"`
	MinPerGroup      *int64           `json:"min_per_group"`
	Significance     *string          `json:"significance"`
	Timezone         *string          `json:"timezone"`
	PlannedSplit     *bool            `json:"planned_split"`
	Cells            *[]CreativeCell  `json:"cells"`
	Waves            *[]Wave          `json:"waves"`
	Category         *string          `json:"category"`
	ExcludeFromNorms *bool            `json:"exclude_from_norms"`
	ThrottleDays     *int             `json:"throttle_days"`
	ThrottleScope    *string          `json:"throttle_scope"`
	WidgetOrigins    *[]string        `json:"widget_origins"`
	ReminderDays     *int             `json:"reminder_days"`
	EmailPerMinute   *int             `json:"email_per_minute"`
}

// QuestionInput is a question as written by a study's owner.
type QuestionInput struct {
	Key       string       `json:"key"`
	Type      QuestionType `json:"type"`
	Metric    Metric       `json:"metric"`
	Text      Text         `json:"text"`
	Required  *bool        `json:"required"` // default true
	Randomize bool         `json:"randomize"`
	Scale     *int         `json:"scale"` // rating only; default 5
	Attention string       `json:"attention"`
	Options   []Option     `json:"options"`
}

// DefaultSpec is what a new study starts from before its input is applied.
func DefaultSpec() Spec {
	return Spec{
		Kind:         KindBrandLift,
		Locales:      []string{"ru"},
		Assignment:   AssignSignedLink,
		ControlShare: 0.5,
		Confidence:   0.9,
	}
}

// Apply writes the fields present in in onto s.
func (in *StudyInput) Apply(s *Spec) {
	set(&s.Name, in.Name)
	set(&s.Kind, in.Kind)
	set(&s.Brand, in.Brand)
	if in.Locales != nil {
		s.Locales = *in.Locales
		if in.DefaultLocale == nil && !contains(s.Locales, s.DefaultLocale) {
			s.DefaultLocale = "" // re-derived below from the new list
		}
	}
	set(&s.DefaultLocale, in.DefaultLocale)
	if s.DefaultLocale == "" && len(s.Locales) > 0 {
		s.DefaultLocale = s.Locales[0]
	}
	set(&s.Assignment, in.Assignment)
	set(&s.ControlShare, in.ControlShare)
	set(&s.TargetPerGroup, in.TargetPerGroup)
	set(&s.Confidence, in.Confidence)
	set(&s.Reach, in.Reach)
	set(&s.Spend, in.Spend)
	set(&s.Currency, in.Currency)
	if in.Questions != nil {
		s.Questions = make([]Question, len(*in.Questions))
		for i, q := range *in.Questions {
			s.Questions[i] = q.question()
		}
	}
	set(&s.Consent, in.Consent)
	set(&s.AutoClose, in.AutoClose)
	set(&s.Targets, in.Targets)
	if in.Weighting != nil {
		s.Weighting = in.Weighting
	}
	set(&s.FrameAncestors, in.FrameAncestors)
	set(&s.TargetLift, in.TargetLift)
	set(&s.EndURL, in.EndURL)
	set(&s.MinPerGroup, in.MinPerGroup)
	set(&s.Significance, in.Significance)
	set(&s.Timezone, in.Timezone)
	// A signed-link study that states its control_share declares the
	// split its links follow, unless it says otherwise.
	if in.ControlShare != nil && s.Assignment == AssignSignedLink {
		s.PlannedSplit = true
	}
	set(&s.PlannedSplit, in.PlannedSplit)
	set(&s.Cells, in.Cells)
	set(&s.Waves, in.Waves)
	set(&s.Category, in.Category)
	set(&s.ExcludeFromNorms, in.ExcludeFromNorms)
	set(&s.ThrottleDays, in.ThrottleDays)
	set(&s.ThrottleScope, in.ThrottleScope)
	set(&s.WidgetOrigins, in.WidgetOrigins)
	set(&s.ReminderDays, in.ReminderDays)
	set(&s.EmailPerMinute, in.EmailPerMinute)
}

// FrozenChanges lists the JSON names of the fields that differ between old
// and updated and may not change once a study has been live: they decide who
// is asked what and how groups are formed, so changing them mid-flight would
// mix two different studies in one report.
func FrozenChanges(old, updated *Spec) []string {
	var fields []string
	if !reflect.DeepEqual(old.Questions, updated.Questions) {
		fields = append(fields, "questions")
	}
	if old.Kind != updated.Kind {
		fields = append(fields, "kind")
	}
	if old.Assignment != updated.Assignment {
		fields = append(fields, "assignment")
	}
	if old.ControlShare != updated.ControlShare {
		fields = append(fields, "control_share")
	}
	if !reflect.DeepEqual(old.Locales, updated.Locales) {
		fields = append(fields, "locales")
	}
	if old.Location().String() != updated.Location().String() {
		fields = append(fields, "timezone") // the daily counts are kept per local day
	}
	return append(fields, designFrozen(old, updated)...)
}

func (q QuestionInput) question() Question {
	out := Question{
		Key: q.Key, Type: q.Type, Metric: q.Metric, Text: q.Text,
		Required: true, Randomize: q.Randomize, Attention: q.Attention, Options: q.Options,
	}
	if q.Required != nil {
		out.Required = *q.Required
	}
	switch {
	case q.Scale != nil:
		out.Scale = *q.Scale
	case q.Type == Rating:
		out.Scale = 5
	}
	return out
}

func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
