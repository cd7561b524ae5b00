package store

import (
	"database/sql"
	"encoding/json"
	"math"
	"slices"
	"strconv"

	"github.com/brandlift/brandlift/survey"
)

// decodeJSONCells turns a SQLite row's attributes and answers, as stored,
// into the cells PostgreSQL's operators give for the same columns: an
// attribute's value or nil; a question's answer, its number for nps and
// rating questions, or nil when unanswered; for each option of a
// multi-choice question 1 or 0, or nil when it was not answered. What
// json_extract would give for a value of another type is given too
// (numbers in a text column as SQLite writes them), so that the two
// databases export the same file.
func (e *Export) decodeJSONCells(attrsJSON, answersJSON *sql.NullString) []any {
	out := make([]any, 0, len(e.attrs)+len(e.study.Questions)+4)
	var attrs map[string]any
	if attrsJSON.Valid {
		_ = json.Unmarshal([]byte(attrsJSON.String), &attrs) // stored by this program: valid
	}
	for _, a := range e.attrs {
		out = append(out, jsonCell(attrs, a, survey.ColString))
	}
	var answers map[string]any
	if answersJSON.Valid {
		_ = json.Unmarshal([]byte(answersJSON.String), &answers)
	}
	for _, q := range e.study.Questions {
		switch q.Type {
		case survey.MultiChoice:
			v, present := answers[q.Key]
			list, _ := v.([]any)
			for _, o := range q.Options {
				switch {
				case !present:
					out = append(out, nil)
				case slices.Contains(list, any(o.Key)):
					out = append(out, int64(1))
				default:
					out = append(out, int64(0))
				}
			}
		case survey.NPSQuestion, survey.Rating:
			out = append(out, jsonCell(answers, q.Key, survey.ColInt))
		default:
			out = append(out, jsonCell(answers, q.Key, survey.ColString))
		}
	}
	return out
}

// jsonCell is json_extract(doc, '$.key') scanned as kind: nil for a
// missing key or JSON null.
func jsonCell(doc map[string]any, key string, kind survey.ColumnType) any {
	switch v := doc[key].(type) {
	case string:
		if kind == survey.ColInt {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil
			}
			return n
		}
		return v
	case float64:
		if kind == survey.ColInt {
			return int64(math.Trunc(v))
		}
		if v == math.Trunc(v) && math.Abs(v) < 1e15 {
			return strconv.FormatInt(int64(v), 10)
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	case bool:
		if kind == survey.ColInt {
			return map[bool]int64{true: 1, false: 0}[v]
		}
		return map[bool]string{true: "1", false: "0"}[v]
	case nil:
		return nil
	default: // an object or array where a plain value belongs: its JSON
		b, _ := json.Marshal(v)
		return string(b)
	}
}
