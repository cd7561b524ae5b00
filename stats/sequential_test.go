package stats

import (
	"math"
	"testing"
)

func TestSequentialLift(t *testing.T) {
	e, c := Count{560, 2000}, Count{500, 2000}
	s := SequentialLift(e, c, 0.9, 0)
	if !s.Defined || s.Tuning != DefaultSequentialTuning {
		t.Fatalf("%+v", s)
	}
	// rho² from the closed form at alpha = 0.1 (Waudby-Smith et al., eq. for ρ).
	la := -2 * math.Log(0.1)
	checkNum(t, "rho2", s.Rho2, (la+math.Log(la+1))/5000, 1e-15)
	// The sequence is wider than the fixed-n Wald interval...
	fixed := WaldInterval(e, c, 0.9)
	if !(s.CS.Lo < fixed.Lo && s.CS.Hi > fixed.Hi) {
		t.Errorf("CS %v not wider than fixed %v", s.CS, fixed)
	}
	// ...and its p-value is larger than the fixed-n one.
	if _, p, _ := ZTest(e, c, TwoSided); !(s.PValue > p) {
		t.Errorf("sequential p %v <= fixed p %v", s.PValue, p)
	}
	// Duality: p <= alpha exactly when the sequence at 1 - alpha excludes 0.
	for _, conf := range []float64{0.8, 0.9, 0.95, 0.99} {
		for _, xe := range []int64{500, 540, 560, 580, 600, 650} {
			seq := SequentialLift(Count{xe, 2000}, c, conf, 4000)
			excl := !seq.CS.Contains(0)
			// ρ is tuned at this confidence, so both use the same ρ.
			if excl != (seq.PValue <= 1-conf) {
				t.Errorf("conf %v x %d: CS %v excludes 0 = %v but p = %v", conf, xe, seq.CS, excl, seq.PValue)
			}
		}
	}
	// Tightest near N*: the half-width times sqrt(N) is smallest there.
	width := func(n int64, tuning float64) float64 {
		q := SequentialLift(Count{n * 3 / 10, n}, Count{n * 3 / 10, n}, 0.9, tuning)
		return q.CS.Width() * math.Sqrt(float64(2*n))
	}
	if !(width(2500, 5000) < width(250, 5000) && width(2500, 5000) < width(25000, 5000)) {
		t.Error("sequence not tightest near N*")
	}
	// Degenerate cases.
	if s := SequentialLift(Count{0, 0}, c, 0.9, 0); s.Defined || s.PValue != 1 || s.Reason == "" {
		t.Errorf("empty group: %+v", s)
	}
	if s := SequentialLift(Count{0, 10}, Count{0, 10}, 0.9, 0); s.Defined || s.PValue != 1 || s.CS != (Interval{}) {
		t.Errorf("no variance: %+v", s)
	}
	assertJSON(t, s)
}
