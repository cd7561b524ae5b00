package charts

// legendItem is one entry of a legend: a swatch of the class's colour and
// the label.
type legendItem struct {
	label, class, fill string
}

// Legend layout, in viewBox units.
const (
	legendLine   = 24.0 // height of one line of entries
	legendSwatch = 12.0
)

// legendHeight is how high the legend of items is when it wraps at the
// chart's width.
func legendHeight(items []legendItem) float64 {
	if len(items) == 0 {
		return 0
	}
	_, lines := legendLayout(items)
	return float64(lines) * legendLine
}

// legendLayout places each item at an x offset and line, wrapping the
// entries that do not fit in the chart's width.
func legendLayout(items []legendItem) (pos [][2]float64, lines int) {
	x, line := pad, 0
	for _, it := range items {
		wd := legendSwatch + 6 + textWidth(truncate(it.label, maxRunes), fontTick)
		if x > pad && x+wd > width-pad {
			x, line = pad, line+1
		}
		pos = append(pos, [2]float64{x, float64(line)})
		x += wd + 20
	}
	return pos, line + 1
}

// legend draws items from the top y.
func (w *writer) legend(items []legendItem, y float64) {
	pos, _ := legendLayout(items)
	for i, it := range items {
		x, ly := pos[i][0], y+pos[i][1]*legendLine
		w.rect("ch-swatch "+it.class, it.fill, x, ly+5, legendSwatch, legendSwatch, "rx", "2")
		w.text("ch-label ch-legend", colText, fontTick, x+legendSwatch+6, ly+16, "start", it.label, maxRunes)
	}
}
