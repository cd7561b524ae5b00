package survey

// NPSAnswer is one NPS score with its category.
type NPSAnswer struct {
	Question string `json:"question"`
	Score    int64  `json:"score"`
	// Category is promoter (9-10), passive (7-8) or detractor (0-6).
	Category string `json:"category"`
}

// NPSQuestionKey is the key of the study's first NPS question, or "".
func (s *Spec) NPSQuestionKey() string {
	for i := range s.Questions {
		if s.Questions[i].Type == NPSQuestion {
			return s.Questions[i].Key
		}
	}
	return ""
}

// NPSOf finds the response's answer to the study's first NPS question.
func (s *Spec) NPSOf(a Answers) *NPSAnswer {
	for i := range s.Questions {
		q := &s.Questions[i]
		if q.Type != NPSQuestion {
			continue
		}
		n, ok := integer(a[q.Key])
		if !ok {
			return nil
		}
		cat := "passive"
		switch {
		case n >= 9:
			cat = "promoter"
		case n <= 6:
			cat = "detractor"
		}
		return &NPSAnswer{Question: q.Key, Score: n, Category: cat}
	}
	return nil
}
