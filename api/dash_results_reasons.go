package api

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/brandlift/brandlift/frontend"
)

// The report's reasons and notes (survey/results and stats write them in
// English) in the reader's language. A note may join several clauses with
// "; " (stats' reasons, a low-sample caveat and a test's reason in one
// metric's notes), and a clause may itself contain "; ", so reasonText
// tries the longest run of clauses first. Where a note carries numbers
// the page can build the sentence from the report's fields, it does so
// (lowSampleText, otherLevelNote, withheldReason); the patterns below
// cover the rest. A test (TestReasonsTranslated) reads the sources of
// survey/results and stats and fails on any reason without a translation.

// reasonKeys are the fixed texts of the report's reasons.
var reasonKeys = map[string]string{
	// survey/results
	"no control respondent answered positively: a relative lift is not defined":                   "rs_why_rel_lift",
	"every control respondent answered positively: there is no headroom":                          "rs_why_headroom",
	"both rates are 0% or 100%: the Wald interval has no width (the Newcombe interval still has)": "rs_why_wald",
	"the study sets no reach": "rs_why_no_reach",
	"the study sets no spend": "rs_why_no_spend",
	"the lift is not positive: no one was lifted, so there is no cost per lifted user":                                         "rs_why_no_lifted",
	"lift not distinguishable from zero: the lifted users' interval reaches 0, so the cost per lifted user has no upper bound": "rs_why_cost_zero",
	"no lift, even to a rate of 100%, is detectable with 80% power at these group sizes":                                       "rs_why_mde",
	"the control rate plus the target lift is not a rate between 0% and 100%":                                                  "rs_why_needed",
	"the metric has no estimate yet: not enough data, or undefined for these data":                                             "rs_why_target",
	"not defined for these data":                                                                                                                  "rs_why_undefined",
	"the study was launched at the report's time: no fill rate yet":                                                                               "rs_why_projection_new",
	"a group has no completes yet: no fill rate to project from":                                                                                  "rs_why_projection_empty",
	"NPS can be 0 or negative in control, so a relative lift of NPS has no meaning":                                                               "rs_why_norm_nps_rel",
	"a difference-in-differences needs exposed and control answers in both waves":                                                                 "rs_why_no_did",
	"cells are compared unstratified; the stratified lift is of the pooled cells":                                                                 "rs_note_cells_unstratified",
	"sample ratio mismatch: the groups' sizes do not fit the planned split, so no difference is called significant (ignore_srm=true overrides)":   "rs_why_srm_off",
	"sample ratio mismatch: the groups' sizes do not fit the planned split; check the ad server's or panel's assignment before trusting the lift": "rs_note_srm",
	"the study declares no planned split: set control_share (planned_split: true) to check the groups' sizes against it":                          "rs_srm_why_signed",
	"in an exposure study the groups follow who saw the ad, so there is no planned split to check":                                                "rs_srm_why_exposure",
	"an nps study has one population":                                                                                                             "rs_srm_why_nps",
	"no answers yet in the exposed group":                                                                                                         "rs_why_none_exposed",
	"no answers yet in the control group":                                                                                                         "rs_why_none_control",
	"no answers yet in the all group":                                                                                                             "rs_why_none_all",
	"no answers yet in the exposed and control groups":                                                                                            "rs_why_none_both",
	// stats
	"no responses":                                                                 "rs_why_no_responses",
	"no respondents":                                                               "rs_why_no_responses",
	"a group has no responses":                                                     "rs_why_group_empty",
	"no responses in either group":                                                 "rs_why_none_both",
	"no responses in the exposed group":                                            "rs_why_none_exposed",
	"no responses in the control group":                                            "rs_why_none_control",
	"control rate is 0: relative lift undefined":                                   "rs_why_rel_lift",
	"control rate is 1: headroom lift undefined":                                   "rs_why_headroom",
	"all answers in one category: standard error is 0":                             "rs_why_one_category",
	"no variance in either group: test undefined":                                  "rs_why_no_variance",
	"one response: no standard deviation or interval":                              "rs_why_one_response",
	"all answers equal: standard deviation is 0":                                   "rs_why_all_equal",
	"a group has fewer than two responses":                                         "rs_why_two_responses",
	"no spread in either group: test undefined":                                    "rs_why_no_spread",
	"no variance: every answer alike within each group":                            "rs_why_seq_variance",
	"no variance: the test is undefined":                                           "rs_why_seq_variance",
	"difference is not a finite number":                                            "rs_why_not_finite",
	"variance is not a finite non-negative number":                                 "rs_why_not_finite",
	"an estimate or its standard error is not a finite number":                     "rs_why_not_finite",
	"both standard errors are 0: test undefined":                                   "rs_why_change_se",
	"all answers alike in both groups: z-test has no variance, p-value set to 1":   "rs_why_z_alike",
	"no positive lift: cost per lifted user undefined":                             "rs_why_no_lifted",
	"interval of lifted users includes 0: cost per lifted user has no upper bound": "rs_why_cost_zero",
	"no strata": "rs_why_no_strata",
	"no stratum has respondents in both groups":                   "rs_why_no_stratum",
	"no variance within strata: test undefined, p-value set to 1": "rs_why_strata_variance",
	"all answers alike within every stratum: CMH test undefined":  "rs_why_cmh",
	"Mantel-Haenszel odds ratio is 0 or infinite: undefined":      "rs_why_odds_ratio",
}

// reasonPattern translates a clause with numbers or names: key is a
// format whose verbs take the submatches, each written as its word says.
type reasonPattern struct {
	re    *regexp.Regexp
	key   string
	words []word
}

// word says how a submatch is written: as is, or as a group, a list of
// group counts, an attribute or a reason of its own in the reader's words.
type word int

const (
	asIs word = iota
	aGroup
	groupCountsWord
	anAttribute
	aReason
	aMetric
)

var reasonPatterns = []reasonPattern{
	{regexp.MustCompile(`^(\d+) closed studies measure (\S+)$`), "rs_pat_norm_studies", []word{asIs, aMetric}},
	{regexp.MustCompile(`^(\d+) closed studies have a relative lift on (\S+) \(a control rate above 0\)$`), "rs_pat_norm_rel", []word{asIs, aMetric}},
	{regexp.MustCompile(`^quartiles need at least (\d+)$`), "rs_pat_norm_need", nil},
	{regexp.MustCompile(`^category (\S+) has (\d+) other closed studies measuring (\S+), fewer than (\d+): compared with all closed studies$`),
		"rs_pat_norm_category", []word{asIs, asIs, aMetric, asIs}},
	{regexp.MustCompile(`^low sample: fewer than (\d+) answers per group \(([^)]*)\); the numbers are shown, read them with care$`),
		"rs_pat_low_sample", []word{asIs, groupCountsWord}},
	{regexp.MustCompile(`^low sample: a group has fewer than (\d+) responses; the numbers are shown, marked low_sample, and Fisher's exact test decides lift significance$`),
		"rs_pat_low_sample_health", nil},
	{regexp.MustCompile(`^(\d+) metric\(s\) below (\d+) answers per group: (.+); their numbers are marked low_sample$`),
		"rs_pat_low_sample_list", nil},
	{regexp.MustCompile(`^(\d+) levels with fewer than (\d+) responses in a group are pooled here: (.+)$`),
		"rs_pat_other", nil},
	{regexp.MustCompile(`^(\d+) strata with one group only left out \((\d+) exposed, (\d+) control respondents\)$`),
		"rs_pat_strata_dropped", nil},
	{regexp.MustCompile(`^stratum (\d+) has an empty group$`), "rs_pat_stratum_empty", nil},
	{regexp.MustCompile(`^level (\d+) of dimension (\d+) has a target of (\S+) but no respondents$`),
		"rs_pat_rake_level", nil},
	{regexp.MustCompile(`^did not converge in (\d+) iterations \(largest margin error (\S+)\)$`),
		"rs_pat_rake_converge", nil},
	{regexp.MustCompile(`^nothing to rake to: no exposed respondents with (\S+); the report is unweighted$`),
		"rs_pat_rake_nothing", []word{anAttribute}},
	{regexp.MustCompile(`^(\d+) responses have a level outside the target margins and get weight 0$`),
		"rs_pat_rake_outside", nil},
	{regexp.MustCompile(`^(\S+) level "(.*)" \(([\d.]+)% of exposed\) has no control respondents and is left out of the targets$`),
		"rs_pat_rake_unmatched", []word{anAttribute}},
	{regexp.MustCompile(`^significance is off: (.+)$`), "rs_pat_significance_off", []word{aReason}},
	{regexp.MustCompile(`^(exposed|control|all): (.+)$`), "rs_pat_group", []word{aGroup, aReason}},
}

// reasonText is a reason or note of the report in the reader's language;
// a clause without a translation is shown as the report gives it.
func reasonText(lang, why string) string {
	s, _ := translateReason(lang, why)
	return s
}

// translateReason translates why clause by clause and reports whether
// every clause had a translation.
func translateReason(lang, why string) (string, bool) {
	if why == "" {
		return "", true
	}
	parts := strings.Split(why, "; ")
	var out []string
	all := true
	for i := 0; i < len(parts); {
		done := false
		for j := len(parts); j > i; j-- {
			if s, ok := translateClause(lang, strings.Join(parts[i:j], "; ")); ok {
				out = append(out, s)
				i, done = j, true
				break
			}
		}
		if !done {
			out = append(out, parts[i])
			all = false
			i++
		}
	}
	return strings.Join(out, "; "), all
}

func translateClause(lang, s string) (string, bool) {
	if key, ok := reasonKeys[s]; ok {
		return frontend.T(lang, key), true
	}
	for _, p := range reasonPatterns {
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args := make([]any, len(m)-1)
		for i, v := range m[1:] {
			ok := true
			if i < len(p.words) {
				v, ok = p.words[i].write(lang, v)
			}
			if !ok {
				return "", false
			}
			args[i] = v
		}
		return fmt.Sprintf(frontend.T(lang, p.key), args...), true
	}
	return "", false
}

// groupWord names a group in a clause: "тестовая группа".
func groupWord(lang, g string) string {
	return strings.ToLower(frontend.T(lang, "group_"+g))
}

// groupCounts translates "exposed 30, control 30".
func groupCounts(lang, s string) string {
	parts := strings.Split(s, ", ")
	for i, p := range parts {
		if g, n, ok := strings.Cut(p, " "); ok && (g == "exposed" || g == "control" || g == "all") {
			parts[i] = groupWord(lang, g) + " — " + n
		}
	}
	return strings.Join(parts, ", ")
}

func (w word) write(lang, s string) (string, bool) {
	switch w {
	case aGroup:
		return groupWord(lang, s), true
	case groupCountsWord:
		return groupCounts(lang, s), true
	case anAttribute:
		return segmentName(lang, s), true
	case aReason:
		return translateReason(lang, s)
	case aMetric:
		return metricWord(lang, s), true
	}
	return s, true
}

// metricWord names a metric type in a clause: "запоминаемость рекламы".
func metricWord(lang, m string) string {
	if m == "nps" {
		return "NPS"
	}
	if k := "metric_" + m; frontend.T(lang, k) != k {
		return strings.ToLower(frontend.T(lang, k))
	}
	return m
}
