package api

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
)

// builderError is one problem as the builder shows it: next to the input
// with id ID, and in the summary at the top with a link to that input.
type builderError struct {
	ID      string // the input's id
	Label   string // which field, in words: "Question 3, option 2: text (en)"
	Message string
}

// builderErrors are a form's problems, by input id, in the form's order.
type builderErrors struct {
	List []builderError
	byID map[string][]string
}

// Of is the message shown next to the input id ("" when it has none).
func (e *builderErrors) Of(id string) string {
	if e == nil {
		return ""
	}
	return strings.Join(e.byID[id], " ")
}

// Any reports whether there is a problem at all.
func (e *builderErrors) Any() bool { return e != nil && len(e.List) > 0 }

// collectErrors gathers the form's unreadable values and the store's
// validation errors; paths are the store's JSON paths.
func collectErrors(lang string, bad map[string]string, invalid *survey.ValidationError) *builderErrors {
	type item struct {
		path, msg string
	}
	var items []item
	for path, msg := range bad {
		items = append(items, item{path, msg})
	}
	if invalid != nil {
		for _, fe := range invalid.Errors {
			if _, unread := bad[fe.Field]; unread {
				continue // the value was not sent; what the store says of its default is noise
			}
			items = append(items, item{fe.Field, storeMessage(lang, fe.Message)})
		}
	}
	out := &builderErrors{byID: map[string][]string{}}
	for _, it := range items {
		id := fieldID(it.path)
		if !slices.Contains(out.byID[id], it.msg) {
			out.byID[id] = append(out.byID[id], it.msg)
			out.List = append(out.List, builderError{ID: id, Label: fieldLabel(lang, it.path), Message: it.msg})
		}
	}
	sort.SliceStable(out.List, func(i, j int) bool { return fieldOrder(out.List[i].ID) < fieldOrder(out.List[j].ID) })
	return out
}

var (
	optionPath   = regexp.MustCompile(`^questions\[(\d+)\]\.options\[(\d+)\]\.(\w+)(?:\.(\w+))?`)
	questionPath = regexp.MustCompile(`^questions\[(\d+)\](?:\.(\w+)(?:\.(\w+))?)?`)
	targetPath   = regexp.MustCompile(`^targets\[(\d+)\](?:\.(\w+))?`)
)

// fieldID maps a JSON path of the study to the id of the input that
// holds it, so that the summary's link lands on the field.
func fieldID(path string) string {
	if id, ok := designFieldID(path); ok {
		return id
	}
	if m := optionPath.FindStringSubmatch(path); m != nil {
		id := fmt.Sprintf("q-%s-o-%s-%s", m[1], m[2], m[3])
		if m[4] != "" {
			id += "-" + m[4]
		}
		return id
	}
	if m := questionPath.FindStringSubmatch(path); m != nil {
		switch m[2] {
		case "":
			return "q-" + m[1] + "-key"
		case "options":
			return "q-" + m[1] + "-add-option"
		case "text":
			if m[3] == "" {
				return "q-" + m[1] + "-text-ru"
			}
			return "q-" + m[1] + "-text-" + m[3]
		}
		return "q-" + m[1] + "-" + m[2]
	}
	if m := targetPath.FindStringSubmatch(path); m != nil {
		if m[2] == "" {
			return "t-" + m[1] + "-question"
		}
		return "t-" + m[1] + "-" + m[2]
	}
	switch {
	case path == "questions":
		return "add-question"
	case path == "targets":
		return "add-target"
	case strings.HasPrefix(path, "locales"):
		return "f-locale-ru"
	case strings.HasPrefix(path, "consent."):
		return "f-consent-" + strings.TrimPrefix(path, "consent.")
	case path == "consent":
		return "f-consent-ru"
	case strings.HasPrefix(path, "weighting.margins"):
		return "f-weighting-margins"
	case strings.HasPrefix(path, "weighting"):
		return "f-weighting-attributes"
	case strings.HasPrefix(path, "frame_ancestors"):
		return "f-frame_ancestors"
	}
	return "f-" + strings.ReplaceAll(path, ".", "-")
}

// fieldOrder sorts the summary as the form reads: settings, targets,
// questions in order.
func fieldOrder(id string) int {
	if n, ok := designFieldOrder(id); ok {
		return n
	}
	parts := strings.Split(id, "-")
	n := func(i int) int {
		if i < len(parts) {
			v, _ := strconv.Atoi(parts[i])
			return v
		}
		return 0
	}
	switch parts[0] {
	case "q":
		return 100000 + n(1)*1000 + n(3)
	case "t":
		return 50000 + n(1)
	case "add":
		if id == "add-target" {
			return 50000
		}
		return 100000
	}
	return 0
}

// fieldLabel names a path's field in words for the summary.
func fieldLabel(lang, path string) string {
	T := func(key string) string { return frontend.T(lang, key) }
	if l, ok := designFieldLabel(lang, path); ok {
		return l
	}
	if m := optionPath.FindStringSubmatch(path); m != nil {
		qi, _ := strconv.Atoi(m[1])
		oi, _ := strconv.Atoi(m[2])
		return fmt.Sprintf(T("bld_err_at_option"), qi+1, oi+1) + ": " + fieldWord(lang, m[3], m[4])
	}
	if m := questionPath.FindStringSubmatch(path); m != nil {
		qi, _ := strconv.Atoi(m[1])
		where := fmt.Sprintf(T("bld_err_at_question"), qi+1)
		if m[2] == "" {
			return where
		}
		return where + ": " + fieldWord(lang, m[2], m[3])
	}
	if m := targetPath.FindStringSubmatch(path); m != nil {
		ti, _ := strconv.Atoi(m[1])
		where := fmt.Sprintf(T("bld_err_at_target"), ti+1)
		if m[2] == "" {
			return where
		}
		return where + ": " + fieldWord(lang, m[2], "")
	}
	head, rest, _ := strings.Cut(path, ".")
	if i := strings.Index(head, "["); i > 0 {
		head = head[:i]
	}
	if head == "weighting" {
		head, _, _ = strings.Cut(rest, ".")
		head = "weighting_" + head
		rest = ""
	}
	return fieldWord(lang, head, rest)
}

// fieldWord is a field's label, with the language of a text.
func fieldWord(lang, field, locale string) string {
	key := "bld_f_" + field
	word := frontend.T(lang, key)
	if word == key {
		word = field
	}
	if locale != "" && (field == "text" || field == "consent") {
		word += " (" + locale + ")"
	}
	return word
}

// storeMessages turn the store's English validation messages into the
// page's language; a message not listed is shown as the store wrote it.
var storeMessages = []struct {
	re  *regexp.Regexp
	key string
}{
	{regexp.MustCompile(`^must not be empty`), "bld_err_empty"},
	{regexp.MustCompile(`^text is missing for declared locale "(\w+)"`), "bld_err_text_missing"},
	{regexp.MustCompile(`^must be strictly between 0 and 1`), "bld_err_share"},
	{regexp.MustCompile(`^must match .*, got`), "bld_err_key"},
	{regexp.MustCompile(`^duplicate question key`), "bld_err_dup_question"},
	{regexp.MustCompile(`^duplicate option key`), "bld_err_dup_option"},
	{regexp.MustCompile(`^a choice question needs at least two options`), "bld_err_two_options"},
	{regexp.MustCompile(`^a question with metric .* needs at least one option marked positive`), "bld_err_positive"},
	{regexp.MustCompile(`^a study needs at least one question`), "bld_err_no_questions"},
	{regexp.MustCompile(`^must be one of 0.8, 0.9, 0.95`), "bld_err_confidence"},
	{regexp.MustCompile(`^must not be negative`), "bld_err_negative"},
	{regexp.MustCompile(`^must be a three-letter ISO 4217 code`), "bld_err_currency"},
	{regexp.MustCompile(`^must be an absolute lift between 0 and 1`), "bld_err_target_lift"},
	{regexp.MustCompile(`^must list at least one locale`), "bld_err_locales"},
	{regexp.MustCompile(`^must be one of the study's locales`), "bld_err_default_locale"},
	{regexp.MustCompile(`^only multi_choice options can be exclusive`), "bld_err_exclusive_multi"},
	{regexp.MustCompile(`^an exclusive option .* cannot be positive`), "bld_err_exclusive_positive"},
	{regexp.MustCompile(`^rating scale must be between 2 and 11`), "bld_err_scale"},
	{regexp.MustCompile(`^names option "(.*)", which the question does not have`), "bld_err_attention_missing"},
	{regexp.MustCompile(`^an attention check cannot also be a lift metric`), "bld_err_attention_metric"},
	{regexp.MustCompile(`^no question with key "(.*)"`), "bld_err_target_question"},
	{regexp.MustCompile(`^question ".*" has no option "(.*)"`), "bld_err_target_option"},
	{regexp.MustCompile(`^unknown measure`), "bld_err_measure"},
	{regexp.MustCompile(`^measure ".*" does not apply to a (\w+) question`), "bld_err_measure_type"},
	{regexp.MustCompile(`^a lift needs exposed and control groups`), "bld_err_measure_nps"},
	{regexp.MustCompile(`^a target needs a deadline`), "bld_err_deadline"},
	{regexp.MustCompile(`^must be an origin such as`), "bld_err_origin"},
	{regexp.MustCompile(`^must be an http or https URL`), "bld_err_end_url"},
	{regexp.MustCompile(`^must name at least one attribute`), "bld_err_weight_attrs"},
	{regexp.MustCompile(`^attribute names must match`), "bld_err_weight_attr"},
	{regexp.MustCompile(`^margin for an attribute not listed`), "bld_err_margin_attr"},
	{regexp.MustCompile(`^shares must sum to 1, got ([0-9.]+)`), "bld_err_margin_sum"},
	{regexp.MustCompile(`^share must be positive`), "bld_err_margin_share"},
	{regexp.MustCompile(`^unknown (kind|assignment|question type|metric)`), "bld_err_unknown"},
	{regexp.MustCompile(`^must be from 1 to (\d+) responses per group`), "bld_err_min_per_group"},
	{regexp.MustCompile(`^must be fixed or sequential`), "bld_err_unknown"},
	{regexp.MustCompile(`^must be an IANA time zone name`), "bld_err_timezone"},
	{regexp.MustCompile(`^unknown time zone "(.*)"; use an IANA name`), "bld_err_timezone_unknown"},
}

func storeMessage(lang, msg string) string {
	for _, m := range storeMessages {
		if sub := m.re.FindStringSubmatch(msg); sub != nil {
			args := make([]any, 0, len(sub)-1)
			for _, s := range sub[1:] {
				args = append(args, s)
			}
			return fmt.Sprintf(frontend.T(lang, m.key), args...)
		}
	}
	return msg
}
