package survey

import "strconv"

// Slots of the tallies table beyond option keys and score values.
const (
	SlotAnswered = "_n" // respondents who answered the question
	// The row with question_key "" and slot "" counts responses.
)

// Slot is one counter a response increments: a question ("" for the
// response itself) and a value (an option key, a score, SlotAnswered).
type Slot struct {
	Question string
	Value    string
}

// TallySlots lists the counters one response increments: the response
// itself, then for each answered question its answered count and the
// chosen option, score or level.
func (s *Spec) TallySlots(a Answers) []Slot {
	out := []Slot{{"", ""}}
	for _, q := range s.Questions {
		ans, ok := a[q.Key]
		if !ok {
			continue
		}
		out = append(out, Slot{q.Key, SlotAnswered})
		switch v := ans.(type) {
		case string:
			if q.Type == SingleChoice {
				out = append(out, Slot{q.Key, v})
			}
		case []string:
			for _, k := range v {
				out = append(out, Slot{q.Key, k})
			}
		case int64:
			out = append(out, Slot{q.Key, strconv.FormatInt(v, 10)})
		}
	}
	return out
}
