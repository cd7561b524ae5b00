package stats

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strings"
	"testing"
)

// planRefs is testdata/refs_plan.json, from testdata/gen_plan.py:
// statsmodels' samplesize_proportions_2indep_onetail and
// power_proportions_2indep with sample 1 the exposed cell and
// nobs2 = ratio × nobs1 the control, and scipy's brentq for the MDE.
type planRefs struct {
	Generator  string    `json:"generator"`
	SampleSize []refCase `json:"sample_size"`
	MDE        []refCase `json:"mde"`
}

func loadPlanRefs(t *testing.T) planRefs {
	t.Helper()
	b, err := os.ReadFile("testdata/refs_plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var r planRefs
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.Generator, "statsmodels") || len(r.SampleSize) == 0 || len(r.MDE) == 0 {
		t.Fatalf("refs_plan.json is incomplete: %q", r.Generator)
	}
	return r
}

func planAlt(t *testing.T, c refCase) Alternative {
	t.Helper()
	switch s := c.str(t, "alternative"); s {
	case "two-sided":
		return TwoSided
	case "larger":
		return Greater
	default:
		t.Fatalf("alternative %q", s)
	}
	return TwoSided
}

// TestPlanSampleSizeStatsmodels checks every sample_size case: the exact
// sizes to 1e-9 relative, the rounded sizes exactly, and Power at the
// rounded sizes (both tails when two-sided) against
// power_proportions_2indep to 1e-9.
func TestPlanSampleSizeStatsmodels(t *testing.T) {
	for i, c := range loadPlanRefs(t).SampleSize {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			alt := planAlt(t, c)
			p, lift, a, pw := c.f(t, "p_control"), c.f(t, "lift"), c.f(t, "alpha"), c.f(t, "power")
			share, k := c.f(t, "control_share"), int(c.i(t, "cells"))
			pl := PlanSampleSize(p, lift, share, k, a, pw, alt)
			checkNum(t, "control exact", pl.ControlExact, c.f(t, "n_control_exact"), tolClosed)
			checkNum(t, "cell exact", pl.CellExact, c.f(t, "n_cell_exact"), tolClosed)
			checkNum(t, "total exact", pl.TotalExact, c.f(t, "total_exact"), tolClosed)
			if pl.Control != c.i(t, "n_control") || pl.Cell != c.i(t, "n_cell") || pl.Total != c.i(t, "total") {
				t.Errorf("sizes %d + %d × %d = %d, want %v + %d × %v = %v",
					pl.Control, k, pl.Cell, pl.Total, c.m["n_control"], k, c.m["n_cell"], c.m["total"])
			}
			if pl.Cells != k || pl.AlphaPerCell != a/float64(k) {
				t.Errorf("cells %d, alpha per cell %v", pl.Cells, pl.AlphaPerCell)
			}
			checkNum(t, "ratio", pl.Ratio, (1-share)/(float64(k)*share), 1e-15)
			got := Power(p, p+lift, pl.Cell, pl.Control, pl.AlphaPerCell, alt)
			checkNum(t, "power at sizes", got, c.f(t, "power_at_sizes"), tolClosed)
			if got < pw {
				t.Errorf("power %v at the rounded sizes is below %v", got, pw)
			}
			c.done(t)
		})
	}
}

// TestPlanMinDetectableLiftStatsmodels checks every mde case. mde is the
// root of the one-tail equation that PlanMinDetectableLift solves
// (bisection to 1e-13 absolute, brentq to 1e-15, every lift above 0.01):
// 1e-9 relative. mde_both_tails is the root of the two-sided power with
// both tails, which the one-tail root overstates by the far tail's share
// (at most 3e-5 relative here, at the smallest sizes): it is checked to be
// no larger and within 1e-4.
func TestPlanMinDetectableLiftStatsmodels(t *testing.T) {
	for i, c := range loadPlanRefs(t).MDE {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			alt := planAlt(t, c)
			p, a, pw := c.f(t, "p_control"), c.f(t, "alpha"), c.f(t, "power")
			nc, ne, k := c.i(t, "n_control"), c.i(t, "n_cell"), int(c.i(t, "cells"))
			d, ok := PlanMinDetectableLift(p, nc, ne, k, a, pw, alt)
			want, wantOK := c.opt(t, "mde")
			both, bothOK := c.opt(t, "mde_both_tails")
			if ok != wantOK || ok != bothOK {
				t.Fatalf("ok = %v, want %v (both tails %v)", ok, wantOK, bothOK)
			}
			c.done(t)
			if !ok {
				return
			}
			checkNum(t, "mde", d, want, tolClosed)
			if !(d >= both*(1-tolClosed)) || !near(d, both, 1e-4, 0) {
				t.Errorf("mde %v, both-tails root %v", d, both)
			}
			// The lift found has the power asked for (a hair above it
			// when two-sided: the far tail).
			if got := Power(p, p+d, ne, nc, a/float64(k), alt); !(got >= pw-1e-9) || got > pw+1e-4 {
				t.Errorf("power %v at the MDE, want %v", got, pw)
			}
		})
	}
}

// TestPlanEqualGroups checks that a control share of 1/2 with one cell is
// SampleSizePerGroupExact, in both directions of the lift.
func TestPlanEqualGroups(t *testing.T) {
	for _, alt := range []Alternative{TwoSided, Greater, Less} {
		for _, p := range []float64{0, 0.05, 0.3, 0.5, 0.9} {
			for _, lift := range []float64{0.01, 0.04, -0.02} {
				if p+lift < 0 {
					continue
				}
				pl := PlanSampleSize(p, lift, 0.5, 1, 0.1, 0.8, alt)
				want := SampleSizePerGroupExact(p, lift, 0.1, 0.8, alt)
				checkNum(t, "control", pl.ControlExact, want, 1e-12)
				checkNum(t, "cell", pl.CellExact, want, 1e-12)
				n := SampleSizePerGroup(p, lift, 0.1, 0.8, alt)
				if pl.Control != n || pl.Cell != n || pl.Total != 2*n || pl.Ratio != 1 {
					t.Errorf("p=%v lift=%v %v: plan %+v, want %d per group", p, lift, alt, pl, n)
				}
			}
		}
	}
}

// TestPlanDV360 checks that the DV360 figures of SampleSizePerGroupExact's
// doc (one-sided 90% significance, 80% power, 50% baseline, half the
// completes in control) still hold for the planner's Total within 3%.
func TestPlanDV360(t *testing.T) {
	table := []struct {
		lift  float64
		total float64
	}{{0.04, 2800}, {0.03, 5000}, {0.02, 11000}, {0.015, 20000}, {0.01, 45000}, {0.005, 180000}}
	for _, row := range table {
		pl := PlanSampleSize(0.5, row.lift, 0.5, 1, 0.1, 0.8, Greater)
		if pl.Total != 2*SampleSizePerGroup(0.5, row.lift, 0.1, 0.8, Greater) {
			t.Errorf("lift %v: total %d is not twice SampleSizePerGroup", row.lift, pl.Total)
		}
		if dev := float64(pl.Total)/row.total - 1; math.Abs(dev) > 0.03 {
			t.Errorf("lift %v: total %d is %.1f%% from DV360's %v", row.lift, pl.Total, 100*dev, row.total)
		}
	}
}

// TestPlanProperties checks Bonferroni, the square-root rule and the
// round trip between PlanSampleSize and PlanMinDetectableLift.
func TestPlanProperties(t *testing.T) {
	// Two cells at control share 0.2 have ratio 2, as one cell at share
	// 1/3: the sizes agree once alpha is halved.
	two := PlanSampleSize(0.2, 0.03, 0.2, 2, 0.1, 0.8, TwoSided)
	one := PlanSampleSize(0.2, 0.03, 1.0/3, 1, 0.05, 0.8, TwoSided)
	checkNum(t, "control, 2 cells vs 1 at alpha/2", two.ControlExact, one.ControlExact, 1e-12)
	checkNum(t, "cell, 2 cells vs 1 at alpha/2", two.CellExact, one.CellExact, 1e-12)
	if two.Total != two.Control+2*two.Cell {
		t.Errorf("total %d != %d + 2 × %d", two.Total, two.Control, two.Cell)
	}
	// More cells need more per cell (a stricter alpha) at the same ratio.
	if a, b := PlanSampleSize(0.2, 0.03, 0.5, 1, 0.1, 0.8, TwoSided), PlanSampleSize(0.2, 0.03, 1.0/3, 2, 0.1, 0.8, TwoSided); !(b.CellExact > a.CellExact) {
		t.Errorf("2 cells need %v per cell, 1 cell %v", b.CellExact, a.CellExact)
	}
	// Square-root rule: with k = 3 the total is smallest near
	// c = 1/(1 + sqrt 3) ≈ 0.366.
	best := 1 / (1 + math.Sqrt(3))
	at := func(c float64) float64 { return PlanSampleSize(0.5, 0.01, c, 3, 0.1, 0.8, TwoSided).TotalExact }
	for _, c := range []float64{0.2, 0.3, best - 0.02, best + 0.02, 0.45, 0.5} {
		if !(at(best) < at(c)) {
			t.Errorf("total %v at c = %v not below %v at c = %v", at(best), best, at(c), c)
		}
	}
	// Round trip: at the rounded sizes the MDE is at most the planned
	// lift, and the power at least the planned power.
	for _, alt := range []Alternative{TwoSided, Greater} {
		for _, p := range []float64{0.05, 0.2, 0.5, 0.8} {
			for _, k := range []int{1, 2, 5, 8} {
				for _, share := range []float64{0.2, 0.5} {
					const lift = 0.03
					pl := PlanSampleSize(p, lift, share, k, 0.1, 0.9, alt)
					d, ok := PlanMinDetectableLift(p, pl.Control, pl.Cell, k, 0.1, 0.9, alt)
					if !ok || d > lift || d < lift*(1-0.01) {
						t.Errorf("p=%v k=%d c=%v %v: MDE %v %v at %d/%d, planned %v", p, k, share, alt, d, ok, pl.Control, pl.Cell, lift)
					}
					if pw := Power(p, p+lift, pl.Cell, pl.Control, 0.1/float64(k), alt); pw < 0.9 {
						t.Errorf("p=%v k=%d c=%v %v: power %v", p, k, share, alt, pw)
					}
				}
			}
		}
	}
	// A lift down is one-sided in its own direction, like up.
	down := PlanSampleSize(0.5, -0.03, 0.3, 2, 0.1, 0.8, Less)
	up := PlanSampleSize(0.5, 0.03, 0.3, 2, 0.1, 0.8, Greater)
	if down.Control <= 0 || math.Abs(down.ControlExact/up.ControlExact-1) > 0.01 {
		t.Errorf("lift down %+v, up %+v", down, up)
	}
	// A rate of 0 is a valid baseline.
	if pl := PlanSampleSize(0, 0.02, 0.5, 2, 0.1, 0.8, TwoSided); pl.Cell <= 0 || pl.Control <= 0 {
		t.Errorf("plan at p = 0: %+v", pl)
	}
}

func TestInvitationsNeeded(t *testing.T) {
	for _, c := range []struct {
		completes   int64
		rate, reach float64
		want        int64
	}{
		{1000, 0.1, 1, 10000},
		{1000, 0.1, 0.5, 20000},
		{333, 0.3, 1, 1110},
		{21, 0.7, 1, 30}, // 21/0.7 is 30.000000000000004 in floating point
		{21, 1, 0.7, 30},
		{1001, 0.3, 0.7, 4767},
		{1, 1, 1, 1},
		{0, 0.05, 0.5, 0},
		{7, 1, 1, 7},
		{295481, 0.02, 0.6, 24623417},
	} {
		if got := InvitationsNeeded(c.completes, c.rate, c.reach); got != c.want {
			t.Errorf("InvitationsNeeded(%d, %v, %v) = %d, want %d", c.completes, c.rate, c.reach, got, c.want)
		}
	}
	// The invitations bring at least the completes asked for, in
	// expectation.
	for _, n := range []int64{1, 17, 385, 16316} {
		for _, r := range []float64{0.013, 0.1, 0.37, 1} {
			for _, s := range []float64{0.25, 0.8, 1} {
				inv := InvitationsNeeded(n, r, s)
				if e := float64(inv) * r * s; e < float64(n)*(1-1e-9) || (inv > 1 && float64(inv-1)*r*s >= float64(n)) {
					t.Errorf("InvitationsNeeded(%d, %v, %v) = %d: %v expected completes", n, r, s, inv, e)
				}
			}
		}
	}
}

func TestPlanPanics(t *testing.T) {
	cases := map[string]func(){
		"plan rate":          func() { PlanSampleSize(-0.1, 0.03, 0.5, 1, 0.1, 0.8, TwoSided) },
		"plan lift 0":        func() { PlanSampleSize(0.2, 0, 0.5, 1, 0.1, 0.8, TwoSided) },
		"plan lift above 1":  func() { PlanSampleSize(0.99, 0.03, 0.5, 1, 0.1, 0.8, TwoSided) },
		"plan lift NaN":      func() { PlanSampleSize(0.2, math.NaN(), 0.5, 1, 0.1, 0.8, TwoSided) },
		"plan share 0":       func() { PlanSampleSize(0.2, 0.03, 0, 1, 0.1, 0.8, TwoSided) },
		"plan share 1":       func() { PlanSampleSize(0.2, 0.03, 1, 1, 0.1, 0.8, TwoSided) },
		"plan cells 0":       func() { PlanSampleSize(0.2, 0.03, 0.5, 0, 0.1, 0.8, TwoSided) },
		"plan alpha":         func() { PlanSampleSize(0.2, 0.03, 0.5, 2, 1, 0.8, TwoSided) },
		"plan power":         func() { PlanSampleSize(0.2, 0.03, 0.5, 2, 0.1, 1, TwoSided) },
		"plan alternative":   func() { PlanSampleSize(0.2, 0.03, 0.5, 2, 0.1, 0.8, Alternative(7)) },
		"plan overflow":      func() { PlanSampleSize(0.5, 1e-12, 0.5, 2, 0.1, 0.8, TwoSided) },
		"mde cells":          func() { PlanMinDetectableLift(0.2, 100, 100, 0, 0.1, 0.8, TwoSided) },
		"mde alpha":          func() { PlanMinDetectableLift(0.2, 100, 100, 2, 0, 0.8, TwoSided) },
		"mde sizes":          func() { PlanMinDetectableLift(0.2, 0, 100, 2, 0.1, 0.8, TwoSided) },
		"mde power":          func() { PlanMinDetectableLift(0.2, 100, 100, 2, 0.1, 0, TwoSided) },
		"invite negative":    func() { InvitationsNeeded(-1, 0.1, 1) },
		"invite rate 0":      func() { InvitationsNeeded(10, 0, 1) },
		"invite rate above":  func() { InvitationsNeeded(10, 1.5, 1) },
		"invite rate NaN":    func() { InvitationsNeeded(10, math.NaN(), 1) },
		"invite reach 0":     func() { InvitationsNeeded(10, 0.1, 0) },
		"invite reach above": func() { InvitationsNeeded(10, 0.1, 2) },
		"invite overflow":    func() { InvitationsNeeded(math.MaxInt64/2, 1e-9, 1) },
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

// A study with two creatives (two exposed cells) and 30% of completes in
// control, planned to detect a 3-point lift in ad recall over a 20%
// baseline at 90% confidence and 80% power, two-sided, each cell compared
// with control at alpha/2; then the invitations at a 5% response rate,
// with 80% of the invited in the exposed cells actually reached.
func ExamplePlanSampleSize() {
	pl := PlanSampleSize(0.2, 0.03, 0.3, 2, 0.1, 0.8, TwoSided)
	fmt.Printf("alpha per cell %.2f, cell/control %.3f\n", pl.AlphaPerCell, pl.Ratio)
	fmt.Printf("control %d, each cell %d, total %d\n", pl.Control, pl.Cell, pl.Total)
	fmt.Printf("invite %d for control, %d per cell\n",
		InvitationsNeeded(pl.Control, 0.05, 1), InvitationsNeeded(pl.Cell, 0.05, 0.8))
	d, _ := PlanMinDetectableLift(0.2, 1000, 1000, 2, 0.1, 0.8, TwoSided)
	fmt.Printf("with 1,000 completes per group: %.1f points\n", 100*d)
	// Output:
	// alpha per cell 0.05, cell/control 1.167
	// control 2737, each cell 3193, total 9123
	// invite 54740 for control, 79825 per cell
	// with 1,000 completes per group: 5.2 points
}
