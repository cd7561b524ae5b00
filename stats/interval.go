package stats

import (
	"encoding/json"
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// Interval is a closed interval [Lo, Hi], such as a confidence interval.
// It encodes to JSON as the two-element array [lo, hi], the form the results
// report uses.
type Interval struct {
	Lo, Hi float64
}

// Contains reports whether Lo <= x <= Hi.
func (iv Interval) Contains(x float64) bool { return iv.Lo <= x && x <= iv.Hi }

// Width returns Hi - Lo.
func (iv Interval) Width() float64 { return iv.Hi - iv.Lo }

// Scale returns the interval multiplied by k; a negative k swaps the ends.
func (iv Interval) Scale(k float64) Interval {
	if k < 0 {
		return Interval{Lo: iv.Hi * k, Hi: iv.Lo * k}
	}
	return Interval{Lo: iv.Lo * k, Hi: iv.Hi * k}
}

// MarshalJSON encodes the interval as [lo, hi].
func (iv Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal([2]float64{iv.Lo, iv.Hi})
}

// UnmarshalJSON decodes an interval from [lo, hi].
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var a [2]float64
	if err := json.Unmarshal(b, &a); err != nil {
		return fmt.Errorf("stats: interval must be [lo, hi]: %w", err)
	}
	iv.Lo, iv.Hi = a[0], a[1]
	return nil
}

// Count is the number of positive answers (Positive) among N responses of
// one group. Counts are int64 so that studies of millions of responses fit.
type Count struct {
	Positive int64 `json:"positive"`
	N        int64 `json:"n"`
}

// Rate returns Positive / N, or 0 when N is 0.
func (c Count) Rate() float64 {
	c.check()
	if c.N == 0 {
		return 0
	}
	return float64(c.Positive) / float64(c.N)
}

func (c Count) check() {
	if c.N < 0 || c.Positive < 0 || c.Positive > c.N {
		panic(fmt.Sprintf("stats: invalid count %d of %d", c.Positive, c.N))
	}
}

// Alternative is the alternative hypothesis of a test. Greater means that
// the exposed group's value is larger than the control group's.
type Alternative int

const (
	// TwoSided tests for a difference in either direction.
	TwoSided Alternative = iota
	// Greater tests whether exposed > control (one-sided).
	Greater
	// Less tests whether exposed < control (one-sided).
	Less
)

// String returns "two-sided", "greater" or "less".
func (a Alternative) String() string {
	switch a {
	case TwoSided:
		return "two-sided"
	case Greater:
		return "greater"
	case Less:
		return "less"
	}
	return fmt.Sprintf("Alternative(%d)", int(a))
}

func (a Alternative) check() {
	if a != TwoSided && a != Greater && a != Less {
		panic(fmt.Sprintf("stats: unknown alternative %d", int(a)))
	}
}

// checkConfidence panics unless 0 < c < 1.
func checkConfidence(c float64) {
	if !(c > 0 && c < 1) {
		panic(fmt.Sprintf("stats: confidence %v outside (0, 1)", c))
	}
}

// checkOpenUnit panics unless 0 < p < 1; name is used in the message.
func checkOpenUnit(name string, p float64) {
	if !(p > 0 && p < 1) {
		panic(fmt.Sprintf("stats: %s %v outside (0, 1)", name, p))
	}
}

// zTwoSided returns the standard normal quantile z_{1-(1-c)/2} for a
// two-sided interval at confidence c.
func zTwoSided(c float64) float64 {
	checkConfidence(c)
	return distuv.UnitNormal.Quantile(1 - (1-c)/2)
}

// normalP returns the p-value of the standard normal statistic z under the
// alternative a:
//
//	Greater: 1 - Φ(z) = erfc(z/√2)/2,  Less: Φ(z) = erfc(-z/√2)/2,
//	TwoSided: 2(1 - Φ(|z|)) = erfc(|z|/√2).
//
// It uses math.Erfc, which keeps its relative accuracy down to the smallest
// positive double (|z| ≈ 38.5 two-sided), instead of 1 - erf or 1 - Φ,
// which cancel to 0 near |z| = 8.3 (p ≈ 1e-16). The rounding of z/√2 costs
// about z² × 1e-16 relative, 1.5e-13 at z = 37 (p = 1e-299).
func normalP(z float64, a Alternative) float64 {
	switch a {
	case Greater:
		return 0.5 * math.Erfc(z/math.Sqrt2)
	case Less:
		return 0.5 * math.Erfc(-z/math.Sqrt2)
	}
	return math.Min(1, math.Erfc(math.Abs(z)/math.Sqrt2))
}

// clamp returns x limited to [lo, hi].
func clamp(x, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, x))
}

// note joins reasons with "; ".
func note(reason, s string) string {
	if reason == "" {
		return s
	}
	return reason + "; " + s
}
