package stats

import (
	"fmt"
	"math"
	"slices"
	"sort"
)

// Quartiles are the lower quartile, median and upper quartile of a sample,
// each by Quantile.
type Quartiles struct {
	Q1     float64 `json:"q1"`
	Median float64 `json:"median"`
	Q3     float64 `json:"q3"`
}

// Quantile returns the p-quantile of the sorted sample x by linear
// interpolation between order statistics, Hyndman and Fan's definition 7
// (the default of numpy.quantile, R's quantile and Excel's PERCENTILE.INC):
//
//	h = (n - 1) p,  Q(p) = x[⌊h⌋] + (h - ⌊h⌋) (x[⌊h⌋+1] - x[⌊h⌋]),
//
// with x indexed from 0, so Q(0) is the minimum, Q(1) the maximum and, for
// one value, every quantile is that value. gonum's stat.Quantile offers
// only the empirical step function and definition 4 (LinInterp), whose
// quartiles differ from those of numpy and R on small samples; norms are
// compared with numbers from those tools, hence definition 7.
//
// It panics if x is empty, not sorted ascending, or holds NaN or an
// infinity, or if p is outside [0, 1].
//
// Source: Hyndman, R. J. and Fan, Y. (1996) Sample quantiles in
// statistical packages. Am Stat 50(4):361-365, definition 7.
func Quantile(p float64, x []float64) float64 {
	if !(p >= 0 && p <= 1) {
		panic(fmt.Sprintf("stats: quantile probability %v outside [0, 1]", p))
	}
	checkSample(x)
	if !sort.Float64sAreSorted(x) {
		panic("stats: quantile of an unsorted sample")
	}
	h := float64(len(x)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[i] + (h-lo)*(x[i+1]-x[i])
}

// SampleQuartiles returns the quartiles of x by Quantile (definition 7).
// x need not be sorted and is not modified. It panics if x is empty or
// holds NaN or an infinity.
func SampleQuartiles(x []float64) Quartiles {
	checkSample(x)
	s := slices.Clone(x)
	slices.Sort(s)
	return Quartiles{Q1: Quantile(0.25, s), Median: Quantile(0.5, s), Q3: Quantile(0.75, s)}
}

// PercentileRank returns where v falls among the sample x, in percent
// from 0 to 100: the mean of the share of values strictly below v and the
// share of values at or below v,
//
//	rank = 100 (#{x_i < v} + #{x_i ≤ v}) / (2n),
//
// which is scipy.stats.percentileofscore(x, v, kind='mean'). Ties count
// half, so v equal to every value ranks 50, a v above them all 100 and
// one below them all 0. x need not be sorted.
//
// It panics if x is empty or holds NaN or an infinity, or if v is NaN.
//
// Source: scipy.stats.percentileofscore, kind='mean' (SciPy 1.10
// reference manual): the mid-rank convention for ties.
func PercentileRank(x []float64, v float64) float64 {
	checkSample(x)
	if math.IsNaN(v) {
		panic("stats: percentile rank of NaN")
	}
	var below, atOrBelow int
	for _, xi := range x {
		if xi < v {
			below++
		}
		if xi <= v {
			atOrBelow++
		}
	}
	return 100 * float64(below+atOrBelow) / float64(2*len(x))
}

func checkSample(x []float64) {
	if len(x) == 0 {
		panic("stats: empty sample")
	}
	for _, xi := range x {
		if math.IsNaN(xi) || math.IsInf(xi, 0) {
			panic(fmt.Sprintf("stats: %v in sample", xi))
		}
	}
}
