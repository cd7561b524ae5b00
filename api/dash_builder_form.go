package api

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
)

// builderForm is the study builder's form as the marketer typed it. Every
// value stays a string so that a re-rendered form shows exactly what was
// sent, "abc" in a number field included; toInput turns it into a
// survey.StudyInput for the store, which alone decides what is valid.
type builderForm struct {
	Name, Kind, Brand                       string
	Locales                                 []string // ticked
	DefaultLocale, Assignment, ControlShare string
	TargetPerGroup, Confidence              string
	AutoClose                               bool
	Reach, Spend, Currency, TargetLift      string
	WeightAttrs, WeightMargins              string
	// The analysis settings: min_per_group, significance (fixed or
	// sequential), timezone (IANA) and planned_split (signed links).
	MinPerGroup, Significance, Timezone string
	PlannedSplit                        bool
	FrameAncestors, EndURL              string
	Consent                             map[string]string
	Targets                             []targetForm
	Questions                           []questionForm
	// designForm is the study design: cells, waves, norms (dash_builder_design.go).
	designForm
}

// targetForm is one KPI target row.
type targetForm struct {
	Question, Option, Measure, Target, Deadline string
}

// questionForm is one question of the form.
type questionForm struct {
	Key, Type, Metric string
	Text              map[string]string
	Required          bool
	Randomize         bool
	Scale, Attention  string
	Options           []optionForm
}

// optionForm is one answer option of a choice question.
type optionForm struct {
	Key                        string
	Text                       map[string]string
	Positive, Fixed, Exclusive bool
}

// IsChoice reports whether the question offers options (the template
// shows the options and the metric only then).
func (q questionForm) IsChoice() bool {
	return q.Type == string(survey.SingleChoice) || q.Type == string(survey.MultiChoice)
}

// HasLocale reports whether language l is ticked.
func (f builderForm) HasLocale(l string) bool { return slices.Contains(f.Locales, l) }

// newForm is the form of a new study: the store's defaults, both
// languages offered, Russian ticked.
func newForm(lang string) builderForm {
	d := survey.DefaultSpec()
	return builderForm{
		Kind: string(d.Kind), Locales: []string{"ru"}, DefaultLocale: "ru",
		Assignment: string(d.Assignment), ControlShare: formFloat(lang, d.ControlShare),
		Confidence: formFloat("en", d.Confidence), Currency: "RUB", Consent: map[string]string{},
		Significance: survey.SignificanceFixed,
	}
}

// formOf is the form of a stored study.
func formOf(lang string, st *survey.Study) builderForm {
	f := builderForm{
		Name: st.Name, Kind: string(st.Kind), Brand: st.Brand,
		Locales: append([]string(nil), st.Locales...), DefaultLocale: st.DefaultLocale,
		Assignment: string(st.Assignment), ControlShare: formFloat(lang, st.ControlShare),
		Confidence: formFloat("en", st.Confidence), AutoClose: st.AutoClose,
		Currency: st.Currency, EndURL: st.EndURL, Consent: map[string]string{},
		FrameAncestors: strings.Join(st.FrameAncestors, "\n"),
		Significance:   st.SignificanceRule(), Timezone: st.Timezone, PlannedSplit: st.PlannedSplit,
	}
	if st.MinPerGroup > 0 {
		f.MinPerGroup = strconv.FormatInt(st.MinPerGroup, 10)
	}
	if st.TargetPerGroup > 0 {
		f.TargetPerGroup = strconv.FormatInt(st.TargetPerGroup, 10)
	}
	if st.Reach > 0 {
		f.Reach = strconv.FormatInt(st.Reach, 10)
	}
	if st.Spend > 0 {
		f.Spend = formFloat(lang, st.Spend)
	}
	if st.TargetLift > 0 {
		f.TargetLift = formFloat(lang, st.TargetLift)
	}
	for l, t := range st.Consent {
		f.Consent[l] = t
	}
	if w := st.Weighting; w != nil {
		f.WeightAttrs = strings.Join(w.Attributes, ", ")
		var lines []string
		for _, attr := range sortedMapKeys(w.Margins) {
			for _, level := range sortedMapKeys(w.Margins[attr]) {
				lines = append(lines, attr+"="+level+":"+formFloat(lang, w.Margins[attr][level]))
			}
		}
		f.WeightMargins = strings.Join(lines, "\n")
	}
	for _, t := range st.Targets {
		f.Targets = append(f.Targets, targetForm{Question: t.Question, Option: t.Option, Measure: t.Measure,
			Target: formFloat(lang, t.Target), Deadline: t.Deadline.UTC().Format(time.DateOnly)})
	}
	for _, q := range st.Questions {
		f.Questions = append(f.Questions, questionFormOf(q))
	}
	f.designForm = designFormOf(lang, st)
	return f
}

func questionFormOf(q survey.Question) questionForm {
	qf := questionForm{Key: q.Key, Type: string(q.Type), Metric: string(q.Metric), Text: copyText(q.Text),
		Required: q.Required, Randomize: q.Randomize, Attention: q.Attention}
	if q.Scale > 0 {
		qf.Scale = strconv.Itoa(q.Scale)
	}
	for _, o := range q.Options {
		qf.Options = append(qf.Options, optionForm{Key: o.Key, Text: copyText(o.Text),
			Positive: o.Positive, Fixed: o.Fixed, Exclusive: o.Exclusive})
	}
	return qf
}

// parseForm reads the posted builder form. Field names: name, kind, ...;
// t.N.question for targets; q.N.key, q.N.text.ru, q.N.opt.M.text.en for
// questions and options. Rows are read in index order, gaps skipped.
func parseForm(v url.Values) builderForm {
	f := builderForm{
		Name: v.Get("name"), Kind: v.Get("kind"), Brand: v.Get("brand"),
		Locales: v["locales"], DefaultLocale: v.Get("default_locale"), Assignment: v.Get("assignment"),
		ControlShare: v.Get("control_share"), TargetPerGroup: v.Get("target_per_group"),
		Confidence: v.Get("confidence"), AutoClose: v.Get("auto_close") != "",
		Reach: v.Get("reach"), Spend: v.Get("spend"), Currency: v.Get("currency"), TargetLift: v.Get("target_lift"),
		WeightAttrs: v.Get("weighting_attributes"), WeightMargins: v.Get("weighting_margins"),
		FrameAncestors: v.Get("frame_ancestors"), EndURL: v.Get("end_url"), Consent: textOf(v, "consent."),
		MinPerGroup: v.Get("min_per_group"), Significance: v.Get("significance"), Timezone: v.Get("timezone"),
		PlannedSplit: v.Get("planned_split") != "", designForm: parseDesign(v),
	}
	for _, i := range indexes(v, "t.", ".measure") {
		p := fmt.Sprintf("t.%d.", i)
		f.Targets = append(f.Targets, targetForm{Question: v.Get(p + "question"), Option: v.Get(p + "option"),
			Measure: v.Get(p + "measure"), Target: v.Get(p + "target"), Deadline: v.Get(p + "deadline")})
	}
	for _, i := range indexes(v, "q.", ".type") {
		p := fmt.Sprintf("q.%d.", i)
		q := questionForm{Key: v.Get(p + "key"), Type: v.Get(p + "type"), Metric: v.Get(p + "metric"),
			Text: textOf(v, p+"text."), Required: v.Get(p+"required") != "", Randomize: v.Get(p+"randomize") != "",
			Scale: v.Get(p + "scale"), Attention: v.Get(p + "attention")}
		for _, j := range indexes(v, p+"opt.", ".key") {
			op := fmt.Sprintf("%sopt.%d.", p, j)
			q.Options = append(q.Options, optionForm{Key: v.Get(op + "key"), Text: textOf(v, op+"text."),
				Positive: v.Get(op+"positive") != "", Fixed: v.Get(op+"fixed") != "", Exclusive: v.Get(op+"exclusive") != ""})
		}
		f.Questions = append(f.Questions, q)
	}
	return f
}

// indexes finds the N of every field named prefix+N+suffix, in order.
// Rows are bounded by the store's own limits, so a form cannot make the
// server build more rows than a study may have.
func indexes(v url.Values, prefix, suffix string) []int {
	var out []int
	for name := range v {
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok {
			continue
		}
		n, ok := strings.CutSuffix(rest, suffix)
		if !ok {
			continue
		}
		i, err := strconv.Atoi(n)
		if err != nil || i < 0 || i > 10*survey.MaxQuestions*survey.MaxOptions {
			continue
		}
		out = append(out, i)
	}
	sort.Ints(out)
	if len(out) > max(survey.MaxQuestions, survey.MaxOptions, survey.MaxTargets)+1 {
		out = out[:max(survey.MaxQuestions, survey.MaxOptions, survey.MaxTargets)+1] // one over: the store reports it
	}
	return out
}

func textOf(v url.Values, prefix string) map[string]string {
	t := map[string]string{}
	for _, l := range survey.SupportedLocales {
		if s := v.Get(prefix + l); s != "" {
			t[l] = s
		}
	}
	return t
}

// toInput converts the form for the store. Texts are sent only for the
// ticked languages (the form keeps the others, so unticking a language
// loses nothing). Values that cannot be read are left out of the input
// and reported in bad by the JSON path the store would use. frozen leaves
// out the fields a study that has been live may not change: they are not
// on its form.
func (f *builderForm) toInput(lang string, frozen bool) (*survey.StudyInput, map[string]string) {
	bad := map[string]string{}
	in := &survey.StudyInput{Name: valuePtr(f.Name), Brand: valuePtr(strings.TrimSpace(f.Brand)),
		DefaultLocale: valuePtr(f.DefaultLocale), AutoClose: valuePtr(f.AutoClose),
		Currency: valuePtr(strings.ToUpper(strings.TrimSpace(f.Currency))), EndURL: valuePtr(strings.TrimSpace(f.EndURL))}
	if !frozen {
		in.Kind = valuePtr(survey.Kind(f.Kind))
		in.Assignment = valuePtr(survey.Assignment(f.Assignment))
		in.Locales = valuePtr(append([]string{}, f.Locales...))
		if x, ok := readFloat(f.ControlShare, bad, "control_share", lang); ok {
			in.ControlShare = valuePtr(x)
		}
	}
	if x, ok := readFloat(f.Confidence, bad, "confidence", lang); ok {
		in.Confidence = valuePtr(x)
	}
	if n, ok := readInt(f.TargetPerGroup, bad, "target_per_group", lang); ok {
		in.TargetPerGroup = valuePtr(n)
	}
	if n, ok := readInt(f.Reach, bad, "reach", lang); ok {
		in.Reach = valuePtr(n)
	}
	if x, ok := readFloat(f.Spend, bad, "spend", lang); ok {
		in.Spend = valuePtr(x)
	}
	if x, ok := readFloat(f.TargetLift, bad, "target_lift", lang); ok {
		in.TargetLift = valuePtr(x)
	}
	if n, ok := readInt(f.MinPerGroup, bad, "min_per_group", lang); ok {
		in.MinPerGroup = valuePtr(n) // 0: the default
	}
	if f.Significance != "" {
		in.Significance = valuePtr(f.Significance)
	}
	if !frozen { // the daily counts are kept per local day
		in.Timezone = valuePtr(strings.TrimSpace(f.Timezone))
	}
	// Always sent: the store would read a stated control_share as a
	// planned split otherwise, and the box says what the marketer means.
	in.PlannedSplit = valuePtr(f.PlannedSplit && f.Assignment == string(survey.AssignSignedLink))
	locales := f.Locales
	consent := f.declared(f.Consent, locales)
	if len(consent) == 0 {
		consent = nil // no consent step
	}
	in.Consent = &consent
	origins := splitList(f.FrameAncestors)
	in.FrameAncestors = &origins
	in.Weighting = f.weighting(lang, bad)
	f.designInput(lang, frozen, in, bad)
	targets := make([]survey.Target, 0, len(f.Targets))
	for i, t := range f.Targets {
		p := fmt.Sprintf("targets[%d].", i)
		out := survey.Target{Question: t.Question, Option: strings.TrimSpace(t.Option), Measure: t.Measure}
		if x, ok := readFloat(t.Target, bad, p+"target", lang); ok {
			out.Target = x
		}
		if d := strings.TrimSpace(t.Deadline); d != "" {
			day, err := time.Parse(time.DateOnly, d)
			if err != nil {
				bad[p+"deadline"] = frontend.T(lang, "bld_bad_date")
			} else {
				// The day's end in UTC: "by 31 May" includes 31 May.
				out.Deadline = day.Add(24*time.Hour - time.Second)
			}
		}
		targets = append(targets, out)
	}
	in.Targets = &targets
	if !frozen {
		qs := make([]survey.QuestionInput, len(f.Questions))
		for i, q := range f.Questions {
			qs[i] = f.question(lang, i, q, bad)
		}
		in.Questions = &qs
	}
	return in, bad
}

func (f *builderForm) question(lang string, i int, q questionForm, bad map[string]string) survey.QuestionInput {
	out := survey.QuestionInput{Key: strings.TrimSpace(q.Key), Type: survey.QuestionType(q.Type),
		Text: f.declared(q.Text, f.Locales), Required: valuePtr(q.Required), Randomize: q.Randomize}
	switch {
	case q.IsChoice():
		out.Metric = survey.Metric(q.Metric)
		out.Attention = q.Attention
		for _, o := range q.Options {
			out.Options = append(out.Options, survey.Option{Key: strings.TrimSpace(o.Key), Text: f.declared(o.Text, f.Locales),
				Positive: o.Positive, Fixed: o.Fixed, Exclusive: o.Exclusive})
		}
	case q.Type == string(survey.Rating):
		scale := q.Scale
		if strings.TrimSpace(scale) == "" {
			scale = "5"
		}
		if n, ok := readInt(scale, bad, fmt.Sprintf("questions[%d].scale", i), lang); ok {
			out.Scale = valuePtr(int(n))
		}
	}
	return out
}

// declared keeps the texts of the ticked languages.
func (f *builderForm) declared(t map[string]string, locales []string) survey.Text {
	out := survey.Text{}
	for _, l := range locales {
		if s, ok := t[l]; ok && s != "" {
			out[l] = s
		}
	}
	return out
}

// weighting reads "age, gender" and lines "age=18-24:0.3". Both empty
// means no weighting.
func (f *builderForm) weighting(lang string, bad map[string]string) *survey.Weighting {
	attrs := splitList(f.WeightAttrs)
	lines := strings.FieldsFunc(f.WeightMargins, func(r rune) bool { return r == '\n' || r == '\r' })
	if len(attrs) == 0 && strings.TrimSpace(f.WeightMargins) == "" {
		return nil
	}
	w := &survey.Weighting{Attributes: attrs}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		attr, rest, ok1 := strings.Cut(line, "=")
		i := strings.LastIndex(rest, ":")
		if !ok1 || i < 0 {
			bad["weighting.margins"] = fmt.Sprintf(frontend.T(lang, "bld_bad_margin"), line)
			continue
		}
		share, err := parseNumber(rest[i+1:])
		if err != nil {
			bad["weighting.margins"] = fmt.Sprintf(frontend.T(lang, "bld_bad_margin"), line)
			continue
		}
		attr, level := strings.TrimSpace(attr), strings.TrimSpace(rest[:i])
		if w.Margins == nil {
			w.Margins = map[string]map[string]float64{}
		}
		if w.Margins[attr] == nil {
			w.Margins[attr] = map[string]float64{}
		}
		w.Margins[attr][level] = share
	}
	return w
}

// readFloat reads an optional number ("" is 0), in either decimal mark.
func readFloat(s string, bad map[string]string, path, lang string) (float64, bool) {
	if strings.TrimSpace(s) == "" {
		return 0, true
	}
	x, err := parseNumber(s)
	if err != nil {
		bad[path] = frontend.T(lang, "bld_bad_number")
		return 0, false
	}
	return x, true
}

// readInt reads an optional whole number ("" is 0); spaces between
// thousands are allowed, as Russian writes 1 500 000.
func readInt(s string, bad map[string]string, path, lang string) (int64, bool) {
	s = strings.Map(dropSpace, s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		bad[path] = frontend.T(lang, "bld_bad_int")
		return 0, false
	}
	return n, true
}

func parseNumber(s string) (float64, error) {
	s = strings.ReplaceAll(strings.Map(dropSpace, s), ",", ".")
	x, err := strconv.ParseFloat(s, 64)
	if err == nil && (x != x || x > 1e15 || x < -1e15) { // NaN, Inf and absurd sizes
		err = strconv.ErrRange
	}
	return x, err
}

func dropSpace(r rune) rune {
	switch r {
	case ' ', '\u00a0', '\u202f', '\t':
		return -1
	}
	return r
}

// formFloat writes a number for a form field in the page's decimal mark.
func formFloat(lang string, x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	if lang == "ru" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// splitList splits on commas, semicolons, spaces and line breaks; never
// nil, so that an empty list is sent as [] (which clears it).
func splitList(s string) []string {
	return append([]string{}, strings.FieldsFunc(s, func(r rune) bool {
		return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == '\t' || r == ';'
	})...)
}

func copyText(t survey.Text) map[string]string {
	out := make(map[string]string, len(t))
	for k, v := range t {
		out[k] = v
	}
	return out
}

func sortedMapKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func valuePtr[T any](v T) *T { return &v }
