package survey_test

import (
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// FuzzVerifyToken feeds arbitrary strings to the token parser: it must
// never panic, and anything it accepts must be a token this study signed.
func FuzzVerifyToken(f *testing.F) {
	st := survey.StudyWithKeys("Xk3vQ9pL2mN8rT5wYz1aBc", exampleSecret(), 0.5)
	f.Add(exampleToken)
	f.Add(st.SignToken(&survey.Token{RID: "u", Group: survey.GroupControl, Attrs: map[string]string{"age": "18-24"}}))
	f.Add("")
	f.Add(".")
	f.Add("eyJzIjoi.x")
	f.Add(strings.Repeat("A", 5000))
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := st.VerifyToken(s, time.Unix(1700000000, 0))
		if err != nil {
			return
		}
		if tok.Study != st.PublicKey || tok.Validate() != nil {
			t.Fatalf("accepted an invalid token %q: %+v", s, tok)
		}
		body, _, _ := strings.Cut(s, ".")
		if resigned := survey.SignForTest(exampleSecret(), body); resigned != s {
			t.Fatalf("accepted a token whose signature is not ours: %q", s)
		}
	})
}
