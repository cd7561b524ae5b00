package stats_test

import (
	"fmt"

	"github.com/brandlift/brandlift/stats"
)

// Is +4 points of ad recall good? The absolute lifts of an installation's
// closed studies, their quartiles, and where +4 points falls among them.
func ExamplePercentileRank() {
	lifts := []float64{0.012, 0.018, 0.025, 0.031, 0.047, 0.052, 0.06}
	q := stats.SampleQuartiles(lifts)
	fmt.Printf("median %.1f points, quartiles %.1f to %.1f\n", 100*q.Median, 100*q.Q1, 100*q.Q3)
	fmt.Printf("+4 points is at the %.0fth percentile\n", stats.PercentileRank(lifts, 0.04))
	// Output:
	// median 3.1 points, quartiles 2.1 to 5.0
	// +4 points is at the 57th percentile
}
