package charts

import (
	"html/template"
	"math"
	"strings"
)

// Line is a line chart over ordered categories (dates such as
// "2026-11-02", or impression buckets "1", "2", "3-5", "6+"): each series
// is a line with a marker per point and, where it has bounds, a
// translucent band for the interval. At most 8 x labels are written, the
// first and the last always among them.
type Line struct {
	ID     string // unique in the page; the ids ID-title and ID-desc are made from it
	Title  string // the chart's accessible name
	Desc   string // one-sentence summary, the text alternative
	X      []string
	Series []Series
	// Format writes a y tick, in the values' own unit; nil writes it with
	// one decimal ("0.1"). Ticks are multiples of 1, 2 or 5 times a power
	// of ten.
	Format func(float64) string
	// ZeroLine draws a dashed reference line at 0 (for a lift) and keeps 0
	// within the y axis.
	ZeroLine bool
}

// maxXLabels is the most x labels a Line writes.
const maxXLabels = 8

// SVG draws the chart, or returns "" when no series has a finite value.
func (c Line) SVG() template.HTML {
	n := len(c.X)
	for _, s := range c.Series {
		n = max(n, len(s.Values))
	}
	if n == 0 || !hasValue(c.Series) {
		return ""
	}
	e := seriesExtent(c.Series)
	if c.ZeroLine {
		e.add(0)
	}
	if m := (e.hi - e.lo) * 0.02; finite(m) {
		lo := e.lo - m
		if e.lo >= 0 && lo < 0 {
			lo = 0 // a chart of counts or shares does not go below zero for padding
		}
		e.add(lo, e.hi+m)
	}
	p := newPlot(e, formatter(c.Format))
	items := seriesLegend(c.Series)
	labelY := p.bottom + 22
	h := labelY + 10 + legendHeight(items)

	label := func(i int) string {
		if i < len(c.X) {
			return c.X[i]
		}
		return ""
	}
	x0 := math.Max(p.left+10, pad+textWidth(truncate(label(0), maxRunes), fontTick)/2)
	x1 := math.Min(p.right-10, width-pad-textWidth(truncate(label(n-1), maxRunes), fontTick)/2)
	xAt := func(i int) float64 {
		if n == 1 {
			return (p.left + p.right) / 2
		}
		return x0 + float64(i)*(x1-x0)/float64(n-1)
	}

	var w writer
	w.open(c.ID, "ch-line-chart", c.Title, c.Desc, width, h)
	p.grid(&w)
	w.line("ch-axis", colAxis, 1, p.left, p.bottom, p.right, p.bottom)
	shown, runes := xLabels(c.X, n, x1-x0)
	for _, i := range shown {
		w.line("ch-axis", colAxis, 1, xAt(i), p.bottom, xAt(i), p.bottom+5)
		w.text("ch-label ch-tick", colText, fontTick, xAt(i), labelY, "middle", label(i), runes)
	}
	if c.ZeroLine {
		w.el("line", "class", "ch-axis ch-zero", "x1", num(p.left), "y1", num(p.y.at(0)), "x2", num(p.right),
			"y2", num(p.y.at(0)), "stroke", colAxis, "stroke-width", "1.5", "stroke-dasharray", "5 4")
	}
	for si, s := range c.Series {
		class, sw := classFor(s.Class, seriesClasses, si)
		band(&w, class, sw.fill, s, n, xAt, p.y)
	}
	for si, s := range c.Series {
		class, sw := classFor(s.Class, seriesClasses, si)
		r := 3.5
		if n > 30 {
			r = 2.5
		}
		for _, run := range runs(n, func(i int) bool { return finite(at(s.Values, i)) }) {
			if len(run) > 1 {
				var pts []string
				for _, i := range run {
					pts = append(pts, num(xAt(i))+","+num(p.y.at(s.Values[i])))
				}
				w.el("polyline", "class", "ch-line "+class, "points", strings.Join(pts, " "), "fill", "none",
					"stroke", sw.fill, "stroke-width", "2.5", "stroke-linejoin", "round", "stroke-linecap", "round")
			}
			for _, i := range run {
				w.el("circle", "class", "ch-marker "+class, "cx", num(xAt(i)), "cy", num(p.y.at(s.Values[i])),
					"r", num(r), "fill", sw.fill, "stroke", "#ffffff", "stroke-width", "1")
			}
		}
	}
	w.legend(items, labelY+10)
	return w.html()
}

// band draws the interval of s as a translucent polygon over each run of
// points with both bounds finite; a lone point gets a whisker instead.
func band(w *writer, class, fill string, s Series, n int, xAt func(int) float64, y scale) {
	ok := func(i int) bool { return finite(at(s.Low, i)) && finite(at(s.High, i)) }
	for _, run := range runs(n, ok) {
		if len(run) == 1 {
			whisker(w, xAt(run[0]), 4, y, s.Low[run[0]], s.High[run[0]])
			continue
		}
		var pts []string
		for _, i := range run {
			pts = append(pts, num(xAt(i))+","+num(y.at(s.High[i])))
		}
		for j := len(run) - 1; j >= 0; j-- {
			i := run[j]
			pts = append(pts, num(xAt(i))+","+num(y.at(s.Low[i])))
		}
		w.el("polygon", "class", "ch-band "+class, "points", strings.Join(pts, " "),
			"fill", fill, "fill-opacity", "0.16", "stroke", "none")
	}
}

// runs splits 0..n-1 into the maximal runs of consecutive indices for
// which ok holds.
func runs(n int, ok func(int) bool) [][]int {
	var out [][]int
	var cur []int
	for i := range n {
		if ok(i) {
			cur = append(cur, i)
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// xLabels chooses which of n x labels to write on an axis of length room,
// at most maxXLabels and as many as fit side by side, always the first and
// the last, and how many characters each may have.
func xLabels(labels []string, n int, room float64) (shown []int, runes int) {
	if n == 1 {
		return []int{0}, maxRunes
	}
	widest := 0.0
	for _, l := range labels {
		widest = math.Max(widest, textWidth(truncate(l, maxRunes), fontTick))
	}
	const gap = 12.0
	k := min(int(room/(widest+gap))+1, maxXLabels, n)
	runes = maxRunes
	if k < 2 {
		k = 2
		runes = runesFor(room-gap, fontTick)
	}
	dx := room / float64(n-1)
	step := int(math.Ceil(float64(n-1) / float64(k-1)))
	for i := 0; i < n-1; i += step {
		shown = append(shown, i)
	}
	// The last label always shows; the one before it gives way if the two
	// would touch.
	if last := shown[len(shown)-1]; len(shown) > 1 && float64(n-1-last)*dx < widest+gap {
		shown = shown[:len(shown)-1]
	}
	return append(shown, n-1), runes
}
