package stats

import (
	"math"
	"testing"
)

func TestCompareWeightedUnitWeights(t *testing.T) {
	// With all weights 1, n_eff = n and the weighted comparison is the
	// unweighted one.
	e := WeightCells([]int64{300, 200}, []int64{90, 50}, []float64{1, 1})
	c := WeightCells([]int64{400, 100}, []int64{100, 20}, []float64{1, 1})
	if e.N != 500 || e.Positive != 140 || e.EffectiveN != 500 || e.Rate != 0.28 {
		t.Fatalf("WeightCells = %+v", e)
	}
	w := CompareWeighted(e, c, 0.9)
	u := CompareProportions(Count{140, 500}, Count{120, 500}, 0.9)
	if !w.Weighted || u.Weighted {
		t.Error("Weighted flag")
	}
	for name, pair := range map[string][2]float64{
		"abs":      {w.AbsLift, u.AbsLift},
		"abs lo":   {w.AbsLiftCI.Lo, u.AbsLiftCI.Lo},
		"abs hi":   {w.AbsLiftCI.Hi, u.AbsLiftCI.Hi},
		"rel lo":   {w.RelLiftCI.Lo, u.RelLiftCI.Lo},
		"hdr hi":   {w.HeadroomLiftCI.Hi, u.HeadroomLiftCI.Hi},
		"p":        {w.PValue, u.PValue},
		"fisher":   {w.PValueFisher, u.PValueFisher},
		"prob":     {w.ProbPositive, u.ProbPositive},
		"wilson e": {w.Exposed.CI.Lo, u.Exposed.CI.Lo},
	} {
		checkNum(t, name, pair[0], pair[1], 1e-12)
	}
	if w.Exposed.EffectiveN != 500 || w.Exposed.N != 500 || w.Exposed.Positive != 140 {
		t.Errorf("exposed = %+v", w.Exposed)
	}
}

func TestCompareWeightedVariance(t *testing.T) {
	// Unequal weights: the Wald half-width uses p(1-p)/n_eff.
	e := WeightCells([]int64{100, 100}, []int64{40, 20}, []float64{2, 0.5})
	c := WeightCells([]int64{150, 50}, []int64{30, 10}, []float64{1, 1})
	wantE := (40*2.0 + 20*0.5) / (100*2.0 + 100*0.5)
	checkNum(t, "rate", e.Rate, wantE, 1e-15)
	checkNum(t, "n_eff", e.EffectiveN, 250.0*250/(100*4+100*0.25), 1e-15)
	l := CompareWeighted(e, c, 0.95)
	z := 1.959963984540054
	h := z * math.Sqrt(e.Rate*(1-e.Rate)/e.EffectiveN+c.Rate*(1-c.Rate)/c.EffectiveN)
	checkNum(t, "wald half-width", l.AbsLiftWaldCI.Hi-l.AbsLift, h, 1e-12)
	if !(l.AbsLiftCI.Width() > CompareProportions(Count{60, 200}, Count{40, 200}, 0.95).AbsLiftCI.Width()) {
		t.Error("weighting did not widen the interval")
	}
	// Empty groups.
	if l := CompareWeighted(WeightedProportion{}, c, 0.9); l.Defined || l.PValue != 1 {
		t.Errorf("empty weighted group: %+v", l)
	}
	if wp := WeightCells(nil, nil, nil); wp.Rate != 0 || wp.EffectiveN != 0 {
		t.Errorf("no cells: %+v", wp)
	}
}

func TestStandardizedLift(t *testing.T) {
	one := StandardizedLift([]WeightedStratum{{Weight: 3, Exposed: Count{30, 100}, Control: Count{20, 100}}}, 0.9)
	wald := WaldInterval(Count{30, 100}, Count{20, 100}, 0.9)
	checkIv(t, "one stratum", one.AbsLiftCI, wald, 1e-12)
	checkNum(t, "one stratum lift", one.AbsLift, 0.1, 1e-12)

	s := []WeightedStratum{
		{Weight: 0.25, Exposed: Count{30, 100}, Control: Count{20, 100}},
		{Weight: 0.75, Exposed: Count{50, 200}, Control: Count{45, 300}},
	}
	r := StandardizedLift(s, 0.9)
	want := 0.25*(0.3-0.2) + 0.75*(0.25-0.15)
	v := 0.0625*(0.3*0.7/100+0.2*0.8/100) + 0.5625*(0.25*0.75/200+0.15*0.85/300)
	checkNum(t, "lift", r.AbsLift, want, 1e-12)
	checkNum(t, "se", r.SE, math.Sqrt(v), 1e-12)
	checkNum(t, "z", r.Z, want/math.Sqrt(v), 1e-12)
	checkNum(t, "p", r.PValue, normalP(r.Z, TwoSided), 1e-12)
	if !r.Defined {
		t.Error("undefined")
	}
	// Weights are normalised; a zero-weight stratum may be empty.
	s2 := append([]WeightedStratum{{Weight: 0}}, WeightedStratum{Weight: 1, Exposed: s[0].Exposed, Control: s[0].Control}, WeightedStratum{Weight: 3, Exposed: s[1].Exposed, Control: s[1].Control})
	checkNum(t, "normalised", StandardizedLift(s2, 0.9).AbsLift, want, 1e-12)
	if r := StandardizedLift([]WeightedStratum{{Weight: 1, Exposed: Count{0, 0}, Control: Count{1, 2}}}, 0.9); r.Defined || r.Reason == "" || r.PValue != 1 {
		t.Errorf("empty group: %+v", r)
	}
	if r := StandardizedLift([]WeightedStratum{{Weight: 1, Exposed: Count{5, 5}, Control: Count{0, 5}}}, 0.9); !r.Defined || r.PValue != 1 || r.AbsLift != 1 || r.Reason == "" {
		t.Errorf("no variance: %+v", r)
	}
}
