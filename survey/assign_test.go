package survey_test

import (
	"fmt"
	"testing"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// TestHoldoutDocumentedValues checks the worked values of
// docs/INTEGRATION.md, computed there by the Python and JavaScript snippets.
func TestHoldoutDocumentedValues(t *testing.T) {
	want := map[string]survey.Group{"u-1": survey.GroupControl, "u-2": survey.GroupExposed,
		"u-3": survey.GroupControl, "u-4": survey.GroupExposed}
	for rid, g := range want {
		if got := survey.HoldoutGroup(exampleSecret(), rid, 0.3); got != g {
			t.Errorf("%s: %s, want %s", rid, got, g)
		}
		if got := survey.HoldoutGroup(exampleSecret(), rid, 0.3); got != survey.HoldoutGroup(exampleSecret(), rid, 0.3) {
			t.Errorf("%s: not deterministic", rid)
		}
	}
	// u-1 sits at u = 0.2905: a share just below moves it to exposed.
	if survey.HoldoutGroup(exampleSecret(), "u-1", 0.29) != survey.GroupExposed {
		t.Error("u-1 should be exposed at control_share 0.29")
	}
}

// TestHoldoutSplit assigns 100,000 rids and checks the split against the
// setting with the sample-ratio-mismatch test.
func TestHoldoutSplit(t *testing.T) {
	for _, share := range []float64{0.1, 0.5} {
		var control, exposed int64
		for i := 0; i < 100000; i++ {
			if survey.HoldoutGroup(exampleSecret(), fmt.Sprintf("rid-%d", i), share) == survey.GroupControl {
				control++
			} else {
				exposed++
			}
		}
		srm := stats.SampleRatioMismatch([]int64{control, exposed}, []float64{share, 1 - share})
		t.Logf("control_share %.1f: %d control, %d exposed, SRM p = %.3f", share, control, exposed, srm.PValue)
		if srm.PValue <= 0.001 {
			t.Errorf("split %d/%d does not fit %.1f (p = %g)", control, exposed, share, srm.PValue)
		}
	}
}
