package frontend

import (
	"fmt"
	"html/template"
	"time"
)

// dashFuncs are the template functions of the dashboard's pages: numbers
// and dates in the reader's language, and small helpers html/template
// lacks.
var dashFuncs = template.FuncMap{
	"group":     GroupLabel,
	"groupBase": GroupBase,
	"tf":        func(lang, key string, args ...any) string { return fmt.Sprintf(T(lang, key), args...) },
	"num":       func(lang string, x float64, digits int) string { return Num(lang, x, digits) },
	"int":       func(lang string, n int64) string { return Int(lang, n) },
	"signed":    func(lang string, x float64, digits int) string { return Signed(lang, x, digits) },
	"pp":        PP,
	"pct":       func(lang string, x float64, digits int) string { return Pct(lang, x, digits) },
	"spct":      func(lang string, x float64, digits int) string { return SignedPct(lang, x, digits) },
	"date":      func(lang string, t any) string { return Date(lang, timeOf(t)) },
	"datetime":  func(lang string, t any) string { return DateTime(lang, timeOf(t)) },
	// list builds a fixed list for range in a template.
	"list": func(xs ...string) []string { return xs },
	// dict builds a map for passing several values to a sub-template.
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

// timeOf accepts a time or a pointer to one (nil is the zero time).
func timeOf(v any) time.Time {
	switch t := v.(type) {
	case time.Time:
		return t
	case *time.Time:
		if t != nil {
			return *t
		}
	}
	return time.Time{}
}
