package api

import (
	"math"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/stats"
)

// Number words of the results pages: every number of the report goes
// through one of these, in the reader's language.

// between writes a range: "+6.2 to +9.0" or "от +6,2 до +9,0".
func between(lang, lo, hi string) string {
	if lang == "en" {
		return lo + " " + frontend.T(lang, "ci_to") + " " + hi
	}
	return frontend.T(lang, "ci_from") + " " + lo + " " + frontend.T(lang, "ci_to") + " " + hi
}

// ppRange is an interval of a lift in percentage points.
func ppRange(lang string, iv stats.Interval) string {
	return between(lang, frontend.Signed(lang, 100*iv.Lo, 1), frontend.Signed(lang, 100*iv.Hi, 1)) + "\u00a0" + frontend.T(lang, "unit_pp")
}

// pctRange is an interval of a rate in percent.
func pctRange(lang string, iv stats.Interval) string {
	return between(lang, frontend.Num(lang, 100*iv.Lo, 1), frontend.Pct(lang, iv.Hi, 1))
}

// spctRange is an interval of a relative lift in percent, signed.
func spctRange(lang string, iv stats.Interval) string {
	return between(lang, frontend.Signed(lang, 100*iv.Lo, 1), frontend.SignedPct(lang, iv.Hi, 1))
}

// numRange is an interval in the value's own unit (NPS points, a mean).
func numRange(lang string, iv stats.Interval, digits int, signed bool) string {
	f := frontend.Num
	if signed {
		f = frontend.Signed
	}
	return between(lang, f(lang, iv.Lo, digits), f(lang, iv.Hi, digits))
}

// pValue writes a p-value: three decimals, or "< 0.001".
func pValue(lang string, p float64) string {
	if math.IsNaN(p) {
		return "—"
	}
	if p < 0.001 {
		return "<\u00a0" + frontend.Num(lang, 0.001, 3)
	}
	return frontend.Num(lang, p, 3)
}

// money writes an amount in the study's currency.
func money(lang string, x float64, currency string) string {
	s := frontend.Num(lang, x, 2)
	if math.Abs(x) >= 100 {
		s = frontend.Num(lang, x, 0)
	}
	if currency == "" {
		return s
	}
	return s + "\u00a0" + currency
}

// reasonKeys are the texts of the report's reasons (results and stats)
// that the pages translate; any other reason is shown as the report
// gives it.
var reasonKeys = map[string]string{
	"no control respondent answered positively: a relative lift is not defined":                   "rs_why_rel_lift",
	"every control respondent answered positively: there is no headroom":                          "rs_why_headroom",
	"both rates are 0% or 100%: the Wald interval has no width (the Newcombe interval still has)": "rs_why_wald",
	"the study sets no reach": "rs_why_no_reach",
	"the study sets no spend": "rs_why_no_spend",
	"the lift is not positive: no one was lifted, so there is no cost per lifted user":   "rs_why_no_lifted",
	"the lifted users' interval reaches 0: the cost has no upper bound":                  "rs_why_cost_unbounded",
	"no lift, even to a rate of 100%, is detectable with 80% power at these group sizes": "rs_why_mde",
	"the control rate plus the target lift is not a rate between 0% and 100%":            "rs_why_needed",
	"the metric has no estimate yet: not enough data, or undefined for these data":       "rs_why_target",
	"no responses":             "rs_why_no_responses",
	"a group has no responses": "rs_why_group_empty",
	"all answers in one category: standard error is 0":  "rs_why_one_category",
	"no variance in either group: test undefined":       "rs_why_no_variance",
	"one response: no standard deviation or interval":   "rs_why_one_response",
	"all answers equal: standard deviation is 0":        "rs_why_all_equal",
	"a group has fewer than two responses":              "rs_why_two_responses",
	"no spread in either group: test undefined":         "rs_why_no_spread",
	"no variance: every answer alike within each group": "rs_why_seq_variance",
	"sample ratio mismatch: the groups' sizes do not fit control_share; check the ad server's holdout before trusting the lift": "rs_note_srm",
	"not enough data: each group needs at least 50 responses before results are shown":                                          "rs_note_not_enough",
}

// reasonText is a reason in the reader's language, or as given.
func reasonText(lang, why string) string {
	if key, ok := reasonKeys[why]; ok {
		return frontend.T(lang, key)
	}
	return why
}
