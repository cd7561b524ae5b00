package charts

import (
	"html/template"
	"math"
)

// Stacked is a chart of 100% stacked horizontal bars, one per row (say
// Exposed and Control), each split into segments (say detractors,
// passives and promoters), with a legend below.
type Stacked struct {
	ID    string // unique in the page; the ids ID-title and ID-desc are made from it
	Title string // the chart's accessible name
	Desc  string // one-sentence summary, the text alternative
	Rows  []StackedRow
	// Format writes a segment's share when its ValueLabel is empty. Nil
	// writes percent with one decimal ("7.6").
	Format func(float64) string
}

// StackedRow is one bar of a Stacked chart.
type StackedRow struct {
	Label    string // written above the bar, cut at 28 characters
	Segments []Segment
}

// Segment is one part of a stacked bar. The shares of a row are scaled to
// fill the bar, so that rounding cannot leave a gap; a negative, NaN or
// infinite share counts as 0.
type Segment struct {
	Label      string  // the legend's entry
	Share      float64 // 0..1
	Class      string  // ch-detractor, ch-passive, ch-promoter or ch-s1..ch-s5; empty: by position
	ValueLabel string  // written inside the segment when it is at least 8% wide; empty: Format(Share)
}

// Stacked's layout, in viewBox units.
const (
	stackRowH = 64.0
	stackBarY = 25.0 // the bar's top below the row's top
	stackBarH = 28.0
	stackMin  = 0.08 // narrowest share that gets a label inside
)

// SVG draws the chart, or returns "" when it has no rows.
func (c Stacked) SVG() template.HTML {
	if len(c.Rows) == 0 {
		return ""
	}
	format := shareFormatter(c.Format)
	var items []legendItem
	seen := map[string]bool{}
	for _, r := range c.Rows {
		for i, s := range r.Segments {
			class, sw := classFor(s.Class, segmentClasses, i)
			if key := class + "\x00" + s.Label; s.Label != "" && !seen[key] {
				seen[key] = true
				items = append(items, legendItem{s.Label, class, sw.fill})
			}
		}
	}
	top := pad
	legendY := top + float64(len(c.Rows))*stackRowH
	h := legendY + legendHeight(items) + pad/2

	var w writer
	w.open(c.ID, "ch-stacked", c.Title, c.Desc, width, h)
	barX, barW := pad, width-2*pad
	for ri, r := range c.Rows {
		y := top + float64(ri)*stackRowH
		w.text("ch-label", colText, fontLabel, barX, y+17, "start", r.Label, maxRunes)
		total := 0.0
		for _, s := range r.Segments {
			total += share(s.Share)
		}
		if total <= 0 || !finite(total) {
			w.rect("ch-track", colTrack, barX, y+stackBarY, barW, stackBarH)
			continue
		}
		cum := 0.0
		for i, s := range r.Segments {
			v := share(s.Share)
			if v == 0 {
				continue
			}
			x0 := barX + cum/total*barW
			cum += v
			x1 := barX + cum/total*barW
			class, sw := classFor(s.Class, segmentClasses, i)
			w.rect("ch-segment "+class, sw.fill, x0, y+stackBarY, x1-x0, stackBarH,
				"stroke", "#ffffff", "stroke-width", "1")
			label := s.ValueLabel
			if label == "" && finite(s.Share) {
				label = format(s.Share)
			}
			if v/total >= stackMin && label != "" && textWidth(label, fontTick)+8 <= x1-x0 {
				w.text("ch-label ch-seglabel", sw.ink, fontTick, (x0+x1)/2, y+stackBarY+stackBarH/2+5, "middle",
					label, runesFor(x1-x0-8, fontTick))
			}
		}
	}
	w.legend(items, legendY)
	return w.html()
}

// share is s when it is a finite positive number, else 0.
func share(s float64) float64 {
	if !finite(s) || s <= 0 {
		return 0
	}
	return math.Min(s, 1e9)
}
