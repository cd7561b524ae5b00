package stats

import (
	"fmt"
	"math"
)

// Cell is one cell of a table aggregated in SQL: a combination of attribute
// levels (Levels[d] is the level index of dimension d, such as age band 2
// and gender 0), the number of respondents in it and their common base
// (design) weight. Row-level data are cells of Count 1.
type Cell struct {
	Levels []int `json:"levels"`
	Count  int64 `json:"count"`
	// BaseWeight is the starting weight of each respondent in the cell;
	// 0 means 1.
	BaseWeight float64 `json:"base_weight,omitempty"`
}

// RakeOptions tunes Rake. The zero value gives the defaults.
type RakeOptions struct {
	// Tolerance is the largest acceptable |weighted share - target share|
	// over all levels of all dimensions; default 1e-8.
	Tolerance float64
	// MaxIterations caps the number of full sweeps over the dimensions;
	// default 1000.
	MaxIterations int
	// TrimRatio caps each weight at TrimRatio times the mean weight per
	// respondent; default 5. math.Inf(1) turns trimming off.
	TrimRatio float64
}

// Raking is the result of Rake.
type Raking struct {
	// Weights holds one weight per cell, the weight of each respondent in
	// it, normalised so that the mean weight per respondent is 1:
	// Σ n_c w_c = Σ n_c.
	Weights    []float64 `json:"weights"`
	Iterations int       `json:"iterations"`
	Converged  bool      `json:"converged"`
	// MaxError is the largest |weighted share - target share| at the end.
	MaxError  float64 `json:"max_error"`
	MaxWeight float64 `json:"max_weight"`
	MinWeight float64 `json:"min_weight"`
	// EffectiveN is Kish's effective sample size (Σ n_c w_c)² / Σ n_c w_c².
	EffectiveN float64 `json:"effective_n"`
	// Trimmed is the number of non-empty cells whose weight is at the cap.
	Trimmed int    `json:"trimmed"`
	Reason  string `json:"reason,omitempty"`
}

// Rake computes raking weights for cells so that the weighted share of each
// level of each dimension matches targets[d][level] (iterative proportional
// fitting). One sweep visits each dimension d in turn and multiplies the
// weight of every cell at level l by
//
//	targets[d][l] × W / W_{d,l}
//
// where W is the total weight and W_{d,l} the weight at that level. After
// each sweep the weights are normalised to mean 1 per respondent and, if
// trimming is on, weights above TrimRatio (5 by default) times the mean are
// set to that cap and the others scaled up to keep the mean at 1; the next
// sweep then rebalances the margins (trimmed raking). Raking stops when
// every margin is within Tolerance of its target (Converged), or after
// MaxIterations sweeps (not Converged; Reason says how far it got). The
// returned weights always respect the cap, so targets that trimming and
// the margins cannot both meet show as non-convergence.
//
// A level with a positive target but no respondents cannot be matched: the
// result then keeps the base weights, is not Converged and says why.
// A level with target 0 gets weight 0.
//
// It panics if there are no dimensions, if a dimension's targets are
// negative or do not sum to 1 (within 1e-6), if a cell has the wrong number
// of levels or a level out of range, a negative count or base weight, or if
// an option is negative.
//
// Source: Deming, W. E. & Stephan, F. F. (1940) On a least squares
// adjustment of a sampled frequency table when the expected marginal totals
// are known. Ann Math Stat 11:427-444; trimming: Izrael, D., Battaglia,
// M. P. & Frankel, M. R. (2009) Extreme survey weight adjustment as a
// component of sample balancing (a.k.a. raking). SAS Global Forum 247-2009;
// Kish, L. (1965) Survey Sampling, ch. 11.
func Rake(cells []Cell, targets [][]float64, opts *RakeOptions) Raking {
	o := rakeDefaults(opts)
	checkTargets(targets)
	w := make([]float64, len(cells))
	var units float64
	for i, c := range cells {
		if len(c.Levels) != len(targets) {
			panic(fmt.Sprintf("stats: cell %d has %d levels, want %d", i, len(c.Levels), len(targets)))
		}
		for d, l := range c.Levels {
			if l < 0 || l >= len(targets[d]) {
				panic(fmt.Sprintf("stats: cell %d level %d of dimension %d out of range", i, l, d))
			}
		}
		if c.Count < 0 || !(c.BaseWeight >= 0) || math.IsInf(c.BaseWeight, 0) {
			panic(fmt.Sprintf("stats: cell %d has count %d and base weight %v", i, c.Count, c.BaseWeight))
		}
		w[i] = c.BaseWeight
		if w[i] == 0 {
			w[i] = 1
		}
		units += float64(c.Count)
	}
	r := Raking{Weights: w}
	if units == 0 {
		r.Reason = "no respondents"
		return r
	}
	// Every level with a positive target needs respondents.
	for d, t := range targets {
		have := make([]bool, len(t))
		for _, c := range cells {
			if c.Count > 0 {
				have[c.Levels[d]] = true
			}
		}
		for l, share := range t {
			if share > 0 && !have[l] {
				normalise(cells, w, units)
				r.Reason = fmt.Sprintf("level %d of dimension %d has a target of %v but no respondents", l, d, share)
				r.finish(cells, targets, o.TrimRatio)
				return r
			}
		}
	}
	sums := make([][]float64, len(targets))
	for d := range targets {
		sums[d] = make([]float64, len(targets[d]))
	}
	for r.Iterations < o.MaxIterations {
		r.Iterations++
		for d, t := range targets {
			total := levelSums(cells, w, d, sums[d])
			for i, c := range cells {
				l := c.Levels[d]
				if s := sums[d][l]; s > 0 {
					w[i] *= t[l] * total / s
				}
			}
		}
		trimToCap(cells, w, units, o.TrimRatio)
		if marginError(cells, w, targets, sums) <= o.Tolerance {
			r.Converged = true
			break
		}
	}
	r.finish(cells, targets, o.TrimRatio)
	if !r.Converged {
		r.Reason = fmt.Sprintf("did not converge in %d iterations (largest margin error %.3g)", r.Iterations, r.MaxError)
	}
	return r
}

func rakeDefaults(opts *RakeOptions) RakeOptions {
	var o RakeOptions
	if opts != nil {
		o = *opts
	}
	if o.Tolerance < 0 || o.MaxIterations < 0 || o.TrimRatio < 0 || math.IsNaN(o.Tolerance) || math.IsNaN(o.TrimRatio) {
		panic(fmt.Sprintf("stats: invalid raking options %+v", o))
	}
	if o.Tolerance == 0 {
		o.Tolerance = 1e-8
	}
	if o.MaxIterations == 0 {
		o.MaxIterations = 1000
	}
	if o.TrimRatio == 0 {
		o.TrimRatio = 5
	}
	if o.TrimRatio < 1 {
		panic(fmt.Sprintf("stats: trim ratio %v is below 1", o.TrimRatio))
	}
	return o
}

func checkTargets(targets [][]float64) {
	if len(targets) == 0 {
		panic("stats: raking needs at least one dimension")
	}
	for d, t := range targets {
		if len(t) == 0 {
			panic(fmt.Sprintf("stats: dimension %d has no levels", d))
		}
		var s float64
		for _, v := range t {
			if !(v >= 0) {
				panic(fmt.Sprintf("stats: negative target share %v in dimension %d", v, d))
			}
			s += v
		}
		if math.Abs(s-1) > 1e-6 {
			panic(fmt.Sprintf("stats: target shares of dimension %d sum to %v, not 1", d, s))
		}
	}
}

// levelSums fills sums with the weight at each level of dimension d and
// returns the total weight.
func levelSums(cells []Cell, w []float64, d int, sums []float64) float64 {
	clear(sums)
	var total float64
	for i, c := range cells {
		v := float64(c.Count) * w[i]
		sums[c.Levels[d]] += v
		total += v
	}
	return total
}

// marginError returns the largest |weighted share - target| over all
// levels of all dimensions.
func marginError(cells []Cell, w []float64, targets [][]float64, sums [][]float64) float64 {
	var worst float64
	for d, t := range targets {
		total := levelSums(cells, w, d, sums[d])
		for l, share := range t {
			worst = math.Max(worst, math.Abs(sums[d][l]/total-share))
		}
	}
	return worst
}

func weightedTotal(cells []Cell, w []float64) float64 {
	var s float64
	for i, c := range cells {
		s += float64(c.Count) * w[i]
	}
	return s
}

func maxWeight(cells []Cell, w []float64) float64 {
	m := 0.0
	for i, c := range cells {
		if c.Count > 0 {
			m = math.Max(m, w[i])
		}
	}
	return m
}

// normalise scales w so that the mean weight per respondent is 1.
func normalise(cells []Cell, w []float64, units float64) {
	s := weightedTotal(cells, w)
	if s <= 0 {
		return
	}
	k := units / s
	for i := range w {
		w[i] *= k
	}
}

// trimToCap normalises w to mean 1 per respondent and, if a weight exceeds
// limit, sets the weights above it to limit and scales the others up so that
// the mean stays 1, repeating while that pushes more weights over the limit
// (at most once per cell). It needs limit >= 1.
func trimToCap(cells []Cell, w []float64, units, limit float64) {
	normalise(cells, w, units)
	if math.IsInf(limit, 1) || maxWeight(cells, w) <= limit {
		return
	}
	for range len(cells) + 1 {
		var fixed, free float64
		for i, c := range cells {
			if w[i] >= limit {
				fixed += float64(c.Count) * limit
			} else {
				free += float64(c.Count) * w[i]
			}
		}
		k := (units - fixed) / free
		if !(free > 0 && k > 0) {
			return
		}
		more := false
		for i := range w {
			if w[i] >= limit {
				w[i] = limit
				continue
			}
			w[i] *= k
			if w[i] > limit {
				more = true
			}
		}
		if !more {
			return
		}
	}
}

// finish fills the summary fields of r from its weights.
func (r *Raking) finish(cells []Cell, targets [][]float64, trim float64) {
	sums := make([][]float64, len(targets))
	for d := range targets {
		sums[d] = make([]float64, len(targets[d]))
	}
	r.MaxError = marginError(cells, r.Weights, targets, sums)
	r.MinWeight = math.Inf(1)
	for i, c := range cells {
		if c.Count == 0 {
			continue
		}
		r.MinWeight = math.Min(r.MinWeight, r.Weights[i])
		r.MaxWeight = math.Max(r.MaxWeight, r.Weights[i])
		if r.Weights[i] >= trim*(1-1e-9) {
			r.Trimmed++
		}
	}
	counts := make([]int64, len(cells))
	for i, c := range cells {
		counts[i] = c.Count
	}
	r.EffectiveN = KishEffectiveN(r.Weights, counts)
}
