package api

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// The caveats the results pages attach to a metric: a sample below the
// study's minimum, the test that decided significance, and significance
// turned off by a sample ratio mismatch. Each is written from the
// report's fields, not from its English notes.

// groupCount is one group's answers behind a metric.
type groupCount struct {
	g survey.Group
	n int64
}

// testName names the test behind "significant" (results.By*).
func testName(lang, by string) string {
	if by == "" {
		return ""
	}
	if k := "rs_by_" + by; frontend.T(lang, k) != k {
		return frontend.T(lang, k)
	}
	return by
}

// verdictText is "statistically significant (z-test)".
func verdictText(lang string, sig bool, by string) string {
	v := frontend.T(lang, "verdict_nonsig")
	if sig {
		v = frontend.T(lang, "verdict_sig")
	}
	if t := testName(lang, by); t != "" {
		v += " (" + t + ")"
	}
	return v
}

// lowSampleText says which groups are below the minimum: "мало ответов:
// меньше 50 на группу (тестовая группа — 30, контрольная группа — 30)".
// lift is true for a lift metric, whose significance Fisher's exact test
// then decides.
func lowSampleText(lang string, min int64, lift bool, counts ...groupCount) string {
	var parts []string
	for _, c := range counts {
		parts = append(parts, groupWord(lang, string(c.g))+" — "+frontend.Int(lang, c.n))
	}
	s := fmt.Sprintf(frontend.T(lang, "rs_low_sample_note"), frontend.Int(lang, min), strings.Join(parts, ", "))
	if lift {
		s += " " + frontend.T(lang, "rs_low_sample_fisher")
	}
	return s
}

// lowSampleClause is the low-sample note of survey/results inside a
// metric's notes: the page writes it from the counts instead.
var lowSampleClause = regexp.MustCompile(`low sample: fewer than \d+ answers per group \([^)]*\); the numbers are shown, read them with care(; )?`)

// otherNotes is a metric's notes without the low-sample clause, in lang.
func otherNotes(lang, notes string) string {
	return reasonText(lang, strings.TrimSuffix(lowSampleClause.ReplaceAllString(notes, ""), "; "))
}

// liftCounts are a lift metric's answers per group.
func liftCounts(m *results.LiftMetric) []groupCount {
	return []groupCount{{survey.GroupExposed, m.Exposed.N}, {survey.GroupControl, m.Control.N}}
}

// withheldReason says which group has no answer yet.
func withheldReason(lang string, m *results.WithheldMetric) string {
	var empty []string
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl, survey.GroupAll} {
		if n, ok := m.N[g]; ok && n == 0 {
			empty = append(empty, groupWord(lang, string(g)))
		}
	}
	if len(empty) == 0 {
		return reasonText(lang, m.Reason)
	}
	return fmt.Sprintf(frontend.T(lang, "rs_withheld_reason"), strings.Join(empty, frontend.T(lang, "rs_and")))
}

// levelLabel names a segment level: "other" and "(none)" in words.
func levelLabel(lang, level string) string {
	if level == results.OtherLevel {
		return frontend.T(lang, "rs_seg_other")
	}
	parts := strings.Split(level, results.LevelSeparator)
	for i, p := range parts {
		if p == "(none)" {
			parts[i] = frontend.T(lang, "rs_seg_level_none")
		}
	}
	return strings.Join(parts, results.LevelSeparator)
}

// otherLevelNote says what the "other" level pools.
func otherLevelNote(lang string, r *results.Report, seg results.SegmentReport) string {
	levels := make([]string, len(seg.Other))
	for i, l := range seg.Other {
		levels[i] = levelLabel(lang, l)
	}
	return fmt.Sprintf(frontend.T(lang, "rs_seg_other_note"), frontend.T(lang, "rs_seg_other"),
		frontend.Int(lang, int64(len(seg.Other))), frontend.Int(lang, r.MinPerGroup), strings.Join(levels, ", "))
}
