package stats

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
)

// TestRandomInputsStayFinite feeds random counts, from empty groups to a
// million responses, through every result type and checks that nothing is
// NaN or infinite (every result encodes to JSON) and that intervals and
// probabilities are in range.
func TestRandomInputsStayFinite(t *testing.T) {
	rng := rand.New(rand.NewPCG(42, 1))
	count := func() Count {
		var n int64
		switch rng.IntN(4) {
		case 0:
			n = rng.Int64N(3)
		case 1:
			n = rng.Int64N(60)
		case 2:
			n = rng.Int64N(5000)
		default:
			n = rng.Int64N(1_000_001)
		}
		var x int64
		switch rng.IntN(4) {
		case 0:
			x = 0
		case 1:
			x = n
		default:
			x = rng.Int64N(n + 1)
		}
		return Count{Positive: x, N: n}
	}
	runs := 3000
	if testing.Short() {
		runs = 500
	}
	for range runs {
		e, c := count(), count()
		conf := []float64{0.8, 0.9, 0.95, 0.99}[rng.IntN(4)]
		l := CompareProportions(e, c, conf)
		mustJSON(t, l)
		if l.Defined {
			checkInvariants(t, l)
		}
		mustJSON(t, SequentialLift(e, c, conf, 0))
		mustJSON(t, LiftedUsers(l.AbsLift, l.AbsLiftCI, 1e6, 1e5))
		var counts [11]int64
		for k := range counts {
			if rng.IntN(3) > 0 {
				counts[k] = rng.Int64N(100)
			}
		}
		s := NPSFromCounts(counts, conf)
		mustJSON(t, s)
		mustJSON(t, CompareNPS(s, NPSFromCounts([11]int64{10: e.Positive, 0: e.N - e.Positive}, conf), conf))
		levels := []int64{rng.Int64N(5), rng.Int64N(5), rng.Int64N(5), rng.Int64N(5), rng.Int64N(5)}
		var n int64
		var sum, sq float64
		for i, k := range levels {
			n += k
			sum += float64(k) * float64(i+1)
			sq += float64(k) * float64((i+1)*(i+1))
		}
		r := RatingSummary(n, sum, sq, levels, conf)
		mustJSON(t, r)
		mustJSON(t, CompareRatings(r, RatingSummary(n, sum, sq, nil, conf), conf))
		if e.N > 0 && c.N > 0 {
			mustJSON(t, StandardizedLift([]WeightedStratum{{Weight: 1, Exposed: e, Control: c}}, conf))
		}
		mustJSON(t, StratifiedLift([]Stratum{{Exposed: e, Control: c}, {Exposed: c, Control: count()}, {Exposed: count()}}, conf))
		mustJSON(t, CompareEstimates(s.NPS, s.SE, l.AbsLift*100, l.AbsLiftSE*100, conf))
		mustJSON(t, SequentialDiff(l.AbsLift, l.AbsLiftSE*l.AbsLiftSE, e.N+c.N, conf, 0))
	}
}

func mustJSON(t *testing.T, v any) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%v: %+v", err, v)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	walk(t, m)
}

// walk checks that probabilities and intervals in a decoded result are sane.
func walk(t *testing.T, m map[string]any) {
	t.Helper()
	for k, v := range m {
		switch x := v.(type) {
		case map[string]any:
			walk(t, x)
		case float64:
			if (k == "p_value" || k == "p_value_fisher" || k == "prob_positive" || k == "p_value_sequential" || k == "rate") && !(x >= 0 && x <= 1) {
				t.Errorf("%s = %v", k, x)
			}
		case []any:
			if len(x) == 2 {
				lo, ok1 := x[0].(float64)
				hi, ok2 := x[1].(float64)
				if ok1 && ok2 && lo > hi+1e-12 && !math.IsNaN(lo) {
					t.Errorf("%s = [%v, %v]", k, lo, hi)
				}
			}
		}
	}
}
