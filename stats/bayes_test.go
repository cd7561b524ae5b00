package stats

import (
	"math"
	"testing"
)

// TestProbBetterApproximation checks that where ProbBetter switches from
// Evan Miller's exact sum to the Edgeworth-corrected normal approximation
// (more than 2,000,000 responses, every posterior parameter at least 10,000)
// the approximation is within 1e-6 of the exact sum, over rates from 0.5%
// to 99.5%, group ratios from 1:99 to 99:1 and lifts from -3 to +3 standard
// errors. The exact sum is accurate to about 1e-9 there (see the mpmath
// cases in refs_extra.json).
func TestProbBetterApproximation(t *testing.T) {
	worst, worstPlain := 0.0, 0.0
	totals := []float64{2.1e6, 5e6}
	if testing.Short() {
		totals = totals[:1]
	}
	for _, total := range totals {
		for _, p := range []float64{0.005, 0.05, 0.3, 0.5, 0.9, 0.995} {
			for _, share := range []float64{0.01, 0.1, 0.5, 0.9, 0.99} {
				ne := math.Round(total * share)
				nc := total - ne
				sd := math.Sqrt(p * (1 - p) * (1/ne + 1/nc))
				for _, k := range []float64{-3, -1, -0.2, 0, 0.5, 1.5, 3} {
					xe, xc := math.Round((p+k*sd)*ne), math.Round(p*nc)
					e, c := Count{int64(xe), int64(ne)}, Count{int64(xc), int64(nc)}
					ac, bc, ae, be := 1+xc, 1+nc-xc, 1+xe, 1+ne-xe
					if min(ac, bc, ae, be) < probBetterMinParam {
						if ProbBetter(e, c) != probBetterExact(ac, bc, ae, be) {
							t.Errorf("%v %v: not exact below the parameter threshold", e, c)
						}
						continue
					}
					exact := probBetterExact(ac, bc, ae, be)
					got := ProbBetter(e, c)
					worst = math.Max(worst, math.Abs(got-exact))
					worstPlain = math.Max(worstPlain, math.Abs(normalApprox(ac, bc, ae, be)-exact))
					if math.Abs(got-exact) > 1e-6 {
						t.Errorf("%v vs %v: approximation %.10f, exact %.10f", e, c, got, exact)
					}
				}
			}
		}
	}
	t.Logf("largest |approximation - exact| = %.2g (plain normal approximation: %.2g)", worst, worstPlain)
}

// normalApprox is the plain normal approximation, for comparison.
func normalApprox(a1, b1, a2, b2 float64) float64 {
	m1, v1, _, _ := betaCumulants(a1, b1)
	m2, v2, _, _ := betaCumulants(a2, b2)
	return 0.5 * math.Erfc(-(m2-m1)/math.Sqrt(v1+v2)/math.Sqrt2)
}

func TestProbBetterSymmetry(t *testing.T) {
	for _, pair := range [][2]Count{
		{{3, 10}, {5, 12}}, {{0, 0}, {4, 9}}, {{0, 5}, {5, 5}}, {{120, 1000}, {100, 1000}},
		{{0, 1}, {0, 1}}, {{500, 1000}, {500, 1000}},
	} {
		a := ProbBetter(pair[0], pair[1])
		b := ProbBetter(pair[1], pair[0])
		if math.Abs(a+b-1) > 1e-12 {
			t.Errorf("%v: P(e > c) + P(c > e) = %v", pair, a+b)
		}
	}
	if p := ProbBetter(Count{}, Count{}); math.Abs(p-0.5) > 1e-15 {
		t.Errorf("no data: %v", p)
	}
}
