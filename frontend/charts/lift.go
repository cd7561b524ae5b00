package charts

import (
	"html/template"
	"math"
)

// Lift is a forest plot of lifts: one row per metric, a line with its label
// at the left and its value label at the right, above a whisker for the
// interval and a point for the lift, with a vertical line at zero. The x
// axis always includes zero.
type Lift struct {
	ID    string // unique in the page; the ids ID-title and ID-desc are made from it
	Title string // the chart's accessible name
	Desc  string // one-sentence summary, the text alternative
	Rows  []LiftRow
	// Format writes an x tick, given as a fraction (0.05 for +5 p.p.);
	// ticks are multiples of 1, 2 or 5 times a power of ten. Nil writes
	// percentage points with one decimal ("5.0").
	Format func(float64) string
	// SignificantLabel and NotSignificantLabel, when both are set, make a
	// legend for the filled and the hollow point.
	SignificantLabel, NotSignificantLabel string
}

// LiftRow is one metric of a Lift chart. A NaN or infinite value or bound
// is not drawn.
type LiftRow struct {
	Label       string  // the metric's name, cut at 28 characters
	Value       float64 // absolute lift, a fraction: 0.076 is +7.6 p.p.
	Low, High   float64 // the interval's bounds, fractions; swapped if Low > High
	Significant bool    // a filled point (ch-sig) rather than a hollow one (ch-nonsig)
	ValueLabel  string  // written at the right of the row's label line, e.g. "+7.6 p.p."
}

// Lift's layout, in viewBox units.
const (
	liftRowH   = 50.0 // one row: label, then whisker
	liftWhisk  = 36.0 // whisker centre below the row's top
	liftCap    = 6.0  // half height of a whisker's end cap
	liftRadius = 6.0  // the point
)

// SVG draws the chart, or returns "" when it has no rows.
func (c Lift) SVG() template.HTML {
	if len(c.Rows) == 0 {
		return ""
	}
	format := shareFormatter(c.Format)
	var ext extent
	ext.add(0)
	for _, r := range c.Rows {
		ext.add(r.Value, r.Low, r.High)
	}
	left, right := pad+16, width-pad-16
	ts, labels := fitTicks(ext.lo, ext.hi, right-left, format, true, 0.01)
	// Keep the first and the last tick label inside the viewBox.
	left = math.Max(left, pad+textWidth(labels[0], fontTick)/2)
	right = math.Min(right, width-pad-textWidth(labels[len(labels)-1], fontTick)/2)
	x := scale{ts[0], ts[len(ts)-1], left, right}

	top := pad
	axisY := top + float64(len(c.Rows))*liftRowH + 6
	legend := c.SignificantLabel != "" && c.NotSignificantLabel != ""
	h := axisY + 30
	if legend {
		h += 28
	}

	var w writer
	w.open(c.ID, "ch-lift", c.Title, c.Desc, width, h)
	for _, t := range ts {
		w.line("ch-grid", colGrid, 1, x.at(t), top, x.at(t), axisY)
	}
	w.line("ch-axis", colAxis, 1, left, axisY, right, axisY)
	for i, t := range ts {
		w.line("ch-axis", colAxis, 1, x.at(t), axisY, x.at(t), axisY+5)
		w.text("ch-label ch-tick", colText, fontTick, x.at(t), axisY+19, "middle", labels[i], maxRunes)
	}
	w.line("ch-axis ch-zero", colAxis, 1.5, x.at(0), top, x.at(0), axisY)

	for i, r := range c.Rows {
		y := top + float64(i)*liftRowH
		// The label at the left and the value at the right of a line
		// above the whisker, so that the axis has the whole width.
		room := width - 2*pad
		if r.ValueLabel != "" {
			value := truncate(r.ValueLabel, maxRunes)
			w.text("ch-label ch-value", colText, fontValue, width-pad, y+17, "end", value, maxRunes,
				append([]string{"font-weight", "600"}, halo...)...)
			room -= textWidth(value, fontValue) + 16
		}
		w.text("ch-label", colText, fontLabel, pad, y+17, "start", r.Label, runesFor(room, fontLabel), halo...)
		c.row(&w, x, r, y+liftWhisk)
	}
	if legend {
		ly := h - 14
		lx := left
		for _, sig := range []bool{true, false} {
			label := c.NotSignificantLabel
			if sig {
				label = c.SignificantLabel
			}
			point(&w, lx+liftRadius, ly-4, sig)
			w.text("ch-label ch-legend", colText, fontTick, lx+liftRadius*2+6, ly, "start", label, maxRunes)
			lx += liftRadius*2 + 6 + textWidth(truncate(label, maxRunes), fontTick) + 24
		}
	}
	return w.html()
}

// row draws the whisker and the point of r, centred on the line cy.
func (c Lift) row(w *writer, x scale, r LiftRow, cy float64) {
	lo, hi := r.Low, r.High
	if finite(lo) && finite(hi) && lo > hi {
		lo, hi = hi, lo
	}
	// A whisker goes from bound to bound, or from the point to the one
	// finite bound.
	from, to := lo, hi
	if !finite(from) {
		from = r.Value
	}
	if !finite(to) {
		to = r.Value
	}
	if finite(from) && finite(to) && (finite(lo) || finite(hi)) {
		w.line("ch-ci", colText, 2, x.at(from), cy, x.at(to), cy)
		for _, b := range []float64{lo, hi} {
			if finite(b) {
				w.line("ch-ci", colText, 2, x.at(b), cy-liftCap, x.at(b), cy+liftCap)
			}
		}
	}
	if finite(r.Value) {
		point(w, x.at(r.Value), cy, r.Significant)
	}
}

// point draws a Lift point: filled when significant, hollow when not.
func point(w *writer, cx, cy float64, significant bool) {
	if significant {
		s := palette["ch-sig"]
		w.el("circle", "class", "ch-point ch-sig", "cx", num(cx), "cy", num(cy), "r", num(liftRadius),
			"fill", s.fill, "stroke", s.fill, "stroke-width", "2")
		return
	}
	s := palette["ch-nonsig"]
	w.el("circle", "class", "ch-point ch-nonsig", "cx", num(cx), "cy", num(cy), "r", num(liftRadius),
		"fill", "#ffffff", "stroke", s.fill, "stroke-width", "2")
}
