package api

import (
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// FuzzSubmitDecoding feeds arbitrary bodies through the decoding and
// validation of a submission: no panic, and a body is either refused with
// a problem or yields answers that fit the study.
func FuzzSubmitDecoding(f *testing.F) {
	raw, err := os.ReadFile("testdata/example_study.json")
	if err != nil {
		f.Fatal(err)
	}
	var in survey.StudyInput
	if err := json.Unmarshal(raw, &in); err != nil {
		f.Fatal(err)
	}
	spec := survey.DefaultSpec()
	in.Apply(&spec)
	f.Add([]byte(`{"token":"x.y","answers":{"recall":"yes","nps":9,"csat":4,"why":"ok"},"locale":"ru"}`))
	f.Add([]byte(`{"token":"x","answers":{"recall":["yes"],"nps":9.5,"csat":"4","zzz":null}}`))
	f.Add([]byte(`{"answers":{"why":"\u0000<script>"}}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"token":1e999}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var sb SubmitBody
		if err := decodeStrict(body, &sb); err != nil {
			var p *Problem
			if !errors.As(err, &p) || p.Status != 400 {
				t.Fatalf("decode error is not a 400 problem: %v", err)
			}
			return
		}
		answers, err := decodeAnswers(body)
		if err != nil {
			return
		}
		parsed, err := spec.ParseAnswers(answers)
		if err != nil {
			var ve *survey.ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) == 0 {
				t.Fatalf("refusal without field errors: %v", err)
			}
			return
		}
		for key, v := range parsed {
			q := spec.Question(key)
			if q == nil {
				t.Fatalf("accepted an answer to unknown question %q", key)
			}
			if n, ok := v.(int64); ok && (n < 0 || n > 10) {
				t.Fatalf("accepted %s = %d", key, n)
			}
		}
	})
}
