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
			var ve *survey.ValidationError
			switch {
			case errors.As(err, &p) && p.Status == 400:
			case errors.As(err, &ve) && len(ve.Errors) > 0: // text rules: a 422 naming the field
			default:
				t.Fatalf("decode error is neither a 400 problem nor a field error: %v", err)
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
			if s, ok := v.(string); ok && survey.MultilineTextProblem(s) != "" {
				t.Fatalf("accepted %s = %q, which breaks the text rules", key, s)
			}
		}
	})
}

// FuzzStudyDecoding feeds arbitrary bodies through the decoding and
// validation of a study: no panic; a body is refused with a 400 problem
// or field errors; and a study that passes holds only text that the text
// rules allow, within the limits.
func FuzzStudyDecoding(f *testing.F) {
	raw, err := os.ReadFile("testdata/example_study.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(raw)
	f.Add([]byte(`{"name":"a\u0000b","questions":[{"key":"q","type":"nps","text":{"ru":"x"}}]}`))
	f.Add([]byte("{\"name\":\"x\xffy\",\"questions\":[{\"key\":\"q\",\"type\":\"nps\",\"text\":{\"ru\":\"x\"}}]}"))
	f.Add([]byte(`{"name":"n","brand":"b\n","questions":[{"key":"q","type":"text","text":{"ru":"line\nline"}}],"weighting":{"attributes":["age"],"margins":{"age":{"18\u0085":1}}}}`))
	f.Add([]byte(`{"questions":[{"key":"q","type":"single_choice","text":{"ru":"?"},"options":[{"key":"a","text":{"ru":"\u001b"}},{"key":"b","text":{"ru":"b"}}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in survey.StudyInput
		if err := decodeStrict(body, &in); err != nil {
			var p *Problem
			var ve *survey.ValidationError
			if !(errors.As(err, &p) && p.Status == 400) && !(errors.As(err, &ve) && len(ve.Errors) > 0) {
				t.Fatalf("decode error is neither a 400 problem nor field errors: %v", err)
			}
			return
		}
		spec := survey.DefaultSpec()
		in.Apply(&spec)
		if err := spec.Validate(); err != nil {
			var ve *survey.ValidationError
			if !errors.As(err, &ve) || len(ve.Errors) == 0 {
				t.Fatalf("refusal without field errors: %v", err)
			}
			return
		}
		if len(spec.Questions) > survey.MaxQuestions {
			t.Fatalf("accepted %d questions", len(spec.Questions))
		}
		for _, q := range spec.Questions {
			if len(q.Options) > survey.MaxOptions {
				t.Fatalf("accepted %d options", len(q.Options))
			}
		}
		stored, err := json.Marshal(spec)
		if err != nil {
			t.Fatal(err)
		}
		var doc any
		if err := json.Unmarshal(stored, &doc); err != nil {
			t.Fatal(err)
		}
		var errs []survey.FieldError
		textErrors(doc, "", &errs)
		if len(errs) > 0 {
			t.Fatalf("accepted a study holding text the rules refuse: %v", errs)
		}
		for _, s := range []string{spec.Name, spec.Brand} {
			if survey.TextProblem(s) != "" {
				t.Fatalf("accepted single-line field %q", s)
			}
		}
	})
}
