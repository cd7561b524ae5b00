package charts

import (
	"html/template"
	"math"
)

// Bars is a chart of grouped vertical bars for a distribution: the
// categories (say ratings 1 to 5) along x, one bar per series (say Exposed
// and Control) in each, with optional whiskers, a y axis from zero, and a
// legend when the series have labels.
type Bars struct {
	ID         string // unique in the page; the ids ID-title and ID-desc are made from it
	Title      string // the chart's accessible name
	Desc       string // one-sentence summary, the text alternative
	Categories []string
	Series     []Series // values are shares, 0..1
	// Format writes a y tick, given as a share (0.25); nil writes percent
	// with one decimal ("25.0").
	Format func(float64) string
}

// SVG draws the chart, or returns "" when no series has a finite value.
func (c Bars) SVG() template.HTML {
	n := len(c.Categories)
	for _, s := range c.Series {
		n = max(n, len(s.Values))
	}
	if n == 0 || !hasValue(c.Series) {
		return ""
	}
	e := seriesExtent(c.Series)
	e.add(0)
	p := newPlot(e, shareFormatter(c.Format))
	items := seriesLegend(c.Series)
	groupW := (p.right - p.left) / float64(n)
	perLine := runesFor(groupW-4, fontTick)
	nLines := 1
	for _, cat := range c.Categories {
		nLines = max(nLines, len(wrap(cat, perLine, 2)))
	}
	labelY := p.bottom + 22
	legendY := labelY + 10 + float64(nLines-1)*fontTick*1.2
	h := legendY + legendHeight(items)

	var w writer
	w.open(c.ID, "ch-bars", c.Title, c.Desc, width, h)
	p.grid(&w)

	ns := float64(len(c.Series))
	const gap = 2.0
	barW := math.Min((groupW*0.75-gap*(ns-1))/ns, 56)
	block := barW*ns + gap*(ns-1)
	zero := p.y.at(0)
	for i := range n {
		gx := p.left + float64(i)*groupW
		for si, s := range c.Series {
			v := at(s.Values, i)
			x := gx + (groupW-block)/2 + float64(si)*(barW+gap)
			class, sw := classFor(s.Class, seriesClasses, si)
			if finite(v) {
				y := p.y.at(v)
				w.rect("ch-bar "+class, sw.fill, x, math.Min(y, zero), barW, math.Abs(zero-y))
			}
			whisker(&w, x+barW/2, math.Min(barW/4, 6), p.y, at(s.Low, i), at(s.High, i))
		}
		if i < len(c.Categories) {
			w.lines("ch-label ch-tick", colText, fontTick, gx+groupW/2, labelY, "middle", c.Categories[i], perLine)
		}
	}
	w.line("ch-axis", colAxis, 1, p.left, zero, p.right, zero)
	w.legend(items, legendY)
	return w.html()
}

// whisker draws a vertical interval at x from lo to hi with end caps of
// half width capW, when both bounds are finite.
func whisker(w *writer, x, capW float64, y scale, lo, hi float64) {
	if !finite(lo) || !finite(hi) {
		return
	}
	y0, y1 := y.at(lo), y.at(hi)
	w.line("ch-ci", colText, 1.5, x, y0, x, y1)
	w.line("ch-ci", colText, 1.5, x-capW, y0, x+capW, y0)
	w.line("ch-ci", colText, 1.5, x-capW, y1, x+capW, y1)
}
