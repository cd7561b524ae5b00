package stats

import (
	"fmt"
	"math"
	"testing"
)

// TestFisherTables checks FisherExact against scipy.stats.fisher_exact on
// 350 random tables of refs_extra.json (fisher_tables: small tables, equal
// groups with exactly tied probabilities, and mid-size tables).
func TestFisherTables(t *testing.T) {
	tables := loadRefs(t, "refs_extra.json").FisherTables
	if len(tables) < 300 {
		t.Fatalf("%d tables", len(tables))
	}
	for _, r := range tables {
		e := Count{Positive: int64(r[0]), N: int64(r[1])}
		c := Count{Positive: int64(r[2]), N: int64(r[3])}
		checkP(t, fmt.Sprintf("fisher %v %v", e, c), FisherExact(e, c), r[4], tolClosed)
	}
}

func TestFisherProperties(t *testing.T) {
	// Symmetric in the groups and in positive/negative.
	for _, pair := range [][2]Count{{{3, 10}, {7, 12}}, {{0, 5}, {5, 5}}, {{120, 1000}, {90, 1000}}} {
		e, c := pair[0], pair[1]
		p := FisherExact(e, c)
		flip := func(x Count) Count { return Count{Positive: x.N - x.Positive, N: x.N} }
		for _, q := range []float64{FisherExact(c, e), FisherExact(flip(e), flip(c))} {
			if math.Abs(p-q) > 1e-12*p {
				t.Errorf("%v %v: %v vs %v", e, c, p, q)
			}
		}
	}
	// Empty margins give 1, as in scipy.
	for _, pair := range [][2]Count{{{0, 0}, {1, 2}}, {{0, 3}, {0, 4}}, {{3, 3}, {4, 4}}} {
		if p := FisherExact(pair[0], pair[1]); p != 1 {
			t.Errorf("%v: %v", pair, p)
		}
	}
	// Far tails underflow to 0 without NaN.
	if p := FisherExact(Count{0, 1000000}, Count{1000000, 1000000}); p != 0 {
		t.Errorf("extreme table: %v", p)
	}
}
