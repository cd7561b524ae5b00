package api

import (
	"math"
	"strings"

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

// pIs writes "p = 0.012", or "p < 0.001" (never "p = < 0.001"); name is
// p or q.
func pIs(lang, name string, p float64) string {
	v := pValue(lang, p)
	if strings.HasPrefix(v, "<") {
		return name + " " + v
	}
	return name + " = " + v
}
