package charts

import (
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Sizes shared by the charts, in viewBox units.
const (
	width     = 480.0 // viewBox width of every chart but Progress
	pad       = 12.0  // outer margin
	fontLabel = 16.0  // row labels
	fontTick  = 14.0  // axis, category, legend and segment labels
	fontValue = 15.0  // value labels
	maxRunes  = 28    // longer labels are cut with an ellipsis
)

// Default colours, used as presentation attributes; CSS may override them.
const (
	colText  = "#1f2937"
	colAxis  = "#4b5563"
	colGrid  = "#e5e7eb"
	colTrack = "#e5e7eb"
	fontFace = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif"
)

// writer builds the markup of one svg element.
type writer struct {
	b strings.Builder
}

// open writes the svg start tag with its title and desc. kind is the
// chart's class (ch-lift, ...); w and h are the viewBox size.
func (w *writer) open(id, kind, title, desc string, vw, vh float64) {
	id = cleanID(id)
	w.b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" class="ch ` + kind + `" role="img" aria-labelledby="` +
		id + `-title ` + id + `-desc" viewBox="0 0 ` + num(vw) + ` ` + num(vh) +
		`" width="100%" preserveAspectRatio="xMinYMin meet" font-family="` + esc(fontFace) +
		`" font-size="` + num(fontTick) + `">`)
	w.b.WriteString(`<title id="` + id + `-title">` + esc(title) + `</title>`)
	w.b.WriteString(`<desc id="` + id + `-desc">` + esc(desc) + `</desc>`)
}

// html closes the svg and returns it.
func (w *writer) html() template.HTML {
	w.b.WriteString(`</svg>`)
	return template.HTML(w.b.String()) // safe: every text and attribute value went through esc
}

// el writes a childless element; attrs are name, value pairs, and the
// values are escaped.
func (w *writer) el(name string, attrs ...string) {
	w.start(name, attrs...)
	w.b.WriteString(`/>`)
}

// start writes the start of a tag without closing it.
func (w *writer) start(name string, attrs ...string) {
	w.b.WriteString(`<` + name)
	for i := 0; i+1 < len(attrs); i += 2 {
		if attrs[i+1] == "" {
			continue
		}
		w.b.WriteString(` ` + attrs[i] + `="` + esc(attrs[i+1]) + `"`)
	}
}

// line writes a line from (x1, y1) to (x2, y2).
func (w *writer) line(class, stroke string, sw, x1, y1, x2, y2 float64) {
	w.el("line", "class", class, "x1", num(x1), "y1", num(y1), "x2", num(x2), "y2", num(y2),
		"stroke", stroke, "stroke-width", num(sw))
}

// rect writes a filled rectangle.
func (w *writer) rect(class, fill string, x, y, rw, rh float64, attrs ...string) {
	w.el("rect", append([]string{"class", class, "x", num(x), "y", num(y),
		"width", num(math.Max(rw, 0)), "height", num(math.Max(rh, 0)), "fill", fill}, attrs...)...)
}

// text writes a label at (x, y): anchor is start, middle or end. A label
// longer than max runes is cut with an ellipsis, and the full label goes
// in a <title> child, which browsers show on hover. attrs are more
// attributes, as for el.
func (w *writer) text(class, fill string, size, x, y float64, anchor, s string, max int, attrs ...string) {
	short := truncate(s, max)
	w.textStart(class, fill, size, x, y, anchor, attrs)
	if short != s {
		w.b.WriteString(`<title>` + esc(s) + `</title>`)
	}
	w.b.WriteString(esc(short) + `</text>`)
}

// lines writes a label as at most two lines of perLine runes, the first
// with its baseline at y, wrapped at spaces; what does not fit is cut
// with an ellipsis and the full label goes in a <title> child.
func (w *writer) lines(class, fill string, size, x, y float64, anchor, s string, perLine int) {
	ls := wrap(s, perLine, 2)
	w.textStart(class, fill, size, x, y, anchor, nil)
	if strings.Join(ls, " ") != strings.Join(strings.Fields(s), " ") {
		w.b.WriteString(`<title>` + esc(s) + `</title>`)
	}
	for i, l := range ls {
		w.b.WriteString(`<tspan x="` + num(x) + `" y="` + num(y+float64(i)*size*1.2) + `">` + esc(l) + `</tspan>`)
	}
	w.b.WriteString(`</text>`)
}

// textStart writes the start tag of a text element.
func (w *writer) textStart(class, fill string, size, x, y float64, anchor string, attrs []string) {
	if anchor == "start" {
		anchor = ""
	}
	w.start("text", append([]string{"class", class, "x", num(x), "y", num(y), "fill", fill,
		"font-size", num(size), "text-anchor", anchor}, attrs...)...)
	w.b.WriteString(`>`)
}

// halo draws a white outline under a text's letters, so that it stays
// legible where grid lines cross it.
var halo = []string{"stroke", "#ffffff", "stroke-width", "4", "stroke-linejoin", "round", "paint-order", "stroke"}

// esc escapes a text or attribute value.
func esc(s string) string { return html.EscapeString(s) }

// num writes a coordinate with at most two decimals, so that the output
// is short and the same on every machine. A non-finite number, which the
// charts never pass, is written as 0 rather than as NaN.
func num(v float64) string {
	if !finite(v) {
		return "0"
	}
	v = math.Round(v*100) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// at returns xs[i], or NaN when xs is too short: optional bounds may be
// nil or shorter than the values.
func at(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return math.NaN()
}

// truncate cuts s to max runes, the last of them an ellipsis.
func truncate(s string, max int) string {
	if max < 2 {
		max = 2
	}
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	return strings.TrimRight(string(r), " ") + "…"
}

// wrap splits s into at most n lines of at most per runes, breaking at
// spaces (or inside a word longer than a line); the last line is cut with
// an ellipsis when the text does not fit.
func wrap(s string, per, n int) []string {
	words := strings.Fields(s)
	var out []string
	cur := ""
	for len(words) > 0 {
		word := words[0]
		next := word
		if cur != "" {
			next = cur + " " + word
		}
		switch {
		case utf8.RuneCountInString(next) <= per:
			cur, words = next, words[1:]
			continue
		case cur == "": // a word longer than a line
			r := []rune(word)
			cur, words[0] = string(r[:per]), string(r[per:])
		}
		out = append(out, cur)
		cur = ""
		if len(out) == n {
			break
		}
	}
	if cur != "" {
		out = append(out, cur)
	}
	if len(words) > 0 && len(out) == n {
		// Cut the last line, leaving room for the ellipsis.
		out[n-1] = truncate(out[n-1]+" "+strings.Join(words, " "), per)
	}
	return out
}

// textWidth estimates the width of s in a sans-serif font of the given
// size: there is no font metrics on the server, and 0.6 em per character
// errs on the wide side for Latin and Cyrillic text and digits.
func textWidth(s string, size float64) float64 {
	return float64(utf8.RuneCountInString(s)) * size * 0.6
}

// runesFor is how many characters of the given size fit in w units.
func runesFor(w, size float64) int {
	n := int(w / (size * 0.6))
	return min(max(n, 2), maxRunes)
}

// cleanID keeps the letters, digits, - and _ of id, so that it is one
// token of aria-labelledby; an empty id becomes "chart".
func cleanID(id string) string {
	var b strings.Builder
	for _, r := range id {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	if b.Len() == 0 {
		return "chart"
	}
	return b.String()
}

// formatter returns f, or the default for values in their own unit.
func formatter(f func(float64) string) func(float64) string {
	if f != nil {
		return f
	}
	return func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
}

// shareFormatter returns f, or the default for shares (fractions), which
// it writes in percent: 0.076 is "7.6".
func shareFormatter(f func(float64) string) func(float64) string {
	if f != nil {
		return f
	}
	return func(v float64) string { return strconv.FormatFloat(v*100, 'f', 1, 64) }
}
