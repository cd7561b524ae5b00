package stats

import (
	"fmt"
	"math"
	"sort"
)

// checkPValues panics unless every p is in [0, 1].
func checkPValues(p []float64) {
	for i, v := range p {
		if !(v >= 0 && v <= 1) {
			panic(fmt.Sprintf("stats: p-value %v at %d outside [0, 1]", v, i))
		}
	}
}

// ascending returns the indices of p in increasing order of p (stable).
func ascending(p []float64) []int {
	idx := make([]int, len(p))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return p[idx[a]] < p[idx[b]] })
	return idx
}

// BenjaminiHochberg returns the Benjamini-Hochberg adjusted p-values
// (q-values) of the m p-values p, in the same order:
//
//	q_(i) = min_{j >= i} min(1, m p_(j) / j)
//
// for the p-values sorted in increasing order. Rejecting the hypotheses with
// q <= α controls the false discovery rate at α for independent or
// positively dependent tests. The report uses it over a study's metrics.
//
// Source: Benjamini, Y. & Hochberg, Y. (1995) Controlling the false
// discovery rate. JRSS B 57:289-300. Matches statsmodels multipletests
// (method="fdr_bh").
func BenjaminiHochberg(p []float64) []float64 {
	checkPValues(p)
	m := float64(len(p))
	q := make([]float64, len(p))
	idx := ascending(p)
	running := 1.0
	for r := len(idx) - 1; r >= 0; r-- {
		i := idx[r]
		running = math.Min(running, m*p[i]/float64(r+1))
		q[i] = running
	}
	return q
}

// Holm returns Holm's step-down adjusted p-values of p, in the same order:
//
//	q_(i) = max_{j <= i} min(1, (m - j + 1) p_(j))
//
// for the p-values sorted in increasing order. It controls the
// family-wise error rate, uniformly more powerful than Bonferroni.
//
// Source: Holm, S. (1979) A simple sequentially rejective multiple test
// procedure. Scand J Stat 6:65-70. Matches statsmodels multipletests
// (method="holm").
func Holm(p []float64) []float64 {
	checkPValues(p)
	m := len(p)
	q := make([]float64, m)
	running := 0.0
	for r, i := range ascending(p) {
		running = math.Max(running, math.Min(1, float64(m-r)*p[i]))
		q[i] = running
	}
	return q
}

// Bonferroni returns the Bonferroni adjusted p-values min(1, m p) of p.
// It controls the family-wise error rate under any dependence.
//
// Source: Dunn, O. J. (1961) Multiple comparisons among means. JASA
// 56:52-64. Matches statsmodels multipletests(method="bonferroni").
func Bonferroni(p []float64) []float64 {
	checkPValues(p)
	q := make([]float64, len(p))
	for i, v := range p {
		q[i] = math.Min(1, float64(len(p))*v)
	}
	return q
}
