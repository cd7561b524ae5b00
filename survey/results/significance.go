package results

import (
	"fmt"
	"strings"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// Names of the tests behind "significant" (significant_by).
const (
	ByZTest       = "z_test"
	ByFisherExact = "fisher_exact"
	BySequential  = "sequential"
	ByWelch       = "welch_t"
)

// reasonSRM is why significance is off while the groups' sizes do not fit
// the planned split.
const reasonSRM = "sample ratio mismatch: the groups' sizes do not fit the planned split, so no difference is called significant (ignore_srm=true overrides)"

// testRef is one test of the report, for the Benjamini-Hochberg family:
// its primary p-value and where its q-value goes.
type testRef struct {
	p   float64
	set func(q float64)
	// key is the metric's measure key; adjust records a family-wise
	// adjusted p-value (Holm over a multi-cell study's cells) and the
	// significance it decides.
	key    string
	adjust func(p float64, significant bool)
}

// lowSample reports whether any group has fewer than the report's
// min_per_group answers, with the note that says which.
func (b *builder) lowSample(n map[survey.Group]int64) (bool, string) {
	var short []string
	for _, g := range b.groups() {
		if n[g] < b.minN {
			short = append(short, fmt.Sprintf("%s %d", g, n[g]))
		}
	}
	if len(short) == 0 {
		return false, ""
	}
	return true, fmt.Sprintf("low sample: fewer than %d answers per group (%s); the numbers are shown, read them with care", b.minN, strings.Join(short, ", "))
}

// verdict decides significance for a comparison of exposed with control
// under the report's rule: below min_per_group the exact (or small-sample)
// test, else the fixed-sample test or the always-valid sequential
// p-value. A sample ratio mismatch turns it off unless ignored. It returns
// whether the difference is significant, the test's name and the p-value
// that enters the q-value family.
func (b *builder) verdict(low bool, smallName string, smallP float64, fixedName string, fixedP float64, seq *stats.Sequential, why reasons) (bool, string, float64) {
	alpha := 1 - b.confidence
	name, p := fixedName, fixedP
	switch {
	case low:
		name, p = smallName, smallP
	case b.rule == survey.SignificanceSequential && seq != nil:
		name, p = BySequential, seq.PValue
	}
	sig := p < alpha
	if b.srmBlock {
		sig = false
		why.set("significant", reasonSRM)
	}
	return sig, name, p
}

// qValues sets Benjamini-Hochberg q-values over every test of one report
// (or one segment level): lifts, NPS and rating differences together.
func qValues(tests []testRef) {
	if len(tests) == 0 {
		return
	}
	p := make([]float64, len(tests))
	for i, t := range tests {
		p[i] = t.p
	}
	for i, q := range stats.BenjaminiHochberg(p) {
		tests[i].set(q)
	}
}

// joinNotes joins non-empty notes with "; ".
func joinNotes(notes ...string) string {
	var out []string
	for _, n := range notes {
		if n != "" {
			out = append(out, n)
		}
	}
	return strings.Join(out, "; ")
}
