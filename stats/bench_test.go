package stats

import "testing"

// Benchmarks: one full lift computation (everything the report shows for a
// lift metric) and the expensive pieces at a million responses per group.

var sink float64

func BenchmarkCompareProportions(b *testing.B) {
	e, c := Count{Positive: 640, N: 2000}, Count{Positive: 270, N: 1000}
	for b.Loop() {
		sink += CompareProportions(e, c, 0.9).PValue
	}
}

func BenchmarkCompareProportions1e6(b *testing.B) {
	e, c := Count{Positive: 301500, N: 1000000}, Count{Positive: 300000, N: 1000000}
	for b.Loop() {
		sink += CompareProportions(e, c, 0.9).PValue
	}
}

func BenchmarkFisherExact1e6(b *testing.B) {
	e, c := Count{Positive: 301500, N: 1000000}, Count{Positive: 300000, N: 1000000}
	for b.Loop() {
		sink += FisherExact(e, c)
	}
}

// BenchmarkFisherExact1e6Tail is the worst case for the tail sums: a
// p-value far out in the tail, whose table is far from the mode.
func BenchmarkFisherExact1e6Tail(b *testing.B) {
	e, c := Count{Positive: 310000, N: 1000000}, Count{Positive: 300000, N: 1000000}
	for b.Loop() {
		sink += FisherExact(e, c)
	}
}

func BenchmarkProbBetter1e6(b *testing.B) {
	e, c := Count{Positive: 301500, N: 1000000}, Count{Positive: 300000, N: 1000000}
	for b.Loop() {
		sink += ProbBetter(e, c)
	}
}

func BenchmarkNPSFromCounts(b *testing.B) {
	counts := [11]int64{5, 2, 3, 4, 6, 10, 15, 30, 45, 50, 30}
	for b.Loop() {
		sink += NPSFromCounts(counts, 0.9).NPS
	}
}

func BenchmarkCompareRatings(b *testing.B) {
	levels := []int64{10, 20, 60, 110, 100}
	for b.Loop() {
		e := RatingSummary(300, 1170, 4890, levels, 0.9)
		sink += CompareRatings(e, e, 0.9).PValue
	}
}

func BenchmarkRake(b *testing.B) {
	// 4 age bands x 2 genders x 3 regions = 24 cells.
	var cells []Cell
	for a := range 4 {
		for g := range 2 {
			for r := range 3 {
				cells = append(cells, Cell{Levels: []int{a, g, r}, Count: int64(50 + 37*a + 11*g + 23*r)})
			}
		}
	}
	targets := [][]float64{{0.25, 0.25, 0.3, 0.2}, {0.52, 0.48}, {0.2, 0.1, 0.7}}
	for b.Loop() {
		sink += Rake(cells, targets, nil).EffectiveN
	}
}
