package stats

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
)

// rakingInput turns a reference raking case (rows of attribute values and a
// 0/1 answer, target margins per attribute) into targets and two cell
// tables: one cell per row (count 1) and the same rows aggregated by level
// combination, as SQL will deliver them.
func rakingInput(t *testing.T, c refCase) (targets [][]float64, rows, agg []Cell, rowPos, aggPos []int64) {
	t.Helper()
	margins := c.sub(t, "target_margins")
	var dims []string
	for d := range margins.m {
		dims = append(dims, d)
	}
	sort.Strings(dims)
	levels := make([][]string, len(dims))
	for i, d := range dims {
		m := margins.sub(t, d)
		for l := range m.m {
			levels[i] = append(levels[i], l)
		}
		sort.Strings(levels[i])
		targets = append(targets, nil)
		for _, l := range levels[i] {
			targets[i] = append(targets[i], m.f(t, l))
		}
		m.done(t)
	}
	margins.done(t)
	index := map[string]int{}
	for _, r := range c.raw(t, "rows").([]any) {
		row := r.(map[string]any)
		lv := make([]int, len(dims))
		for i, d := range dims {
			lv[i] = slices.Index(levels[i], row[d].(string))
			if lv[i] < 0 {
				t.Fatalf("unknown level %v", row[d])
			}
		}
		pos := int64(row["positive"].(float64))
		rows = append(rows, Cell{Levels: lv, Count: 1})
		rowPos = append(rowPos, pos)
		key := fmt.Sprint(lv)
		j, ok := index[key]
		if !ok {
			j = len(agg)
			index[key] = j
			agg = append(agg, Cell{Levels: lv})
			aggPos = append(aggPos, 0)
		}
		agg[j].Count++
		aggPos[j] += pos
	}
	return targets, rows, agg, rowPos, aggPos
}

func counts(cells []Cell) []int64 {
	out := make([]int64, len(cells))
	for i, c := range cells {
		out[i] = c.Count
	}
	return out
}

// TestRakingReference checks Rake against every raking case of
// refs_public.json and refs_extra.json (iterative proportional fitting in
// numpy, gen_refs.py), both row by row and on aggregated cells.
func TestRakingReference(t *testing.T) {
	for _, file := range refFiles {
		refs := loadRefs(t, file)
		if len(refs.Raking) == 0 {
			t.Fatalf("%s: no raking cases", file)
		}
		for i, c := range refs.Raking {
			t.Run(fmt.Sprintf("%s/%d", file, i), func(t *testing.T) {
				targets, rows, agg, rowPos, aggPos := rakingInput(t, c)
				if len(agg) >= len(rows) {
					t.Fatalf("aggregation did not reduce %d rows", len(rows))
				}
				wantShare := c.f(t, "weighted_positive_share")
				wantKish := c.f(t, "kish_effective_n")
				wantMax, wantMin := c.f(t, "max_weight"), c.f(t, "min_weight")
				wantUnw := c.f(t, "unweighted_positive_share")
				for _, tc := range []struct {
					name  string
					cells []Cell
					pos   []int64
				}{{"rows", rows, rowPos}, {"cells", agg, aggPos}} {
					r := Rake(tc.cells, targets, nil)
					if !r.Converged {
						t.Fatalf("%s: not converged: %s", tc.name, r.Reason)
					}
					wp := WeightCells(counts(tc.cells), tc.pos, r.Weights)
					checkNum(t, tc.name+" weighted share", wp.Rate, wantShare, tolRake)
					checkNum(t, tc.name+" kish", r.EffectiveN, wantKish, tolRake)
					checkNum(t, tc.name+" kish (WeightCells)", wp.EffectiveN, wantKish, tolRake)
					checkNum(t, tc.name+" max weight", r.MaxWeight, wantMax, tolRake)
					checkNum(t, tc.name+" min weight", r.MinWeight, wantMin, tolRake)
					checkNum(t, tc.name+" unweighted share", float64(wp.Positive)/float64(wp.N), wantUnw, tolClosed)
					checkNum(t, tc.name+" mean weight", wp.WeightSum/float64(wp.N), 1, 1e-12)
					if r.MaxError > 1e-8 || r.Trimmed != 0 {
						t.Errorf("%s: max error %v, trimmed %d", tc.name, r.MaxError, r.Trimmed)
					}
					t.Logf("%s: %d cells, %d iterations", tc.name, len(tc.cells), r.Iterations)
				}
				c.done(t)
			})
		}
	}
}

func TestRakeTrimming(t *testing.T) {
	// One rare cell must be weighted up 20-fold to meet its margin; with
	// the default cap of 5 the margins cannot all be met.
	cells := []Cell{
		{Levels: []int{0}, Count: 990},
		{Levels: []int{1}, Count: 10},
	}
	targets := [][]float64{{0.8, 0.2}}
	free := Rake(cells, targets, &RakeOptions{TrimRatio: math.Inf(1)})
	if !free.Converged || math.Abs(free.MaxWeight-20) > 1e-6 {
		t.Errorf("untrimmed: %+v", free)
	}
	capped := Rake(cells, targets, &RakeOptions{MaxIterations: 50})
	if capped.Converged || capped.Iterations != 50 || capped.Reason == "" || capped.MaxWeight > 5*(1+1e-6) || capped.Trimmed != 1 {
		t.Errorf("trimmed: %+v", capped)
	}
	if !strings.Contains(capped.Reason, "did not converge") {
		t.Errorf("reason %q", capped.Reason)
	}
	// Two dimensions where trimming binds but the margins can still be met
	// by moving weight to other cells of the same levels.
	cells = []Cell{
		{Levels: []int{0, 0}, Count: 400}, {Levels: []int{0, 1}, Count: 400},
		{Levels: []int{1, 0}, Count: 5}, {Levels: []int{1, 1}, Count: 195},
	}
	targets = [][]float64{{0.6, 0.4}, {0.5, 0.5}}
	free = Rake(cells, targets, &RakeOptions{TrimRatio: math.Inf(1)})
	r := Rake(cells, targets, &RakeOptions{TrimRatio: 2.5})
	if !r.Converged || r.MaxWeight > 2.5*(1+1e-6) || r.MaxError > 1e-8 || r.Trimmed == 0 {
		t.Errorf("trimmed raking: %+v (untrimmed max weight %v)", r, free.MaxWeight)
	}
	if !(r.EffectiveN > free.EffectiveN) {
		t.Errorf("trimming did not raise n_eff: %v vs %v", r.EffectiveN, free.EffectiveN)
	}
}

func TestRakeDegenerate(t *testing.T) {
	targets := [][]float64{{0.5, 0.5}}
	if r := Rake(nil, targets, nil); r.Converged || r.Reason != "no respondents" {
		t.Errorf("no cells: %+v", r)
	}
	if r := Rake([]Cell{{Levels: []int{0}, Count: 0}}, targets, nil); r.Converged || len(r.Weights) != 1 {
		t.Errorf("empty cells: %+v", r)
	}
	// Level 1 has a target but nobody in it.
	r := Rake([]Cell{{Levels: []int{0}, Count: 10, BaseWeight: 2}, {Levels: []int{1}, Count: 0}}, targets, nil)
	if r.Converged || !strings.Contains(r.Reason, "no respondents") || r.Weights[0] != 1 {
		t.Errorf("missing level: %+v", r)
	}
	// A zero target zeroes its cells; base weights are the starting point.
	r = Rake([]Cell{{Levels: []int{0}, Count: 10, BaseWeight: 3}, {Levels: []int{1}, Count: 10}}, [][]float64{{1, 0}}, &RakeOptions{TrimRatio: math.Inf(1)})
	if !r.Converged || r.Weights[1] != 0 || math.Abs(r.Weights[0]-2) > 1e-12 || r.MinWeight != 0 {
		t.Errorf("zero target: %+v", r)
	}
	assertJSON(t, r)
}

func TestKishEffectiveN(t *testing.T) {
	if n := KishEffectiveN([]float64{1, 1, 1, 1}, nil); n != 4 {
		t.Errorf("equal weights: %v", n)
	}
	if n := KishEffectiveN([]float64{1, 3}, []int64{2, 2}); math.Abs(n-64.0/20) > 1e-12 {
		t.Errorf("cells: %v", n)
	}
	if n := KishEffectiveN(nil, nil); n != 0 {
		t.Errorf("empty: %v", n)
	}
}
