package survey

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxTextAnswer is the longest text answer, in characters.
const MaxTextAnswer = 2000

// Answers are a respondent's validated answers by question key: a string
// option key (single choice), a []string of option keys (multi choice), an
// int (nps, rating) or a string (text). Unanswered questions are absent.
type Answers map[string]any

// ParseAnswers validates raw answers (as decoded from JSON with UseNumber,
// or built from a form) against the study's questions. Every bad answer is
// named by its path "answers.KEY".
func (s *Spec) ParseAnswers(raw map[string]any) (Answers, error) {
	v := &ValidationError{}
	out := Answers{}
	for key := range raw {
		if s.Question(key) == nil {
			v.AddCode("answers."+key, CodeUnknownQuestion, "no question with this key")
		}
	}
	for i := range s.Questions {
		q := &s.Questions[i]
		path := "answers." + q.Key
		val, present := raw[q.Key]
		ans, code, msg := q.parseAnswer(val)
		switch {
		case msg != "":
			v.AddCode(path, code, "%s", msg)
		case ans == nil && (!present || val == nil || isBlank(val)) && q.Required:
			v.AddCode(path, CodeRequired, "an answer is required")
		case ans != nil:
			out[q.Key] = ans
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

func isBlank(val any) bool {
	switch x := val.(type) {
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	}
	return false
}

// parseAnswer returns the normalised answer (nil when unanswered), or an
// error code and a message saying what is wrong with it.
func (q *Question) parseAnswer(val any) (any, string, string) {
	if val == nil || isBlank(val) {
		return nil, "", ""
	}
	switch q.Type {
	case SingleChoice:
		key, ok := val.(string)
		if !ok {
			return nil, CodeInvalid, "must be one option key (a string)"
		}
		if q.Option(key) == nil {
			return nil, CodeInvalid, "unknown option " + strconv.Quote(key) + "; valid: " + q.optionKeys()
		}
		return key, "", ""
	case MultiChoice:
		return q.parseMulti(val)
	case NPSQuestion:
		n, ok := integer(val)
		if !ok || n < 0 || n > 10 {
			return nil, CodeInvalid, "must be a whole number from 0 to 10"
		}
		return n, "", ""
	case Rating:
		n, ok := integer(val)
		if !ok || n < 1 || n > int64(q.Scale) {
			return nil, CodeInvalid, "must be a whole number from 1 to " + strconv.Itoa(q.Scale)
		}
		return n, "", ""
	default: // text
		s, ok := val.(string)
		if !ok {
			return nil, CodeInvalid, "must be a string"
		}
		if msg := MultilineTextProblem(s); msg != "" {
			return nil, CodeInvalid, msg
		}
		if n := utf8.RuneCountInString(s); n > MaxTextAnswer {
			return nil, CodeTooLong, "must be at most " + strconv.Itoa(MaxTextAnswer) + " characters, got " + strconv.Itoa(n)
		}
		// Space and line breaks after an answer carry nothing: a return
		// pressed at the end of a phone's text box does not reach exports.
		// (Leading ones are kept as typed; exports neutralise them.)
		return strings.TrimRightFunc(s, unicode.IsSpace), "", ""
	}
}

func (q *Question) parseMulti(val any) (any, string, string) {
	list, ok := val.([]any)
	if !ok {
		return nil, CodeInvalid, "must be a list of option keys"
	}
	seen := map[string]bool{}
	keys := make([]string, 0, len(list))
	exclusive := ""
	for _, item := range list {
		key, ok := item.(string)
		if !ok {
			return nil, CodeInvalid, "must be a list of option keys (strings)"
		}
		o := q.Option(key)
		if o == nil {
			return nil, CodeInvalid, "unknown option " + strconv.Quote(key) + "; valid: " + q.optionKeys()
		}
		if seen[key] {
			return nil, CodeInvalid, "option " + strconv.Quote(key) + " is listed twice"
		}
		seen[key] = true
		if o.Exclusive {
			exclusive = key
		}
		keys = append(keys, key)
	}
	if exclusive != "" && len(keys) > 1 {
		return nil, CodeExclusive, "option " + strconv.Quote(exclusive) + " excludes every other option"
	}
	return keys, "", ""
}

func (q *Question) optionKeys() string {
	keys := make([]string, len(q.Options))
	for i, o := range q.Options {
		keys[i] = o.Key
	}
	return strings.Join(keys, ", ")
}

// integer accepts a JSON number or Go integer that is whole; "9" as a
// string is refused on purpose: a client that sends strings has a bug.
func integer(val any) (int64, bool) {
	switch x := val.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		return n, err == nil
	case int:
		return int64(x), true
	case int64:
		return x, true
	case float64:
		if x == float64(int64(x)) {
			return int64(x), true
		}
	}
	return 0, false
}
