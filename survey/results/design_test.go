package results

import (
	"math"
	"testing"
	"time"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// armCount is one arm's respondents and their yes answers to recall.
type armCount struct {
	arm    survey.Group
	n, yes int64
}

// buildArms builds the report of a study whose responses are stored per
// arm (survey.Arm), with one segment cell.
func buildArms(t *testing.T, st *survey.Study, arms []armCount) *Report {
	t.Helper()
	d := NewTallies([]survey.Cell{{ID: "c"}})
	var gcs []GroupCount
	for _, a := range arms {
		d.Add(0, a.arm, "", "", a.n)
		d.Add(0, a.arm, "recall", survey.SlotAnswered, a.n)
		d.Add(0, a.arm, "recall", "yes", a.yes)
		d.Add(0, a.arm, "recall", "no", a.n-a.yes)
		gcs = append(gcs, GroupCount{Group: a.arm, N: a.n})
	}
	o := Options{Now: time.Unix(0, 0)}
	if err := o.Validate(st); err != nil {
		t.Fatal(err)
	}
	r, err := Build(Input{Study: st, Tallies: d, GroupCounts: gcs}, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func recallStudy() *survey.Study {
	st := &survey.Study{ID: "d1"}
	st.Kind, st.Confidence, st.Assignment, st.ControlShare = survey.KindBrandLift, 0.9, survey.AssignHoldout, 1.0/3
	st.Questions = []survey.Question{{Key: "recall", Type: survey.SingleChoice, Metric: survey.AdRecall,
		Options: []survey.Option{{Key: "yes", Positive: true}, {Key: "no"}}}}
	return st
}

func near(t *testing.T, what string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-12*math.Max(1, math.Abs(want)) {
		t.Errorf("%s = %.17g, want %.17g", what, got, want)
	}
}

// TestTwoCells: control 80/400, cell a 100/400, cell b 140/400. Each
// cell's lift is the stats package's comparison of that cell with
// control; the Holm values are statsmodels' multipletests(method="holm")
// of the two z-test p-values (proportions_ztest: 0.09039171456246053 and
// 2.0256786970506975e-06), and the pair b - a has the z-test p of
// proportions_ztest([140, 100], [400, 400]).
func TestTwoCells(t *testing.T) {
	st := recallStudy()
	st.Cells = []survey.CreativeCell{{Key: "video_a"}, {Key: "video_b"}}
	r := buildArms(t, st, []armCount{
		{survey.GroupControl, 400, 80},
		{survey.Arm("", survey.GroupExposed, "video_a"), 400, 100},
		{survey.Arm("", survey.GroupExposed, "video_b"), 400, 140},
	})
	pooled := r.Metrics[0].(*LiftMetric)
	if pooled.Exposed.N != 800 || pooled.Exposed.Positive != 240 || pooled.Control.N != 400 {
		t.Fatalf("pooled exposed %+v control %+v, want 240/800 against 80/400", pooled.Exposed, pooled.Control)
	}
	if r.Cells == nil || len(r.Cells.Cells) != 2 || r.Cells.Correction != CorrectionHolm {
		t.Fatalf("cells report %+v", r.Cells)
	}
	wantHolm := []float64{0.09039171456246053, 4.051357394101395e-06}
	for i, c := range r.Cells.Cells {
		m := c.Metrics[0].(*LiftMetric)
		yes := []int64{100, 140}[i]
		want := stats.CompareProportions(stats.Count{Positive: yes, N: 400}, stats.Count{Positive: 80, N: 400}, 0.9)
		near(t, c.Cell+" abs_lift", m.AbsLift, want.AbsLift)
		near(t, c.Cell+" ci.lo", m.AbsLiftCI.Lo, want.AbsLiftCI.Lo)
		near(t, c.Cell+" p", m.PValue, want.PValue)
		if m.PValueAdjusted == nil || m.Adjustment != "holm" {
			t.Fatalf("%s has no Holm value: %+v", c.Cell, m)
		}
		if math.Abs(*m.PValueAdjusted-wantHolm[i]) > 1e-9*wantHolm[i] {
			t.Errorf("%s Holm p = %.17g, statsmodels %.17g", c.Cell, *m.PValueAdjusted, wantHolm[i])
		}
		if m.Significant != (wantHolm[i] < 0.1) {
			t.Errorf("%s significant = %v with Holm p %g", c.Cell, m.Significant, wantHolm[i])
		}
		if c.Counts.Exposed != 400 || c.Counts.Control != 400 {
			t.Errorf("%s counts %+v", c.Cell, c.Counts)
		}
	}
	if len(r.Cells.Pairs) != 1 || len(r.Cells.Pairs[0].Metrics) != 1 {
		t.Fatalf("pairs %+v", r.Cells.Pairs)
	}
	pm := r.Cells.Pairs[0].Metrics[0]
	near(t, "pair diff", pm.Diff, 0.1)
	if math.Abs(pm.PValue-0.0020282311484520824) > 1e-9 || pm.PValueAdjusted != pm.PValue || !pm.Significant {
		t.Errorf("pair %+v, want p 0.0020282311484520824 (one pair: Holm leaves it) and significant", pm)
	}
	if r.Health.SRM == nil || len(r.Health.SRM.Observed) != 3 || r.Health.SRM.Mismatch {
		t.Errorf("srm over control and cells: %+v", r.Health.SRM)
	}
	if len(r.Health.Progress) != 3 || r.Health.Progress[1].Group != "exposed:video_a" {
		t.Errorf("progress per arm: %+v", r.Health.Progress)
	}
	if r.Methods["cells"] == "" {
		t.Error("methods do not name the correction")
	}
}

// TestCellsSRM: 400 control against 400 and 100 in cells planned equal
// is a mismatch over the three arms, and significance is off.
func TestCellsSRM(t *testing.T) {
	st := recallStudy()
	st.Cells = []survey.CreativeCell{{Key: "a"}, {Key: "b"}}
	r := buildArms(t, st, []armCount{
		{survey.GroupControl, 400, 80},
		{survey.Arm("", survey.GroupExposed, "a"), 400, 140},
		{survey.Arm("", survey.GroupExposed, "b"), 100, 40},
	})
	if !r.Health.SRM.Mismatch {
		t.Fatalf("no mismatch: %+v", r.Health.SRM)
	}
	for _, c := range r.Cells.Cells {
		if m := c.Metrics[0].(*LiftMetric); m.Significant {
			t.Errorf("cell %s significant despite the mismatch", c.Cell)
		}
	}
}

// TestWaves: pre 60/300 exposed and 57/300 control, post 105/300 and
// 63/300. The difference-in-differences is (0.35 - 0.21) - (0.20 - 0.19)
// = 0.13 with the unpooled standard errors of both lifts: numpy and
// scipy give SE 0.04855580981372535, p 0.007421116565321931 and the 90%
// interval [0.05013280011832795, 0.20986719988167202]; the whole waves
// moved from 117/600 to 168/600, +0.085, p 0.0005070599876739956.
func TestWaves(t *testing.T) {
	st := recallStudy()
	st.Waves = []survey.Wave{{Key: "pre"}, {Key: "post"}}
	r := buildArms(t, st, []armCount{
		{survey.Arm("pre", survey.GroupExposed, ""), 300, 60},
		{survey.Arm("pre", survey.GroupControl, ""), 300, 57},
		{survey.Arm("post", survey.GroupExposed, ""), 300, 105},
		{survey.Arm("post", survey.GroupControl, ""), 300, 63},
	})
	if r.Waves == nil || r.Waves.Main != "post" || len(r.Waves.Waves) != 2 || len(r.Waves.Comparisons) != 1 {
		t.Fatalf("waves %+v", r.Waves)
	}
	if m := r.Metrics[0].(*LiftMetric); m.Exposed.Positive != 105 || m.Control.Positive != 63 {
		t.Errorf("headline is not the post wave: %+v", m)
	}
	cmp := r.Waves.Comparisons[0]
	if len(cmp.DiffInDiff) != 1 || len(cmp.Change) != 1 {
		t.Fatalf("comparison %+v", cmp)
	}
	did := cmp.DiffInDiff[0]
	near(t, "did", did.Diff, 0.12999999999999998)
	near(t, "did se", did.SE, 0.04855580981372535)
	near(t, "did lo", did.DiffCI.Lo, 0.05013280011832795)
	near(t, "did hi", did.DiffCI.Hi, 0.20986719988167202)
	if math.Abs(did.PValue-0.007421116565321931) > 1e-12 {
		t.Errorf("did p = %.17g", did.PValue)
	}
	ch := cmp.Change[0]
	near(t, "change", ch.Diff, 0.08500000000000002)
	if math.Abs(ch.PValue-0.0005070599876739956) > 1e-12 || ch.Measure != "rate" {
		t.Errorf("change %+v", ch)
	}
	if len(r.Health.Progress) != 4 || r.Health.Progress[0].Group != "pre/control" {
		t.Errorf("progress per wave and group: %+v", r.Health.Progress)
	}
}

// TestWaveWithoutGroups: a pre wave answered by control only has a
// change over the whole wave but no difference-in-differences, and says
// why.
func TestWaveWithoutGroups(t *testing.T) {
	st := recallStudy()
	st.Waves = []survey.Wave{{Key: "pre"}, {Key: "post"}}
	r := buildArms(t, st, []armCount{
		{survey.Arm("pre", survey.GroupControl, ""), 300, 57},
		{survey.Arm("post", survey.GroupExposed, ""), 300, 105},
		{survey.Arm("post", survey.GroupControl, ""), 300, 63},
	})
	cmp := r.Waves.Comparisons[0]
	if len(cmp.DiffInDiff) != 0 || cmp.Reason == "" || len(cmp.Change) != 1 {
		t.Errorf("comparison %+v", cmp)
	}
}
