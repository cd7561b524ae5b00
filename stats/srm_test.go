package stats

import (
	"fmt"
	"testing"
)

// TestSRMReference checks SampleRatioMismatch against scipy.stats.chisquare
// (srm cases of refs_extra.json).
func TestSRMReference(t *testing.T) {
	refs := loadRefs(t, "refs_extra.json")
	if len(refs.SRM) == 0 {
		t.Fatal("no srm cases")
	}
	for i, c := range refs.SRM {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			r := SampleRatioMismatch(c.ints(t, "observed"), c.floats(t, "shares"))
			checkNum(t, "chi2", r.ChiSq, c.f(t, "chi_sq"), tolClosed)
			checkP(t, "p", r.PValue, c.f(t, "p_value"), 1e-9)
			if r.Mismatch != (r.PValue < 0.001) || !r.Defined {
				t.Errorf("mismatch = %v at p = %v", r.Mismatch, r.PValue)
			}
			c.done(t)
		})
	}
}

func TestSRM(t *testing.T) {
	// A 90/10 split that came out 88/12 over 10,000 responses is broken.
	r := SampleRatioMismatch([]int64{8800, 1200}, []float64{0.9, 0.1})
	if !r.Mismatch || r.DF != 1 || r.Expected[1] != 1000 {
		t.Errorf("88/12 = %+v", r)
	}
	if r := SampleRatioMismatch([]int64{9010, 990}, []float64{0.9, 0.1}); r.Mismatch {
		t.Errorf("90.1/9.9 flagged: %+v", r)
	}
	if r := SampleRatioMismatch([]int64{0, 0}, []float64{0.5, 0.5}); r.Defined || r.PValue != 1 || r.Reason == "" {
		t.Errorf("empty = %+v", r)
	}
}
