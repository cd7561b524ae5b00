package stats

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

// assertJSON checks that v encodes to JSON (no NaN or infinity anywhere).
func assertJSON(t *testing.T, v any) {
	t.Helper()
	if _, err := json.Marshal(v); err != nil {
		t.Errorf("json: %v", err)
	}
}

func TestInterval(t *testing.T) {
	iv := Interval{Lo: -0.5, Hi: 2}
	if !iv.Contains(0) || iv.Contains(3) || iv.Width() != 2.5 {
		t.Errorf("Contains/Width wrong for %v", iv)
	}
	if got := iv.Scale(2); got != (Interval{-1, 4}) {
		t.Errorf("Scale(2) = %v", got)
	}
	if got := iv.Scale(-1); got != (Interval{-2, 0.5}) {
		t.Errorf("Scale(-1) = %v", got)
	}
	b, err := json.Marshal(iv)
	if err != nil || string(b) != "[-0.5,2]" {
		t.Errorf("MarshalJSON = %s, %v", b, err)
	}
	var back Interval
	if err := json.Unmarshal(b, &back); err != nil || back != iv {
		t.Errorf("UnmarshalJSON = %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`{"lo":1}`), &back); err == nil {
		t.Error("UnmarshalJSON accepted an object")
	}
}

func TestCountRate(t *testing.T) {
	if r := (Count{Positive: 1, N: 4}).Rate(); r != 0.25 {
		t.Errorf("rate = %v", r)
	}
	if r := (Count{}).Rate(); r != 0 {
		t.Errorf("rate of empty = %v", r)
	}
}

func TestAlternativeString(t *testing.T) {
	for a, want := range map[Alternative]string{TwoSided: "two-sided", Greater: "greater", Less: "less", 7: "Alternative(7)"} {
		if a.String() != want {
			t.Errorf("%d.String() = %q", int(a), a.String())
		}
	}
}

// TestPanics checks that caller misuse panics with a "stats: " message.
func TestPanics(t *testing.T) {
	good := Count{Positive: 1, N: 2}
	cases := map[string]func(){
		"negative n":             func() { OneProportion(Count{Positive: 0, N: -1}, 0.9) },
		"positive > n":           func() { OneProportion(Count{Positive: 3, N: 2}, 0.9) },
		"negative positive":      func() { Wilson(Count{Positive: -1, N: 2}, 0.9) },
		"confidence 1":           func() { OneProportion(good, 1) },
		"confidence 0":           func() { CompareProportions(good, good, 0) },
		"confidence NaN":         func() { NewcombeInterval(good, good, math.NaN()) },
		"bad alternative":        func() { ZTest(good, good, Alternative(5)) },
		"fisher bad count":       func() { FisherExact(Count{3, 2}, good) },
		"bayes bad count":        func() { ProbBetter(good, Count{-1, 2}) },
		"nps negative":           func() { NPSFromCounts([11]int64{-1}, 0.9) },
		"rating negative n":      func() { RatingSummary(-1, 0, 0, nil, 0.9) },
		"rating NaN sum":         func() { RatingSummary(1, math.NaN(), 0, nil, 0.9) },
		"rating one level":       func() { RatingSummary(1, 1, 1, []int64{1}, 0.9) },
		"rating counts != n":     func() { RatingSummary(2, 2, 2, []int64{1, 0}, 0.9) },
		"rating negative count":  func() { RatingSummary(0, 0, 0, []int64{-1, 1}, 0.9) },
		"p-value > 1":            func() { BenjaminiHochberg([]float64{0.5, 1.5}) },
		"p-value NaN":            func() { Holm([]float64{math.NaN()}) },
		"p-value < 0":            func() { Bonferroni([]float64{-0.1}) },
		"sample size p<0":        func() { SampleSizePerGroup(-0.1, 0.1, 0.05, 0.8, TwoSided) },
		"still needed p>1":       func() { StillNeededPerGroup(1.1, 0.02, 1, 1, 0.1, 0.8, TwoSided) },
		"still needed n<0":       func() { StillNeededPerGroup(0.1, 0.02, -1, 1, 0.1, 0.8, TwoSided) },
		"power rate > 1":         func() { Power(0.5, 1.5, 10, 10, 0.05, TwoSided) },
		"sample size mde 0":      func() { SampleSizePerGroup(0.5, 0, 0.05, 0.8, TwoSided) },
		"sample size p2 > 1":     func() { SampleSizePerGroup(0.95, 0.1, 0.05, 0.8, TwoSided) },
		"sample size alpha":      func() { SampleSizePerGroup(0.5, 0.1, 1.5, 0.8, TwoSided) },
		"sample size power":      func() { SampleSizePerGroup(0.5, 0.1, 0.05, 1, TwoSided) },
		"power n = 0":            func() { Power(0.5, 0.6, 0, 10, 0.05, TwoSided) },
		"mde n = 0":              func() { MinDetectableLift(0.5, 10, 0, 0.05, 0.8, TwoSided) },
		"srm one group":          func() { SampleRatioMismatch([]int64{1}, []float64{1}) },
		"srm shares sum":         func() { SampleRatioMismatch([]int64{1, 2}, []float64{0.5, 0.6}) },
		"srm zero share":         func() { SampleRatioMismatch([]int64{1, 2}, []float64{0, 1}) },
		"srm negative":           func() { SampleRatioMismatch([]int64{-1, 2}, []float64{0.5, 0.5}) },
		"rake no dims":           func() { Rake(nil, nil, nil) },
		"rake empty dim":         func() { Rake(nil, [][]float64{{}}, nil) },
		"rake targets sum":       func() { Rake(nil, [][]float64{{0.5, 0.6}}, nil) },
		"rake negative target":   func() { Rake(nil, [][]float64{{-0.5, 1.5}}, nil) },
		"rake wrong levels":      func() { Rake([]Cell{{Levels: []int{0, 1}, Count: 1}}, [][]float64{{1}}, nil) },
		"rake level range":       func() { Rake([]Cell{{Levels: []int{2}, Count: 1}}, [][]float64{{0.5, 0.5}}, nil) },
		"rake negative count":    func() { Rake([]Cell{{Levels: []int{0}, Count: -1}}, [][]float64{{1}}, nil) },
		"rake negative weight":   func() { Rake([]Cell{{Levels: []int{0}, Count: 1, BaseWeight: -1}}, [][]float64{{1}}, nil) },
		"rake negative option":   func() { Rake([]Cell{{Levels: []int{0}, Count: 1}}, [][]float64{{1}}, &RakeOptions{Tolerance: -1}) },
		"rake trim below 1":      func() { Rake([]Cell{{Levels: []int{0}, Count: 1}}, [][]float64{{1}}, &RakeOptions{TrimRatio: 0.5}) },
		"kish lengths":           func() { KishEffectiveN([]float64{1}, []int64{1, 2}) },
		"kish negative weight":   func() { KishEffectiveN([]float64{-1}, nil) },
		"kish negative count":    func() { KishEffectiveN([]float64{1}, []int64{-1}) },
		"weight cells lengths":   func() { WeightCells([]int64{1}, []int64{1, 1}, []float64{1}) },
		"weighted bad rate":      func() { CompareWeighted(WeightedProportion{Rate: 2, EffectiveN: 1}, WeightedProportion{}, 0.9) },
		"no strata":              func() { StandardizedLift(nil, 0.9) },
		"stratum weight":         func() { StandardizedLift([]WeightedStratum{{Weight: -1}}, 0.9) },
		"strata weights 0":       func() { StandardizedLift([]WeightedStratum{{Weight: 0}}, 0.9) },
		"sequential tuning":      func() { SequentialLift(good, good, 0.9, -1) },
		"sequential diff tuning": func() { SequentialDiff(1, 1, 10, 0.9, math.Inf(1)) },
		"sequential diff conf":   func() { SequentialDiff(1, 1, 10, 1, 0) },
		"change negative se":     func() { CompareEstimates(1, -1, 2, 1, 0.9) },
		"change confidence":      func() { CompareEstimates(1, 1, 2, 1, 0) },
		"stratified bad count":   func() { StratifiedLift([]Stratum{{Exposed: Count{3, 2}}}, 0.9) },
		"stratified confidence":  func() { StratifiedLift(nil, 1.5) },
		"target se":              func() { ProbAbove(0, -1, 0) },
		"target NaN":             func() { ProbAbove(math.NaN(), 1, 0) },
		"se from interval conf":  func() { SEFromInterval(Interval{}, 2) },
		"lifted users reach":     func() { LiftedUsers(0.1, Interval{}, -1, 0) },
		"lifted users spend inf": func() { LiftedUsers(0.1, Interval{}, 1, math.Inf(1)) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				r := recover()
				s, ok := r.(string)
				if !ok || !strings.HasPrefix(s, "stats: ") {
					t.Errorf("panic value %v, want a string starting with \"stats: \"", r)
				}
			}()
			f()
		})
	}
}
