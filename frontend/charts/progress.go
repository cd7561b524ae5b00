package charts

import (
	"html/template"
	"math"
)

// Progress is a small horizontal bar of progress against a target, for a
// list of studies (a page under a strict Content-Security-Policy cannot
// size a bar with style="width: ..."): a track, the part filled up to the
// target (never past it) and the caller's label at the right. Without a
// target the bar is full and neutral, as there is nothing to measure
// against. Unlike the other charts it is never empty.
type Progress struct {
	ID     string // unique in the page; the ids ID-title and ID-desc are made from it
	Title  string // the chart's accessible name
	Desc   string // one-sentence summary, the text alternative
	Value  int    // done so far; below 0 counts as 0
	Target int    // 0 or less: no target
	Label  string // written at the right: "120 / 400", or "120" without a target; "": no text, a longer bar
}

// Progress's layout, in viewBox units: a fixed bar length, so that the
// bars of a list line up whatever their labels.
const (
	progressW    = 240.0
	progressH    = 24.0
	progressBar  = 120.0
	progressBarH = 12.0
)

// SVG draws the bar. Without a Label the bar takes the whole width, for
// a page that writes the numbers in HTML beside it.
func (c Progress) SVG() template.HTML {
	var w writer
	w.open(c.ID, "ch-progress", c.Title, c.Desc, progressW, progressH)
	y := (progressH - progressBarH) / 2
	bar := progressBar
	if c.Label == "" {
		bar = progressW
	}
	switch {
	case c.Target <= 0:
		w.rect("ch-fill ch-neutral", palette["ch-passive"].fill, 0, y, bar, progressBarH, "rx", "3")
	default:
		w.rect("ch-track", colTrack, 0, y, bar, progressBarH, "rx", "3")
		f := math.Min(float64(max(c.Value, 0))/float64(c.Target), 1)
		class, fill := "ch-fill", palette["ch-exposed"].fill
		if f >= 1 {
			class, fill = "ch-fill ch-done", palette["ch-promoter"].fill
		}
		if f > 0 {
			w.rect(class, fill, 0, y, f*bar, progressBarH, "rx", "3")
		}
	}
	if c.Label != "" {
		room := progressW - bar - 8
		w.text("ch-label ch-value", colText, fontTick, bar+8, progressH/2+5, "start", c.Label,
			runesFor(room, fontTick))
	}
	return w.html()
}
