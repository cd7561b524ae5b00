package charts

import "math"

// plot is the frame of a chart with a y axis at the left (Bars, Line):
// the y ticks and their labels, the area inside the axes, and the scale
// of y.
type plot struct {
	left, right, top, bottom float64
	ticks                    []float64
	labels                   []string
	y                        scale
}

// Height of the plotting area of Bars and Line, in viewBox units.
const plotH = 220.0

// newPlot lays out a y axis for the extent e, as format writes its ticks.
func newPlot(e extent, format func(float64) string) plot {
	p := plot{top: pad + 8, right: width - pad}
	p.bottom = p.top + plotH
	p.ticks, p.labels = fitTicks(e.lo, e.hi, plotH, format, false, 0.01)
	widest := 0.0
	for _, l := range p.labels {
		widest = math.Max(widest, textWidth(truncate(l, maxRunes), fontTick))
	}
	p.left = pad + widest + 8
	p.y = scale{p.ticks[0], p.ticks[len(p.ticks)-1], p.bottom, p.top}
	return p
}

// grid draws the horizontal grid lines and the y tick labels.
func (p plot) grid(w *writer) {
	for i, t := range p.ticks {
		y := p.y.at(t)
		w.line("ch-grid", colGrid, 1, p.left, y, p.right, y)
		w.text("ch-label ch-tick", colText, fontTick, p.left-8, y+5, "end", p.labels[i], maxRunes)
	}
}
