package stats

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// normRefs is testdata/refs_norms.json, from testdata/gen_norms.py
// (numpy.quantile with its default method, Hyndman-Fan 7, and
// scipy.stats.percentileofscore with kind='mean'). Its fixture section
// belongs to api/norms_test.go.
type normRefs struct {
	Generator      string          `json:"generator"`
	Quantile       []refCase       `json:"quantile"`
	Quartiles      []refCase       `json:"quartiles"`
	PercentileRank []refCase       `json:"percentile_rank"`
	Fixture        json.RawMessage `json:"fixture"`
}

func loadNormRefs(t *testing.T) normRefs {
	t.Helper()
	b, err := os.ReadFile("testdata/refs_norms.json")
	if err != nil {
		t.Fatal(err)
	}
	var r normRefs
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Generator, "numpy") || len(r.Quantile) == 0 || len(r.Quartiles) == 0 || len(r.PercentileRank) == 0 {
		t.Fatalf("refs_norms.json is incomplete: %q", r.Generator)
	}
	return r
}

func TestQuantileNumpy(t *testing.T) {
	for _, c := range loadNormRefs(t).Quantile {
		x, ps, want := c.floats(t, "x"), c.floats(t, "p"), c.floats(t, "quantiles")
		for i, p := range ps {
			checkNum(t, "Quantile", Quantile(p, x), want[i], tolClosed)
		}
		c.done(t)
	}
}

func TestSampleQuartilesNumpy(t *testing.T) {
	for _, c := range loadNormRefs(t).Quartiles {
		x := c.floats(t, "x")
		before := append([]float64(nil), x...)
		q := SampleQuartiles(x)
		checkNum(t, "Q1", q.Q1, c.f(t, "q1"), tolClosed)
		checkNum(t, "Median", q.Median, c.f(t, "median"), tolClosed)
		checkNum(t, "Q3", q.Q3, c.f(t, "q3"), tolClosed)
		for i := range x {
			if x[i] != before[i] {
				t.Fatalf("SampleQuartiles changed its input: %v, was %v", x, before)
			}
		}
		c.done(t)
	}
}

func TestPercentileRankScipy(t *testing.T) {
	for _, c := range loadNormRefs(t).PercentileRank {
		x, v := c.floats(t, "x"), c.f(t, "v")
		checkNum(t, "PercentileRank", PercentileRank(x, v), c.f(t, "rank"), tolClosed)
		c.done(t)
	}
}

func TestNormsByHand(t *testing.T) {
	// numpy: np.quantile([1, 2, 3, 4], 0.25) = 1.75 (h = 0.75); gonum's
	// LinInterp (Hyndman-Fan 4) would give 1.
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"q(0.25) of 1..4", Quantile(0.25, []float64{1, 2, 3, 4}), 1.75},
		{"q(0.5) of 1..4", Quantile(0.5, []float64{1, 2, 3, 4}), 2.5},
		{"q(1) of 1..4", Quantile(1, []float64{1, 2, 3, 4}), 4},
		{"q(0.9) of one value", Quantile(0.9, []float64{0.07}), 0.07},
		{"rank below all", PercentileRank([]float64{1, 2, 3}, 0), 0},
		{"rank above all", PercentileRank([]float64{1, 2, 3}, 9), 100},
		{"rank of a tie with every value", PercentileRank([]float64{2, 2}, 2), 50},
		{"rank in the middle", PercentileRank([]float64{3, 1, 2}, 2), 50},
		{"rank between values", PercentileRank([]float64{1, 2, 3, 4}, 2.5), 50},
	} {
		if math.Abs(c.got-c.want) > 1e-15 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestNormsPanicOnMisuse(t *testing.T) {
	for name, f := range map[string]func(){
		"empty quantile":       func() { Quantile(0.5, nil) },
		"unsorted":             func() { Quantile(0.5, []float64{2, 1}) },
		"p above 1":            func() { Quantile(1.5, []float64{1}) },
		"p NaN":                func() { Quantile(math.NaN(), []float64{1}) },
		"NaN in sample":        func() { SampleQuartiles([]float64{1, math.NaN()}) },
		"infinity in sample":   func() { SampleQuartiles([]float64{1, math.Inf(1)}) },
		"empty quartiles":      func() { SampleQuartiles([]float64{}) },
		"empty rank":           func() { PercentileRank(nil, 1) },
		"rank of NaN":          func() { PercentileRank([]float64{1}, math.NaN()) },
		"NaN in ranked sample": func() { PercentileRank([]float64{math.NaN()}, 1) },
	} {
		func() {
			defer func() {
				r := recover()
				if s, _ := r.(string); !strings.HasPrefix(s, "stats: ") {
					t.Errorf("%s: panic %v, want a stats: panic", name, r)
				}
			}()
			f()
		}()
	}
}
