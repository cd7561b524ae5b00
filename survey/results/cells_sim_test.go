package results

import (
	"math/rand/v2"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// binomial draws the number of successes in n trials of probability p.
func binomial(rng *rand.Rand, n int64, p float64) int64 {
	var k int64
	for range n {
		if rng.Float64() < p {
			k++
		}
	}
	return k
}

// TestCellsFamilyWiseError simulates 2,000 three-cell studies (fixed
// seed) in which no cell differs from control or from another cell (30%
// recall everywhere, 300 per arm) and counts the studies where any cell
// is called significant against control, and where any pair is. Holm
// keeps both family-wise error rates at or below alpha = 10%; without the
// correction the first would be about 1 - 0.9^3 = 27% (minus the tests'
// correlation through the shared control). The bound allows three
// binomial standard errors of Monte Carlo noise (0.1 + 3 * 0.0067).
func TestCellsFamilyWiseError(t *testing.T) {
	if testing.Short() {
		t.Skip("simulation")
	}
	st := recallStudy()
	st.ControlShare = 0.25
	st.Cells = []survey.CreativeCell{{Key: "a"}, {Key: "b"}, {Key: "c"}}
	rng := rand.New(rand.NewPCG(14, 2026))
	const runs, n = 2000, 300
	var anyCell, anyPair, anyRaw int
	for range runs {
		arms := []armCount{{survey.GroupControl, n, binomial(rng, n, 0.3)}}
		for _, c := range st.Cells {
			arms = append(arms, armCount{survey.Arm("", survey.GroupExposed, c.Key), n, binomial(rng, n, 0.3)})
		}
		r := buildArms(t, st, arms)
		cell, raw := false, false
		for _, c := range r.Cells.Cells {
			m := c.Metrics[0].(*LiftMetric)
			cell = cell || m.Significant
			raw = raw || m.PValue < 0.1
		}
		pair := false
		for _, p := range r.Cells.Pairs {
			pair = pair || p.Metrics[0].Significant
		}
		anyCell, anyPair, anyRaw = anyCell+b2i(cell), anyPair+b2i(pair), anyRaw+b2i(raw)
	}
	limit := 0.1 + 3*0.0067
	rate := func(k int) float64 { return float64(k) / runs }
	t.Logf("family-wise error: cells vs control %.3f, pairs %.3f, uncorrected cells %.3f", rate(anyCell), rate(anyPair), rate(anyRaw))
	if rate(anyCell) > limit || rate(anyPair) > limit {
		t.Errorf("Holm's family-wise error above alpha: cells %.3f, pairs %.3f (limit %.3f)", rate(anyCell), rate(anyPair), limit)
	}
	if rate(anyRaw) < 0.15 {
		t.Errorf("uncorrected error %.3f: the simulation does not exercise the correction", rate(anyRaw))
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
