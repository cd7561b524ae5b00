package stats

import (
	"fmt"
	"testing"

	"gonum.org/v1/gonum/mathext"
)

// TestLbeta checks lbeta against log B(a, b) from mpmath at 40 digits
// (refs_extra.json, key "lbeta").
func TestLbeta(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").Lbeta
	if len(cases) == 0 {
		t.Fatal("no lbeta cases")
	}
	for _, c := range cases {
		a, bb := c.f(t, "a"), c.f(t, "b")
		want := c.f(t, "lbeta")
		t.Run(fmt.Sprintf("%g_%g", a, bb), func(t *testing.T) {
			checkNum(t, "lbeta", lbeta(a, bb), want, 1e-14)
			checkNum(t, "lbeta swapped", lbeta(bb, a), want, 1e-14)
		})
		c.done(t)
	}
	// Small arguments agree with gonum.
	for _, ab := range [][2]float64{{0.5, 2}, {3, 4}, {9, 9.5}} {
		if got, want := lbeta(ab[0], ab[1]), mathext.Lbeta(ab[0], ab[1]); got != want {
			t.Errorf("lbeta(%v) = %v, gonum %v", ab, got, want)
		}
	}
}

// TestTQuantile checks tQuantile against mpmath at 30 digits (t_quantiles of
// refs_extra.json).
func TestTQuantile(t *testing.T) {
	cases := loadRefs(t, "refs_extra.json").TQuantiles
	if len(cases) == 0 {
		t.Fatal("no t quantiles")
	}
	for _, c := range cases {
		p, df := c.f(t, "p"), c.f(t, "df")
		// gonum's t CDF loses a few digits at very large df (2.5e-11 at 10^5).
		checkNum(t, fmt.Sprintf("t(%v, %v)", p, df), tQuantile(p, df), c.f(t, "q"), 1e-10)
		c.done(t)
	}
}
