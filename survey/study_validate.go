package survey

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
)

// SupportedLocales are the languages the respondent page and dashboard speak.
var SupportedLocales = []string{"ru", "en"}

// Confidences are the confidence levels a report may use.
var Confidences = []float64{0.8, 0.9, 0.95}

// MaxNameLength is the longest study name, in characters.
const MaxNameLength = 200

// keyPattern is the shape of question and option keys: they become column
// names in exports and keys in answers, so they stay short and plain.
var keyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

var (
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	originPattern   = regexp.MustCompile(`^https?://[a-zA-Z0-9.*-]+(:[0-9]+)?$`)
)

var targetMeasures = []string{"abs_lift", "rel_lift", "nps", "top2box", "mean"}

// Validate checks a whole study spec and returns a *ValidationError listing
// every problem by JSON path, or nil.
func (s *Spec) Validate() error {
	v := &ValidationError{}
	name := strings.TrimSpace(s.Name)
	switch {
	case name == "":
		v.Add("name", "must not be empty")
	case TextProblem(s.Name) != "":
		v.checkText("name", s.Name)
	default:
		v.checkLength("name", name, MaxNameLength)
	}
	v.checkText("brand", s.Brand)
	v.checkLength("brand", s.Brand, MaxBrandLength)
	if s.Kind != KindBrandLift && s.Kind != KindNPS {
		v.Add("kind", "unknown kind %q; valid: brand_lift, nps", s.Kind)
	}
	s.validateLocales(v)
	switch s.Assignment {
	case AssignSignedLink, AssignHoldout, AssignExposure:
	default:
		v.Add("assignment", "unknown assignment %q; valid: signed_link, holdout, exposure", s.Assignment)
	}
	if !(s.ControlShare > 0 && s.ControlShare < 1) {
		v.Add("control_share", "must be strictly between 0 and 1, got %v", s.ControlShare)
	}
	if !contains(Confidences, s.Confidence) {
		v.Add("confidence", "must be one of 0.8, 0.9, 0.95, got %v", s.Confidence)
	}
	if s.TargetPerGroup < 0 {
		v.Add("target_per_group", "must not be negative")
	}
	if s.TargetLift < 0 || s.TargetLift >= 1 {
		v.Add("target_lift", "must be an absolute lift between 0 and 1 (0.02 = 2 points), got %v", s.TargetLift)
	}
	if s.Reach < 0 {
		v.Add("reach", "must not be negative")
	}
	if s.Spend < 0 {
		v.Add("spend", "must not be negative")
	}
	if s.Currency != "" && !currencyPattern.MatchString(s.Currency) {
		v.Add("currency", "must be a three-letter ISO 4217 code such as RUB, got %q", s.Currency)
	}
	s.validateQuestions(v)
	s.validateSettings(v)
	return v.Err()
}

func (s *Spec) validateLocales(v *ValidationError) {
	if len(s.Locales) == 0 {
		v.Add("locales", "must list at least one locale; supported: %s", strings.Join(SupportedLocales, ", "))
	}
	seen := map[string]bool{}
	for i, l := range s.Locales {
		path := fmt.Sprintf("locales[%d]", i)
		if !contains(SupportedLocales, l) {
			v.Add(path, "unsupported locale %q; supported: %s", l, strings.Join(SupportedLocales, ", "))
		}
		if seen[l] {
			v.Add(path, "duplicate locale %q", l)
		}
		seen[l] = true
	}
	if len(s.Locales) > 0 && !contains(s.Locales, s.DefaultLocale) {
		v.Add("default_locale", "must be one of the study's locales, got %q", s.DefaultLocale)
	}
}

// validateText requires a non-empty text of at most max characters for
// every declared locale and rejects texts in undeclared ones.
func (s *Spec) validateText(v *ValidationError, path string, t Text, max int) {
	for _, l := range s.Locales {
		if !contains(SupportedLocales, l) {
			continue // reported once, on locales
		}
		if strings.TrimSpace(t[l]) == "" {
			v.Add(path+"."+l, "text is missing for declared locale %q", l)
		}
	}
	for l, text := range t {
		if !contains(s.Locales, l) {
			v.Add(path+"."+l, "locale %q is not declared in locales", l)
			continue
		}
		v.checkMultiline(path+"."+l, text)
		v.checkLength(path+"."+l, text, max)
	}
}

func (s *Spec) validateQuestions(v *ValidationError) {
	switch {
	case len(s.Questions) == 0:
		v.Add("questions", "a study needs at least one question")
	case len(s.Questions) > MaxQuestions:
		v.Add("questions", "a study has at most %d questions, got %d", MaxQuestions, len(s.Questions))
		return
	}
	seen := map[string]bool{}
	for i := range s.Questions {
		q := &s.Questions[i]
		path := fmt.Sprintf("questions[%d]", i)
		if !keyPattern.MatchString(q.Key) {
			v.Add(path+".key", "must match %s, got %q", keyPattern, q.Key)
		} else if seen[q.Key] {
			v.Add(path+".key", "duplicate question key %q", q.Key)
		}
		seen[q.Key] = true
		s.validateText(v, path+".text", q.Text, MaxQuestionText)
		s.validateQuestion(v, path, q)
	}
}

func (s *Spec) validateQuestion(v *ValidationError, path string, q *Question) {
	switch q.Type {
	case SingleChoice, MultiChoice, NPSQuestion, Rating, TextQuestion:
	default:
		v.Add(path+".type", "unknown question type %q; valid: single_choice, multi_choice, nps, rating, text", q.Type)
		return
	}
	if q.Type == Rating {
		if q.Scale < 2 || q.Scale > 11 {
			v.Add(path+".scale", "rating scale must be between 2 and 11, got %d", q.Scale)
		}
	} else if q.Scale != 0 {
		v.Add(path+".scale", "only rating questions have a scale")
	}
	if !q.IsChoice() {
		if len(q.Options) > 0 {
			v.Add(path+".options", "only choice questions have options")
		}
		if q.Metric != "" {
			v.Add(path+".metric", "only choice questions have a metric")
		}
		if q.Attention != "" {
			v.Add(path+".attention", "only choice questions have an attention option")
		}
		return
	}
	switch q.Metric {
	case "", AdRecall, Awareness, Consideration, Favorability, PurchaseIntent, CustomMetric:
	default:
		v.Add(path+".metric", "unknown metric %q; valid: ad_recall, awareness, consideration, favorability, purchase_intent, custom", q.Metric)
	}
	switch {
	case len(q.Options) < 2:
		v.Add(path+".options", "a choice question needs at least two options")
	case len(q.Options) > MaxOptions:
		v.Add(path+".options", "a question has at most %d options, got %d", MaxOptions, len(q.Options))
		return
	}
	s.validateOptions(v, path, q)
}

func (s *Spec) validateOptions(v *ValidationError, path string, q *Question) {
	seen := map[string]bool{}
	positives := 0
	for j, o := range q.Options {
		op := fmt.Sprintf("%s.options[%d]", path, j)
		if !keyPattern.MatchString(o.Key) {
			v.Add(op+".key", "must match %s, got %q", keyPattern, o.Key)
		} else if seen[o.Key] {
			v.Add(op+".key", "duplicate option key %q", o.Key)
		}
		seen[o.Key] = true
		s.validateText(v, op+".text", o.Text, MaxOptionText)
		if o.Positive {
			positives++
		}
		if o.Exclusive && q.Type != MultiChoice {
			v.Add(op+".exclusive", "only multi_choice options can be exclusive")
		}
		if o.Exclusive && o.Positive {
			v.Add(op+".exclusive", "an exclusive option (\"none of these\") cannot be positive")
		}
	}
	if q.Metric != "" && positives == 0 && len(q.Options) > 0 {
		v.Add(path+".options", "a question with metric %q needs at least one option marked positive", q.Metric)
	}
	if q.Attention != "" {
		if !seen[q.Attention] {
			v.Add(path+".attention", "names option %q, which the question does not have", q.Attention)
		}
		if q.Metric != "" {
			v.Add(path+".attention", "an attention check cannot also be a lift metric")
		}
	}
}

func (s *Spec) validateSettings(v *ValidationError) {
	if s.Consent != nil {
		s.validateText(v, "consent", s.Consent, MaxConsentText)
	}
	if len(s.Targets) > MaxTargets {
		v.Add("targets", "a study has at most %d targets, got %d", MaxTargets, len(s.Targets))
	}
	for i, t := range s.Targets[:min(len(s.Targets), MaxTargets)] {
		path := fmt.Sprintf("targets[%d]", i)
		q := s.Question(t.Question)
		if q == nil {
			v.Add(path+".question", "no question with key %q", t.Question)
		}
		if !contains(targetMeasures, t.Measure) {
			v.Add(path+".measure", "unknown measure %q; valid: %s", t.Measure, strings.Join(targetMeasures, ", "))
		} else if q != nil && !measureFits(t.Measure, q) {
			v.Add(path+".measure", "measure %q does not apply to a %s question", t.Measure, q.Type)
		} else if strings.HasSuffix(t.Measure, "_lift") && !s.HasGroups() {
			v.Add(path+".measure", "a lift needs exposed and control groups; an nps study has one population")
		}
		if t.Option != "" && (q == nil || q.Option(t.Option) == nil) {
			v.Add(path+".option", "question %q has no option %q", t.Question, t.Option)
		}
		if t.Deadline.IsZero() {
			v.Add(path+".deadline", "a target needs a deadline (RFC 3339 time)")
		}
	}
	s.validateWeighting(v)
	s.validateAnalysis(v)
	s.validateDesign(v)
	s.validateProgram(v)
	if len(s.FrameAncestors) > MaxFrameAncestors {
		v.Add("frame_ancestors", "at most %d origins, got %d", MaxFrameAncestors, len(s.FrameAncestors))
	}
	if s.EndURL != "" {
		s.validateEndURL(v)
	}
	for i, origin := range s.FrameAncestors {
		if !originPattern.MatchString(origin) {
			v.Add(fmt.Sprintf("frame_ancestors[%d]", i), "must be an origin such as https://example.com, got %q", origin)
		}
	}
}

// measureFits reports whether a KPI measure can be computed for a question.
func measureFits(measure string, q *Question) bool {
	switch measure {
	case "abs_lift", "rel_lift":
		return q.IsChoice() && q.Metric != ""
	case "nps":
		return q.Type == NPSQuestion
	default: // top2box, mean
		return q.Type == Rating
	}
}

// validateWeighting checks the raking attributes (segment attribute names,
// as in tokens) and their target margins.
func (s *Spec) validateWeighting(v *ValidationError) {
	w := s.Weighting
	if w == nil {
		return
	}
	switch {
	case len(w.Attributes) == 0:
		v.Add("weighting.attributes", "must name at least one attribute")
	case len(w.Attributes) > MaxWeightAttrs:
		v.Add("weighting.attributes", "at most %d attributes, got %d", MaxWeightAttrs, len(w.Attributes))
	}
	for i, attr := range w.Attributes {
		if !attrKeyPattern.MatchString(attr) {
			v.Add(fmt.Sprintf("weighting.attributes[%d]", i), "attribute names must match %s, got %q", attrKeyPattern, attr)
		}
	}
	for attr, margin := range w.Margins {
		path := "weighting.margins." + attr
		if !contains(w.Attributes, attr) {
			v.Add(path, "margin for an attribute not listed in weighting.attributes")
		}
		if len(margin) > MaxMarginLevels {
			v.Add(path, "at most %d levels, got %d", MaxMarginLevels, len(margin))
			continue
		}
		sum := 0.0
		for level, share := range margin {
			v.checkText(path+"."+level, level)
			v.checkLength(path+"."+level, level, MaxAttrValue)
			if share <= 0 {
				v.Add(path+"."+level, "share must be positive")
			}
			sum += share
		}
		if sum < 0.999 || sum > 1.001 {
			v.Add(path, "shares must sum to 1, got %.4f", sum)
		}
	}
}

// MaxEndURL is the longest end_url, in bytes.
const MaxEndURL = 2000

// validateEndURL accepts an absolute http or https URL with a host: the
// thank-you page links to it, so nothing else (javascript:, data:) may
// reach a respondent's click.
func (s *Spec) validateEndURL(v *ValidationError) {
	if msg := TextProblem(s.EndURL); msg != "" {
		v.Add("end_url", "%s", msg)
		return
	}
	u, err := url.Parse(s.EndURL)
	switch {
	case len(s.EndURL) > MaxEndURL:
		v.Add("end_url", "must be at most %d bytes", MaxEndURL)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil:
		v.Add("end_url", "must be an http or https URL such as https://acme.example/thanks, got %q", s.EndURL)
	}
}
