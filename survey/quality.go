package survey

import (
	"sort"
	"strings"
	"time"
)

// Quality flags. Flagged responses are kept and exported; the report leaves
// them out unless asked (include_flagged).
const (
	FlagSpeeder       = "speeder"       // below the floor, then below half the running median
	FlagStraightliner = "straightliner" // same scale position on every rating question (3+)
	FlagAttention     = "attention"     // failed an attention check
)

// Flags lists every flag in a fixed order.
var Flags = []string{FlagSpeeder, FlagStraightliner, FlagAttention}

// SpeederMinCompletes is how many completed responses with a measured
// duration a study needs before its median decides who is a speeder: a
// median of a handful is noise. Until then SpeederFloorPerQuestion does.
const SpeederMinCompletes = 30

// SpeederFloorPerQuestion is the least time a respondent can spend on a
// question they answered: a response faster than this times the number of
// answered questions is a speeder while the study has fewer than
// SpeederMinCompletes durations to take a median of.
//
// The speeding literature puts the bound at about 300 ms per word of
// question text, the fastest skim of a reader (Zhang & Conrad 2014,
// "Speeding in web surveys", Survey Research Methods 8(2); Conrad,
// Tourangeau, Couper & Zhang 2017, "Reducing speeding in web surveys by
// providing immediate feedback", Survey Research Methods 11(1)). 1.5 s is
// five words at that pace: shorter than any question of ours with its
// options, and than one tap on a phone after reading it. The floor is kept
// that low on purpose: it runs before anything is known about the study,
// and a wrong flag costs a real respondent their place in the results and
// in the group's quota. Questions left unanswered are not counted, since
// skipping one takes no reading.
const SpeederFloorPerQuestion = 1500 * time.Millisecond

// QualityFlags returns the flags of one response, joined by commas in the
// order of Flags. medianMs is the study's running median duration, or 0
// while there are fewer than SpeederMinCompletes; durationMs is nil when
// the response's duration is unknown, and then it is never a speeder.
func (s *Spec) QualityFlags(a Answers, durationMs *int64, medianMs int64) string {
	var flags []string
	if durationMs != nil && s.speeding(a, *durationMs, medianMs) {
		flags = append(flags, FlagSpeeder)
	}
	if s.straightLined(a) {
		flags = append(flags, FlagStraightliner)
	}
	for _, q := range s.Questions {
		if q.Attention == "" {
			continue
		}
		if !chose(a[q.Key], q.Attention) {
			flags = append(flags, FlagAttention)
			break
		}
	}
	return strings.Join(flags, ",")
}

// speeding reports a duration below the speeder threshold: half the
// study's median once there is one (a common rule in market research),
// else SpeederFloorPerQuestion per answered question.
func (s *Spec) speeding(a Answers, durationMs, medianMs int64) bool {
	if medianMs > 0 {
		return durationMs*2 < medianMs
	}
	answered := 0
	for _, q := range s.Questions {
		if a[q.Key] != nil {
			answered++
		}
	}
	return durationMs < int64(answered)*SpeederFloorPerQuestion.Milliseconds()
}

// straightLined reports the same relative scale position on every one of
// at least three answered rating questions. Positions are compared as
// fractions of the scale so that 5 of 5 and 7 of 7 count as the same.
func (s *Spec) straightLined(a Answers) bool {
	var positions []float64
	for _, q := range s.Questions {
		if q.Type != Rating {
			continue
		}
		v, ok := a[q.Key].(int64)
		if !ok {
			continue // only answered questions count
		}
		positions = append(positions, float64(v-1)/float64(q.Scale-1))
	}
	if len(positions) < 3 {
		return false
	}
	for _, p := range positions[1:] {
		if p != positions[0] {
			return false
		}
	}
	return true
}

func chose(answer any, option string) bool {
	switch v := answer.(type) {
	case string:
		return v == option
	case []string:
		for _, k := range v {
			if k == option {
				return true
			}
		}
	}
	return false
}

// DurationCount is how many completes took a whole number of seconds.
type DurationCount struct {
	Seconds int
	N       int64
}

// MedianFromHistogram returns the median of whole-second durations given as
// (seconds, count) pairs, in milliseconds; 0 when there are fewer than
// SpeederMinCompletes.
func MedianFromHistogram(h []DurationCount) int64 {
	sort.Slice(h, func(i, j int) bool { return h[i].Seconds < h[j].Seconds })
	var total int64
	for _, b := range h {
		total += b.N
	}
	if total < SpeederMinCompletes {
		return 0
	}
	half := (total + 1) / 2
	var seen int64
	for _, b := range h {
		seen += b.N
		if seen >= half {
			return int64(b.Seconds)*1000 + 500 // the middle of the second
		}
	}
	return 0
}
