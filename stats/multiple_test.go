package stats

import (
	"fmt"
	"testing"
)

// TestMultitestReference checks every multitest case of refs_public.json and
// refs_extra.json (statsmodels multipletests: fdr_bh, holm, bonferroni).
func TestMultitestReference(t *testing.T) {
	for _, file := range refFiles {
		refs := loadRefs(t, file)
		if len(refs.Multitest) == 0 {
			t.Fatalf("%s: no multitest cases", file)
		}
		for i, c := range refs.Multitest {
			t.Run(fmt.Sprintf("%s/%d", file, i), func(t *testing.T) {
				p := c.floats(t, "p_values")
				in := append([]float64(nil), p...)
				for name, got := range map[string][]float64{
					"bh":         BenjaminiHochberg(p),
					"holm":       Holm(p),
					"bonferroni": Bonferroni(p),
				} {
					want := c.floats(t, name)
					if len(got) != len(want) {
						t.Fatalf("%s: %d values, want %d", name, len(got), len(want))
					}
					for j := range want {
						checkP(t, fmt.Sprintf("%s[%d]", name, j), got[j], want[j], tolClosed)
					}
				}
				for j := range p {
					if p[j] != in[j] {
						t.Fatal("input modified")
					}
				}
				c.done(t)
			})
		}
	}
	if len(BenjaminiHochberg(nil)) != 0 || len(Holm(nil)) != 0 || len(Bonferroni(nil)) != 0 {
		t.Error("empty input")
	}
}
