package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/brandlift/brandlift/survey"
)

// textErrors holds every string of a decoded JSON body, and every object
// key, to the text rules, naming each offender by its JSON path. Values
// may span lines (the domain holds single-line fields to the stricter
// rule); keys may not.
func textErrors(doc any, path string, errs *[]survey.FieldError) {
	switch v := doc.(type) {
	case string:
		if msg := survey.MultilineTextProblem(v); msg != "" {
			*errs = append(*errs, survey.FieldError{Field: orBody(path), Code: survey.CodeInvalid, Message: msg})
		}
	case []any:
		for i, el := range v {
			textErrors(el, fmt.Sprintf("%s[%d]", path, i), errs)
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys) // the same body always lists its errors in the same order
		for _, k := range keys {
			if msg := survey.TextProblem(k); msg != "" {
				*errs = append(*errs, survey.FieldError{Field: join(path, k), Code: survey.CodeInvalid, Message: "the key " + msg})
				continue
			}
			textErrors(v[k], join(path, k), errs)
		}
	}
}

func orBody(path string) string {
	if path == "" {
		return "(body)"
	}
	return path
}

// invalidUTF8Field names the JSON path of the first string (or key) in
// body that holds bytes that are not UTF-8. encoding/json would quietly
// turn them into U+FFFD, so the check reads the raw bytes; "" means the
// body is valid UTF-8. body must be well-formed JSON.
func invalidUTF8Field(body []byte) string {
	bad := -1
	for i := 0; i < len(body); {
		r, size := utf8.DecodeRune(body[i:])
		if r == utf8.RuneError && size == 1 {
			bad = i
			break
		}
		i += size
	}
	if bad < 0 {
		return ""
	}
	// Walk the tokens, keeping the path, until one ends past the bad byte.
	type frame struct {
		object    bool
		key       string
		index     int
		expectKey bool
	}
	var stack []frame
	path := func() string {
		p := ""
		for _, f := range stack {
			if f.object {
				p = join(p, f.key)
			} else {
				p += "[" + strconv.Itoa(f.index) + "]"
			}
		}
		return p
	}
	advance := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].expectKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "(body)"
		}
		isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].expectKey
		if isKey {
			if key, ok := tok.(string); ok {
				stack[len(stack)-1].key, stack[len(stack)-1].expectKey = key, false
				if dec.InputOffset() > int64(bad) {
					return orBody(path())
				}
				continue
			}
		}
		if dec.InputOffset() > int64(bad) {
			return orBody(path())
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, expectKey: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			advance()
		default:
			advance()
		}
	}
}
