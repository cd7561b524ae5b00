package survey_test

import (
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// speederSpec has four questions, one of them optional.
func speederSpec() *survey.Spec {
	yesNo := []survey.Option{{Key: "yes", Text: survey.Text{"en": "Yes"}}, {Key: "no", Text: survey.Text{"en": "No"}}}
	return &survey.Spec{Questions: []survey.Question{
		{Key: "recall", Type: survey.SingleChoice, Options: yesNo, Required: true},
		{Key: "nps", Type: survey.NPSQuestion, Required: true},
		{Key: "csat", Type: survey.Rating, Scale: 5, Required: true},
		{Key: "why", Type: survey.TextQuestion},
	}}
}

func TestSpeederRule(t *testing.T) {
	s := speederSpec()
	all := survey.Answers{"recall": "yes", "nps": int64(9), "csat": int64(4), "why": "нравится"}
	three := survey.Answers{"recall": "yes", "nps": int64(9), "csat": int64(4)}
	ms := func(v int64) *int64 { return &v }
	for _, c := range []struct {
		name     string
		answers  survey.Answers
		duration *int64
		median   int64
		speeder  bool
	}{
		{"no duration", all, nil, 0, false},
		{"no duration, median", all, nil, 60000, false},
		// Floor: 1.5 s per answered question, strictly below.
		{"floor, 4 answered, below", all, ms(5999), 0, true},
		{"floor, 4 answered, at", all, ms(6000), 0, false},
		{"floor, 3 answered, below", three, ms(4499), 0, true},
		{"floor, 3 answered, at", three, ms(4500), 0, false},
		{"floor, nothing answered", survey.Answers{}, ms(0), 0, false},
		// Median: strictly below half, and the floor no longer applies.
		{"median, below half", all, ms(29999), 60000, true},
		{"median, at half", all, ms(30000), 60000, false},
		{"median, slower than floor but below half", all, ms(10000), 60000, true},
		{"median, below floor but above half", all, ms(3000), 5000, false},
	} {
		got := s.QualityFlags(c.answers, c.duration, c.median) == survey.FlagSpeeder
		if got != c.speeder {
			t.Errorf("%s: speeder %v, want %v", c.name, got, c.speeder)
		}
	}
}

// TestMedianFromHistogram checks against Python's statistics.median_low
// of the expanded samples (the lower middle for an even count), with
// 500 ms added for the middle of the second; the histograms came from
// random.seed(13) in Python 3.
func TestMedianFromHistogram(t *testing.T) {
	h := func(pairs ...int) []survey.DurationCount {
		var out []survey.DurationCount
		for i := 0; i < len(pairs); i += 2 {
			out = append(out, survey.DurationCount{Seconds: pairs[i], N: int64(pairs[i+1])})
		}
		return out
	}
	for _, c := range []struct {
		hist []survey.DurationCount
		want int64
	}{
		{h(153, 4, 355, 3, 100, 3, 338, 2, 123, 9, 346, 4, 80, 5), 123500},                          // n = 30
		{h(391, 2, 286, 6, 293, 5, 224, 8, 348, 9, 191, 3, 225, 8, 331, 8, 165, 9, 340, 3), 286500}, // n = 61
		{h(225, 1, 69, 5, 355, 3), 0},            // n = 9: below SpeederMinCompletes
		{h(60, survey.SpeederMinCompletes-1), 0}, // one short
		{h(60, survey.SpeederMinCompletes), 60500},
		{nil, 0},
	} {
		if got := survey.MedianFromHistogram(c.hist); got != c.want {
			t.Errorf("%v: %d, want %d", c.hist, got, c.want)
		}
	}
}
