package charts_test

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/frontend/charts"
)

// A lift chart for an English page; a Russian one passes a Format that
// writes a decimal comma and "п.п.".
func ExampleLift() {
	pp := func(v float64) string { return strconv.FormatFloat(v*100, 'f', 0, 64) + " p.p." }
	chart := charts.Lift{
		ID:     "lift-awareness",
		Title:  "Lift by metric",
		Desc:   "Awareness rose by 7.6 p.p.; consideration did not change significantly.",
		Format: pp,
		Rows: []charts.LiftRow{
			{Label: "Awareness", Value: 0.076, Low: 0.041, High: 0.111, Significant: true, ValueLabel: "+7.6 p.p."},
			{Label: "Consideration", Value: -0.012, Low: -0.045, High: 0.021, ValueLabel: "−1.2 p.p."},
		},
		SignificantLabel: "significant", NotSignificantLabel: "not significant",
	}
	svg := string(chart.SVG()) // a template.HTML, for {{.Chart}} in a page
	fmt.Println(strings.HasPrefix(svg, `<svg `), strings.Count(svg, `class="ch-point ch-sig"`))
	fmt.Println(strings.Contains(svg, ">0 p.p.</text>"), strings.Contains(svg, ">10 p.p.</text>"))
	// Output:
	// true 2
	// true true
}

// A chart with nothing to draw is "", for the page to say so in words.
func ExampleBars_empty() {
	fmt.Printf("%q\n", charts.Bars{ID: "rating", Categories: []string{"1", "2"}}.SVG())
	// Output: ""
}
