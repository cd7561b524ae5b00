package stats_test

import (
	"fmt"

	"github.com/brandlift/brandlift/stats"
)

// A brand-lift study: 2,000 exposed respondents of whom 640 remember the ad,
// against 1,000 in the control group of whom 270 do.
func Example() {
	exposed := stats.Count{Positive: 640, N: 2000}
	control := stats.Count{Positive: 270, N: 1000}
	l := stats.CompareProportions(exposed, control, 0.9)
	fmt.Printf("exposed %.1f%%, control %.1f%%\n", 100*l.Exposed.Rate, 100*l.Control.Rate)
	fmt.Printf("absolute lift %.1f points, 90%% CI [%.1f, %.1f]\n", 100*l.AbsLift, 100*l.AbsLiftCI.Lo, 100*l.AbsLiftCI.Hi)
	fmt.Printf("relative lift %.1f%%, 90%% CI [%.1f%%, %.1f%%]\n", 100*l.RelLift, 100*l.RelLiftCI.Lo, 100*l.RelLiftCI.Hi)
	fmt.Printf("p = %.4f, Fisher p = %.4f, P(exposed > control) = %.3f, significant: %v\n",
		l.PValue, l.PValueFisher, l.ProbPositive, l.Significant)
	im := stats.LiftedUsers(l.AbsLift, l.AbsLiftCI, 1_500_000, 250_000)
	fmt.Printf("lifted users %.0f, cost per lifted user %.2f\n", im.LiftedUsers, im.CostPerLiftedUser)
	// Output:
	// exposed 32.0%, control 27.0%
	// absolute lift 5.0 points, 90% CI [2.1, 7.8]
	// relative lift 18.5%, 90% CI [7.1%, 31.1%]
	// p = 0.0050, Fisher p = 0.0054, P(exposed > control) = 0.998, significant: true
	// lifted users 75000, cost per lifted user 3.33
}

func ExampleCompareProportions_degenerate() {
	// Nobody in the control group answered positively: the relative lift is
	// undefined and the result says so instead of returning NaN.
	l := stats.CompareProportions(stats.Count{Positive: 3, N: 35}, stats.Count{Positive: 0, N: 40}, 0.9)
	fmt.Println(l.Defined, l.RelLiftDefined)
	fmt.Println(l.Reason)
	// Output:
	// true false
	// control rate is 0: relative lift undefined
}

func ExampleWilson() {
	iv := stats.Wilson(stats.Count{Positive: 0, N: 20}, 0.9)
	fmt.Printf("[%.4f, %.4f]\n", iv.Lo, iv.Hi)
	// Output: [0.0000, 0.1192]
}

func ExampleFisherExact() {
	// A million respondents per group.
	p := stats.FisherExact(stats.Count{Positive: 301500, N: 1000000}, stats.Count{Positive: 300000, N: 1000000})
	fmt.Printf("%.6f\n", p)
	// Output: 0.020813
}

func ExampleNPSFromCounts() {
	// counts[k] is the number of answers k on the 0-10 scale.
	counts := [11]int64{5, 2, 3, 4, 6, 10, 15, 30, 45, 50, 30}
	s := stats.NPSFromCounts(counts, 0.9)
	fmt.Printf("n=%d promoters %.1f%% passives %.1f%% detractors %.1f%%\n", s.N, 100*s.Promoters, 100*s.Passives, 100*s.Detractors)
	fmt.Printf("NPS %.1f, 90%% CI [%.1f, %.1f]\n", s.NPS, s.CI.Lo, s.CI.Hi)
	// Output:
	// n=200 promoters 40.0% passives 37.5% detractors 22.5%
	// NPS 17.5, 90% CI [8.5, 26.5]
}

func ExampleCompareRatings() {
	// CSAT on a 1-5 scale from SQL aggregates: n, sum, sum of squares and
	// counts per level.
	exposed := stats.RatingSummary(300, 1170, 4890, []int64{10, 20, 60, 110, 100}, 0.9)
	control := stats.RatingSummary(200, 710, 2810, []int64{15, 25, 45, 65, 50}, 0.9)
	w := stats.CompareRatings(exposed, control, 0.9)
	fmt.Printf("mean %.2f vs %.2f, top-2-box %.1f%% vs %.1f%%\n", exposed.Mean, control.Mean, 100*exposed.Top2Box, 100*control.Top2Box)
	fmt.Printf("difference %.2f, t = %.2f, df = %.0f, p = %.4f\n", w.MeanDiff, w.T, w.DF, w.PValue)
	// Output:
	// mean 3.90 vs 3.55, top-2-box 70.0% vs 57.5%
	// difference 0.35, t = 3.35, df = 384, p = 0.0009
}

func ExampleBenjaminiHochberg() {
	q := stats.BenjaminiHochberg([]float64{0.01, 0.04, 0.03, 0.20})
	fmt.Printf("%.3f\n", q)
	// Output: [0.040 0.053 0.053 0.200]
}

func ExampleSampleSizePerGroup() {
	// Google DV360's table: one-sided 90% significance, 80% power, 50%
	// baseline, a 2-point lift.
	n := stats.SampleSizePerGroup(0.5, 0.02, 0.1, 0.8, stats.Greater)
	fmt.Println(n, "per group,", 2*n, "in total")
	d, _ := stats.MinDetectableLift(0.5, n, n, 0.1, 0.8, stats.Greater)
	fmt.Printf("detectable lift at that size: %.2f points\n", 100*d)
	// Output:
	// 5632 per group, 11264 in total
	// detectable lift at that size: 2.00 points
}

func ExampleSampleRatioMismatch() {
	r := stats.SampleRatioMismatch([]int64{8800, 1200}, []float64{0.9, 0.1})
	fmt.Printf("chi2 = %.1f, p = %.2g, mismatch: %v\n", r.ChiSq, r.PValue, r.Mismatch)
	// Output: chi2 = 44.4, p = 2.6e-11, mismatch: true
}

func ExampleRake() {
	// Cells aggregated in SQL: (age band, gender) with respondent counts.
	cells := []stats.Cell{
		{Levels: []int{0, 0}, Count: 300}, // 18-34, women
		{Levels: []int{0, 1}, Count: 200}, // 18-34, men
		{Levels: []int{1, 0}, Count: 100}, // 35+, women
		{Levels: []int{1, 1}, Count: 100}, // 35+, men
	}
	targets := [][]float64{{0.4, 0.6}, {0.52, 0.48}}
	r := stats.Rake(cells, targets, nil)
	fmt.Printf("converged %v in %d iterations\n", r.Converged, r.Iterations)
	fmt.Printf("weights %.3f\n", r.Weights)
	fmt.Printf("effective n %.1f of 700\n", r.EffectiveN)
	// Output:
	// converged true in 4 iterations
	// weights [0.542 0.587 2.015 2.185]
	// effective n 470.9 of 700
}

func ExampleSequentialLift() {
	// Read every day: the always-valid p-value may be checked at each look.
	s := stats.SequentialLift(stats.Count{Positive: 700, N: 2000}, stats.Count{Positive: 600, N: 2000}, 0.9, 0)
	fmt.Printf("lift %.1f points, confidence sequence [%.1f, %.1f], p = %.4f\n",
		100*s.AbsLift, 100*s.CS.Lo, 100*s.CS.Hi, s.PValue)
	// Output: lift 5.0 points, confidence sequence [0.9, 9.1], p = 0.0208
}

func ExampleCheckTarget() {
	l := stats.CompareProportions(stats.Count{Positive: 700, N: 2000}, stats.Count{Positive: 600, N: 2000}, 0.9)
	e := &stats.Estimate{Value: l.AbsLift, SE: l.AbsLiftSE, CI: l.AbsLiftCI}
	s := stats.CheckTarget(e, 0.03, false)
	fmt.Printf("lift %.1f points [%.1f, %.1f]; P(lift > 3 points) = %.2f: %s\n",
		100*l.AbsLift, 100*l.AbsLiftCI.Lo, 100*l.AbsLiftCI.Hi, s.ProbAbove, s.Status)
	// Output: lift 5.0 points [2.6, 7.4]; P(lift > 3 points) = 0.91: on_track
}

func ExampleStratifiedLift() {
	// Ad recall by age band: the campaign reached mostly young people, who
	// remember ads more often anyway, so the crude lift overstates it.
	strata := []stats.Stratum{
		{Exposed: stats.Count{Positive: 400, N: 800}, Control: stats.Count{Positive: 90, N: 200}}, // 18-34
		{Exposed: stats.Count{Positive: 70, N: 200}, Control: stats.Count{Positive: 200, N: 800}}, // 35+
		{Exposed: stats.Count{Positive: 5, N: 12}},                                                // 65+, no control
	}
	crude := stats.CompareProportions(stats.Count{Positive: 470, N: 1000}, stats.Count{Positive: 290, N: 1000}, 0.9)
	s := stats.StratifiedLift(strata, 0.9)
	fmt.Printf("crude lift %.1f points\n", 100*crude.AbsLift)
	fmt.Printf("stratified lift %.1f points, 90%% CI [%.1f, %.1f], p = %.2g\n",
		100*s.AbsLift, 100*s.AbsLiftCI.Lo, 100*s.AbsLiftCI.Hi, s.PValue)
	fmt.Printf("CMH chi2 = %.1f, p = %.2g, Mantel-Haenszel odds ratio %.2f\n", s.CMH, s.CMHPValue, s.OddsRatioMH)
	fmt.Println(s.Reason)
	// Output:
	// crude lift 18.0 points
	// stratified lift 6.0 points, 90% CI [0.7, 11.3], p = 0.064
	// CMH chi2 = 8.0, p = 0.0046, Mantel-Haenszel odds ratio 1.39
	// 1 strata with one group only left out (12 exposed, 0 control respondents)
}

func ExampleCompareEstimates() {
	// This week's NPS against last week's, from two independent samples.
	last := stats.NPSFromCounts([11]int64{9, 4, 3, 4, 6, 10, 25, 30, 35, 40, 20}, 0.9)
	this := stats.NPSFromCounts([11]int64{5, 2, 3, 4, 6, 10, 15, 30, 45, 50, 30}, 0.9)
	c := stats.CompareEstimates(last.NPS, last.SE, this.NPS, this.SE, 0.9)
	fmt.Printf("NPS %.1f -> %.1f: change %+.1f points, 90%% CI [%.1f, %.1f], p = %.3f\n",
		last.NPS, this.NPS, c.Diff, c.DiffCI.Lo, c.DiffCI.Hi, c.PValue)
	// Output: NPS -0.5 -> 17.5: change +18.0 points, 90% CI [4.8, 31.3], p = 0.025
}
