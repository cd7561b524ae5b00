package frontend

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Number formats are the reader's: Russian writes 7,6 and 12 345 (with a
// no-break space), English 7.6 and 12,345.

// Num formats x with digits decimals in lang; NaN and infinities are "—".
func Num(lang string, x float64, digits int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	s := strconv.FormatFloat(x, 'f', digits, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	whole = group(lang, whole)
	if frac != "" {
		sep := "."
		if lang != "en" {
			sep = ","
		}
		whole += sep + frac
	}
	if neg && strings.Trim(s, "0.") != "" {
		return "−" + whole // a real minus sign, as typeset numbers have
	}
	return whole
}

// Int formats a count in lang.
func Int(lang string, n int64) string {
	return Num(lang, float64(n), 0)
}

func group(lang, digits string) string {
	if len(digits) <= 4 && lang != "en" || len(digits) <= 3 {
		return digits // Russian style leaves 4-digit numbers whole
	}
	sep := ","
	if lang != "en" {
		sep = "\u00a0"
	}
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Signed is Num with a sign: +7,6 or −2,1 (zero unsigned).
func Signed(lang string, x float64, digits int) string {
	s := Num(lang, x, digits)
	if x > 0 && s != Num(lang, 0, digits) && s != "—" {
		return "+" + s
	}
	return s
}

// PP formats a difference of proportions (0.076) in percentage points:
// "+7,6 п. п." or "+7.6 p.p.".
func PP(lang string, x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	return Signed(lang, 100*x, 1) + "\u00a0" + T(lang, "unit_pp")
}

// Pct formats a proportion (0.31) as a percentage: "31 %" or "31%".
func Pct(lang string, x float64, digits int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "—"
	}
	if lang == "en" {
		return Num(lang, 100*x, digits) + "%"
	}
	return Num(lang, 100*x, digits) + "\u00a0%"
}

// SignedPct is Pct with a sign, for relative lifts.
func SignedPct(lang string, x float64, digits int) string {
	s := Pct(lang, x, digits)
	if x > 0 && s != "—" && !strings.HasPrefix(s, Num(lang, 0, digits)) {
		return "+" + s
	}
	return s
}

var monthsRU = [...]string{"янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.", "дек."}

// Date formats a day: "2 дек. 2026" or "2 Dec 2026"; the zero time is "—".
func Date(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	if lang == "en" {
		return t.Format("2 Jan 2006")
	}
	return strconv.Itoa(t.Day()) + " " + monthsRU[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DayMonth formats a day without its year, for a chart's axis: "16 нояб."
// or "16 Nov".
func DayMonth(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	if lang == "en" {
		return t.Format("2 Jan")
	}
	return strconv.Itoa(t.Day()) + " " + monthsRU[t.Month()-1]
}

// Month formats a month: "нояб. 2026" or "Nov 2026".
func Month(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	t = t.UTC()
	if lang == "en" {
		return t.Format("Jan 2006")
	}
	return monthsRU[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// DateTime formats a moment to the minute, in UTC.
func DateTime(lang string, t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return Date(lang, t) + " " + t.UTC().Format("15:04") + " UTC"
}
