package survey_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// The per-submission work before the batch, measured alone (issue 16):
//
//	go test ./survey -run '^$' -bench 'VerifyToken|ParseAnswers' -benchmem

// BenchmarkVerifyToken verifies a signed link's token with attributes,
// as every survey page, pixel and submission does.
func BenchmarkVerifyToken(b *testing.B) {
	st := survey.StudyWithKeys("Xk3vQ9pL2mN8rT5wYz1aBc", exampleSecret(), 0.3)
	tok := st.SignToken(&survey.Token{RID: "u-1", Group: survey.GroupExposed,
		Attrs: map[string]string{"age": "25-34", "region": "msk"}})
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := st.VerifyToken(tok, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAnswers validates a decoded submission's answers against
// the questions: a choice, a score, a rating and a text.
func BenchmarkParseAnswers(b *testing.B) {
	s := speederSpec()
	var raw map[string]any
	dec := json.NewDecoder(strings.NewReader(`{"recall":"yes","nps":9,"csat":4,"why":"нравится"}`))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.ParseAnswers(raw); err != nil {
			b.Fatal(err)
		}
	}
}
