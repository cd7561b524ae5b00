package charts

// Series is one set of values of a Bars or Line chart, one value per
// category. A NaN or infinite value or bound is not drawn.
type Series struct {
	Label  string    // the legend's entry; no legend when every series' Label is empty
	Class  string    // ch-exposed, ch-control, ch-s1..ch-s5; empty: by position (exposed, control, ...)
	Values []float64 // one per category
	// Low and High, optional (nil, or shorter than Values), are the bounds
	// of each value's interval: whiskers on Bars, a band on Line.
	Low, High []float64
}

// seriesLegend is the legend of the series, or nil when none has a label.
func seriesLegend(series []Series) []legendItem {
	var items []legendItem
	named := false
	for i, s := range series {
		class, sw := classFor(s.Class, seriesClasses, i)
		items = append(items, legendItem{s.Label, class, sw.fill})
		named = named || s.Label != ""
	}
	if !named {
		return nil
	}
	return items
}

// seriesExtent is the extent of the series' values and bounds.
func seriesExtent(series []Series) extent {
	var e extent
	for _, s := range series {
		e.add(s.Values...)
		e.add(s.Low...)
		e.add(s.High...)
	}
	return e
}

// hasValue reports whether some series has a finite value to draw.
func hasValue(series []Series) bool {
	for _, s := range series {
		for _, v := range s.Values {
			if finite(v) {
				return true
			}
		}
	}
	return false
}
