package stats

import (
	"fmt"
	"math"
	"testing"
)

// npsCounts reads the 11 score counts of a reference NPS case.
func npsCounts(t *testing.T, c refCase) [11]int64 {
	t.Helper()
	s := c.ints(t, "score_counts")
	if len(s) != 11 {
		t.Fatalf("%d score counts", len(s))
	}
	var a [11]int64
	copy(a[:], s)
	return a
}

// checkNPSCase checks NPSFromCounts against one reference case of
// refs_public.json or refs_extra.json (formulas of gen_refs.py).
func checkNPSCase(t *testing.T, c refCase) NPS {
	t.Helper()
	s := NPSFromCounts(npsCounts(t, c), 0.9)
	if s.N != c.i(t, "n") || !s.Defined {
		t.Errorf("n = %d defined = %v", s.N, s.Defined)
	}
	checkNum(t, "promoters", s.Promoters, c.f(t, "promoters"), tolClosed)
	checkNum(t, "detractors", s.Detractors, c.f(t, "detractors"), tolClosed)
	checkNum(t, "passives", s.Passives, c.f(t, "passives"), tolClosed)
	checkNum(t, "nps", s.NPS, c.f(t, "nps"), tolClosed)
	checkNum(t, "se", s.SE, c.f(t, "se"), tolClosed)
	for _, conf := range []float64{0.9, 0.95} {
		k := fmt.Sprintf("ci_%d", int(math.Round(conf*100)))
		want := c.iv(t, k)
		want = Interval{Lo: clamp(want.Lo, -100, 100), Hi: clamp(want.Hi, -100, 100)}
		checkIv(t, k, NPSFromCounts(npsCounts(t, c), conf).CI, want, tolClosed)
	}
	return s
}

// TestNPSReference checks every nps and nps_diff case of refs_public.json
// and refs_extra.json.
func TestNPSReference(t *testing.T) {
	for _, file := range refFiles {
		refs := loadRefs(t, file)
		if len(refs.NPS) == 0 || len(refs.NPSDiff) == 0 {
			t.Fatalf("%s: no NPS cases", file)
		}
		for i, c := range refs.NPS {
			t.Run(fmt.Sprintf("%s/nps/%d", file, i), func(t *testing.T) {
				checkNPSCase(t, c)
				c.done(t)
			})
		}
		for i, c := range refs.NPSDiff {
			t.Run(fmt.Sprintf("%s/diff/%d", file, i), func(t *testing.T) {
				cc, ce := c.sub(t, "control"), c.sub(t, "exposed")
				ctrl, exp := checkNPSCase(t, cc), checkNPSCase(t, ce)
				cc.done(t)
				ce.done(t)
				d := CompareNPS(exp, ctrl, 0.9)
				if !d.Defined {
					t.Fatalf("not defined: %s", d.Reason)
				}
				checkNum(t, "diff", d.Diff, c.f(t, "diff"), tolClosed)
				checkNum(t, "se_diff", d.SE, c.f(t, "se_diff"), tolClosed)
				checkNum(t, "z", d.Z, c.f(t, "z"), tolClosed)
				checkP(t, "p", d.PValue, c.f(t, "p_value_two_sided"), tolClosed)
				for _, conf := range []float64{0.9, 0.95} {
					k := fmt.Sprintf("diff_ci_%d", int(math.Round(conf*100)))
					if c.has(k) {
						checkIv(t, k, CompareNPS(exp, ctrl, conf).DiffCI, c.iv(t, k), tolClosed)
					}
				}
				c.done(t)
			})
		}
	}
}

func TestNPSDegenerate(t *testing.T) {
	empty := NPSFromCounts([11]int64{}, 0.9)
	if empty.Defined || empty.Reason == "" || empty.NPS != 0 || empty.CI != (Interval{}) {
		t.Errorf("empty NPS = %+v", empty)
	}
	allProm := NPSFromCounts([11]int64{10: 3}, 0.9)
	if !allProm.Defined || allProm.NPS != 100 || allProm.SE != 0 || allProm.CI != (Interval{100, 100}) || allProm.Reason == "" {
		t.Errorf("all promoters = %+v", allProm)
	}
	// The interval stays within [-100, 100].
	small := NPSFromCounts([11]int64{9: 2, 0: 1}, 0.95)
	if small.CI.Lo < -100 || small.CI.Hi > 100 {
		t.Errorf("interval %v outside [-100, 100]", small.CI)
	}
	if d := CompareNPS(empty, allProm, 0.9); d.Defined || d.PValue != 1 || d.Reason == "" {
		t.Errorf("CompareNPS with empty = %+v", d)
	}
	allDet := NPSFromCounts([11]int64{0: 4}, 0.9)
	d := CompareNPS(allProm, allDet, 0.9)
	if d.Defined || d.PValue != 1 || d.Diff != 200 || d.Reason == "" {
		t.Errorf("CompareNPS with no variance = %+v", d)
	}
	assertJSON(t, d)
}
