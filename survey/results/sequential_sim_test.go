package results

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// peekingStudy is a two-group study with one lift metric.
func peekingStudy(rule string) *survey.Study {
	st := &survey.Study{ID: "peek"}
	st.Kind, st.Confidence, st.Assignment, st.ControlShare = survey.KindBrandLift, 0.9, survey.AssignHoldout, 0.5
	st.TargetPerGroup, st.Significance = 500, rule
	st.Questions = []survey.Question{{Key: "recall", Type: survey.SingleChoice, Metric: survey.AdRecall,
		Options: []survey.Option{{Key: "yes", Positive: true}, {Key: "no"}}}}
	return st
}

// reportAt builds the report of counts (yes out of n per group).
func reportAt(t *testing.T, st *survey.Study, yesE, nE, yesC, nC int64) *LiftMetric {
	t.Helper()
	d := NewTallies([]survey.Cell{{ID: "c"}})
	for _, g := range []struct {
		grp    survey.Group
		yes, n int64
	}{{survey.GroupExposed, yesE, nE}, {survey.GroupControl, yesC, nC}} {
		d.Add(0, g.grp, "", "", g.n)
		d.Add(0, g.grp, "recall", survey.SlotAnswered, g.n)
		d.Add(0, g.grp, "recall", "yes", g.yes)
		d.Add(0, g.grp, "recall", "no", g.n-g.yes)
	}
	o := Options{Now: time.Unix(0, 0)}
	if err := o.Validate(st); err != nil {
		t.Fatal(err)
	}
	r, err := Build(Input{Study: st, Tallies: d, GroupCounts: []GroupCount{{survey.GroupExposed, "", nE}, {survey.GroupControl, "", nC}}}, o)
	if err != nil {
		t.Fatal(err)
	}
	return r.Metrics[0].(*LiftMetric)
}

// TestPeekingWithTheSequentialSetting simulates studies with no true lift
// read 20 times as they fill (every 50 responses per group up to 1,000).
// With significance: sequential, "significant" is true at some look in at
// most alpha (10%) of the runs; with the fixed rule the same looks call far
// more studies significant, which is why the setting exists.
func TestPeekingWithTheSequentialSetting(t *testing.T) {
	const runs, looks, step = 600, 20, 50
	rng := rand.New(rand.NewPCG(13, 2026))
	everSig := map[string]int{}
	for range runs {
		var yesE, yesC, n int64
		hit := map[string]bool{}
		for range looks {
			for range step {
				if rng.Float64() < 0.3 {
					yesE++
				}
				if rng.Float64() < 0.3 {
					yesC++
				}
			}
			n += step
			for _, rule := range []string{survey.SignificanceSequential, survey.SignificanceFixed} {
				m := reportAt(t, peekingStudy(rule), yesE, n, yesC, n)
				if m.Significant {
					hit[rule] = true
				}
				want := BySequential
				if rule == survey.SignificanceFixed {
					want = ByZTest
				}
				if n >= 50 && m.SignificantBy != want {
					t.Fatalf("%s at n=%d: significant_by %q", rule, n, m.SignificantBy)
				}
			}
		}
		for rule, h := range hit {
			if h {
				everSig[rule]++
			}
		}
	}
	seq := float64(everSig[survey.SignificanceSequential]) / runs
	fixed := float64(everSig[survey.SignificanceFixed]) / runs
	t.Logf("significant at some look: sequential %.3f, fixed %.3f (%d runs, %d looks)", seq, fixed, runs, looks)
	if seq > 0.10 {
		t.Errorf("sequential setting: significant at some look in %.1f%% of null runs, more than alpha = 10%%", 100*seq)
	}
	if fixed < 0.2 {
		t.Errorf("fixed rule under peeking: %.1f%%; the simulation should show its inflation", 100*fixed)
	}
}
