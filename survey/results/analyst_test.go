package results

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// cellData is one cell's respondents per group with their yes answers
// to recall, NPS scores and a rating.
type cellData struct {
	attrs            map[string]string
	nE, yesE         int64
	nC, yesC         int64
	npsE, npsC       int64 // the score everyone in the cell gave
	ratingE, ratingC int64
}

// analystStudy is a study with recall, NPS and a rating.
func analystStudy(assign survey.Assignment, control float64, planned bool) *survey.Study {
	st := &survey.Study{ID: "a1"}
	st.Kind, st.Confidence, st.Assignment, st.ControlShare, st.PlannedSplit = survey.KindBrandLift, 0.9, assign, control, planned
	st.Reach, st.Spend = 1_000_000, 100_000
	st.Questions = []survey.Question{
		{Key: "recall", Type: survey.SingleChoice, Metric: survey.AdRecall,
			Options: []survey.Option{{Key: "yes", Positive: true}, {Key: "no"}}},
		{Key: "nps", Type: survey.NPSQuestion},
		{Key: "csat", Type: survey.Rating, Scale: 5},
	}
	return st
}

func buildFrom(t *testing.T, st *survey.Study, cells []cellData, o Options) (*Report, error) {
	t.Helper()
	cs := make([]survey.Cell, len(cells))
	for i, c := range cells {
		cs[i] = survey.Cell{ID: string(rune('a' + i)), Attrs: c.attrs}
	}
	d := NewTallies(cs)
	var nE, nC int64
	for i, c := range cells {
		for _, g := range []struct {
			grp              survey.Group
			n, yes, nps, rat int64
		}{{survey.GroupExposed, c.nE, c.yesE, c.npsE, c.ratingE}, {survey.GroupControl, c.nC, c.yesC, c.npsC, c.ratingC}} {
			d.Add(i, g.grp, "", "", g.n)
			for _, q := range []string{"recall", "nps", "csat"} {
				d.Add(i, g.grp, q, survey.SlotAnswered, g.n)
			}
			d.Add(i, g.grp, "recall", "yes", g.yes)
			d.Add(i, g.grp, "recall", "no", g.n-g.yes)
			d.Add(i, g.grp, "nps", string(rune('0'+g.nps)), g.n)
			d.Add(i, g.grp, "csat", string(rune('0'+g.rat)), g.n)
		}
		nE, nC = nE+c.nE, nC+c.nC
	}
	o.Now = time.Unix(0, 0)
	if err := o.Validate(st); err != nil {
		return nil, err
	}
	return Build(Input{Study: st, Tallies: d, GroupCounts: []GroupCount{{survey.GroupExposed, "", nE}, {survey.GroupControl, "", nC}}}, o)
}

func mustBuild(t *testing.T, st *survey.Study, cells []cellData, o Options) *Report {
	t.Helper()
	r, err := buildFrom(t, st, cells, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestSRMTurnsSignificanceOff: a signed-link study planned at 50/50 that
// arrives 520/80 warns, and no lift is significant until the analyst
// says ignore_srm; a study without a planned split says why it is not
// checked.
func TestSRMTurnsSignificanceOff(t *testing.T) {
	cells := []cellData{{nE: 520, yesE: 260, nC: 80, yesC: 16, npsE: 9, npsC: 5, ratingE: 5, ratingC: 2}}
	cells = append(cells, cellData{nE: 1, yesE: 0, nC: 1, yesC: 0, npsE: 0, npsC: 10, ratingE: 1, ratingC: 5}) // spread for the tests
	st := analystStudy(survey.AssignSignedLink, 0.5, true)
	r := mustBuild(t, st, cells, Options{})
	srm := r.Health.SRM
	if srm == nil || !srm.Defined || !srm.Mismatch || !(srm.PValue < 1e-50) {
		t.Fatalf("srm %+v", srm)
	}
	lift := r.Metrics[0].(*LiftMetric)
	if lift.Significant || !strings.Contains(lift.Reasons["significant"], "sample ratio mismatch") || lift.PValue > 1e-6 {
		t.Errorf("lift under SRM: significant %v, reasons %v, p %v", lift.Significant, lift.Reasons, lift.PValue)
	}
	nps := r.Metrics[1].(*NPSMetric)
	if nps.Significant == nil || *nps.Significant || nps.Reasons["significant"] == "" {
		t.Errorf("nps under SRM: %+v", nps.Test)
	}
	if !slices.ContainsFunc(r.Health.Notes, func(n string) bool { return strings.Contains(n, "significance is off") }) {
		t.Errorf("notes %v", r.Health.Notes)
	}
	ignored := mustBuild(t, st, cells, Options{IgnoreSRM: true})
	if l := ignored.Metrics[0].(*LiftMetric); !l.Significant || l.Reasons["significant"] != "" || !ignored.IgnoreSRM ||
		!strings.Contains(ignored.Methods["significance"], "ignore_srm") || !ignored.Health.SRM.Mismatch {
		t.Errorf("ignore_srm: significant %v, reasons %v, methods %q", l.Significant, l.Reasons, ignored.Methods["significance"])
	}
	undeclared := mustBuild(t, analystStudy(survey.AssignSignedLink, 0.5, false), cells, Options{})
	if s := undeclared.Health.SRM; s.Defined || !strings.Contains(s.Reason, "planned split") || !undeclared.Metrics[0].(*LiftMetric).Significant {
		t.Errorf("undeclared split: %+v", s)
	}
	exposure := mustBuild(t, analystStudy(survey.AssignExposure, 0.5, false), cells, Options{})
	if s := exposure.Health.SRM; s.Defined || !strings.Contains(s.Reason, "exposure") {
		t.Errorf("exposure: %+v", s)
	}
}

// TestQValuesCoverEveryTest: lifts, NPS and rating differences form one
// Benjamini-Hochberg family.
func TestQValuesCoverEveryTest(t *testing.T) {
	cells := []cellData{
		{nE: 200, yesE: 80, nC: 200, yesC: 60, npsE: 10, npsC: 9, ratingE: 4, ratingC: 4},
		{nE: 100, yesE: 20, nC: 100, yesC: 25, npsE: 3, npsC: 6, ratingE: 2, ratingC: 3},
	}
	r := mustBuild(t, analystStudy(survey.AssignHoldout, 0.5, false), cells, Options{})
	lift, nps, rating := r.Metrics[0].(*LiftMetric), r.Metrics[1].(*NPSMetric), r.Metrics[2].(*RatingMetric)
	want := stats.BenjaminiHochberg([]float64{lift.PValue, *nps.PValue, *rating.PValue})
	got := []float64{lift.QValue, *nps.QValue, *rating.QValue}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("q-values %v, want %v", got, want)
		}
	}
	if nps.SignificantBy != ByZTest || rating.SignificantBy != ByWelch || lift.SignificantBy != ByZTest {
		t.Errorf("significant_by %q %q %q", lift.SignificantBy, nps.SignificantBy, rating.SignificantBy)
	}
}

// TestPValuesAreNotRoundedToZero: a z of about 37 gives p near 1e-300,
// in the report and in its q-value.
func TestPValuesAreNotRoundedToZero(t *testing.T) {
	cells := []cellData{{nE: 70000, yesE: 42000, nC: 70000, yesC: 35000, npsE: 9, npsC: 7, ratingE: 4, ratingC: 3}}
	cells = append(cells, cellData{nE: 2, yesE: 1, nC: 2, yesC: 1, npsE: 0, npsC: 0, ratingE: 1, ratingC: 1})
	r := mustBuild(t, analystStudy(survey.AssignHoldout, 0.5, false), cells, Options{})
	lift := r.Metrics[0].(*LiftMetric)
	want := stats.CompareProportions(stats.Count{Positive: 42001, N: 70002}, stats.Count{Positive: 35001, N: 70002}, 0.9)
	if !(lift.PValue > 0 && lift.PValue < 1e-250) || lift.PValue != want.PValue || !(lift.QValue > 0) || lift.Z < 35 {
		t.Errorf("p %v q %v z %v (stats %v)", lift.PValue, lift.QValue, lift.Z, want.PValue)
	}
	// The normal tail: p = erfc(z/sqrt 2), which does not cancel.
	if rel := math.Abs(lift.PValue-math.Erfc(lift.Z/math.Sqrt2)) / lift.PValue; rel > 1e-12 {
		t.Errorf("p %v against erfc %v", lift.PValue, math.Erfc(lift.Z/math.Sqrt2))
	}
}

// TestCostPerLiftedUserNeedsALift: with a lift not distinguishable from
// zero, neither the cost nor its interval is shown, and the reason says so.
func TestCostPerLiftedUserNeedsALift(t *testing.T) {
	weak := []cellData{{nE: 400, yesE: 108, nC: 400, yesC: 100, npsE: 9, npsC: 9, ratingE: 4, ratingC: 4}}
	r := mustBuild(t, analystStudy(survey.AssignHoldout, 0.5, false), weak, Options{})
	lift := r.Metrics[0].(*LiftMetric)
	if lift.AbsLift <= 0 || lift.AbsLiftCI.Lo >= 0 || lift.CostPerLiftedUser != nil || lift.CostPerLiftedUserCI != nil ||
		lift.Reasons["cost_per_lifted_user"] != reasonNoLift || lift.Reasons["cost_per_lifted_user_ci"] != reasonNoLift {
		t.Errorf("weak lift: cost %v ci %v reasons %v", lift.CostPerLiftedUser, lift.CostPerLiftedUserCI, lift.Reasons)
	}
	strong := []cellData{{nE: 400, yesE: 200, nC: 400, yesC: 100, npsE: 9, npsC: 9, ratingE: 4, ratingC: 4}}
	lift = mustBuild(t, analystStudy(survey.AssignHoldout, 0.5, false), strong, Options{}).Metrics[0].(*LiftMetric)
	if lift.CostPerLiftedUser == nil || lift.CostPerLiftedUserCI == nil || lift.CostPerLiftedUserCI.Lo > *lift.CostPerLiftedUser {
		t.Errorf("strong lift: cost %v ci %v", lift.CostPerLiftedUser, lift.CostPerLiftedUserCI)
	}
}

// TestCrossedSegments: two attributes crossed, small levels pooled into
// "other" with a note, and an unknown attribute refused with the list.
func TestCrossedSegments(t *testing.T) {
	cells := []cellData{
		{attrs: map[string]string{"age": "18-34", "gender": "f"}, nE: 120, yesE: 60, nC: 110, yesC: 40, npsE: 9, npsC: 7, ratingE: 4, ratingC: 3},
		{attrs: map[string]string{"age": "18-34", "gender": "m"}, nE: 100, yesE: 40, nC: 90, yesC: 30, npsE: 8, npsC: 6, ratingE: 3, ratingC: 3},
		{attrs: map[string]string{"age": "35+", "gender": "f"}, nE: 20, yesE: 8, nC: 30, yesC: 9, npsE: 10, npsC: 2, ratingE: 5, ratingC: 1},
		{attrs: map[string]string{"age": "35+", "gender": "m"}, nE: 10, yesE: 5, nC: 12, yesC: 3, npsE: 0, npsC: 9, ratingE: 1, ratingC: 4},
	}
	st := analystStudy(survey.AssignHoldout, 0.5, false)
	r := mustBuild(t, st, cells, Options{Segment: "age,gender"})
	var levels []string
	for _, s := range r.Segments {
		levels = append(levels, s.Level)
	}
	if !slices.Equal(levels, []string{"18-34 / f", "18-34 / m", OtherLevel}) {
		t.Fatalf("levels %v", levels)
	}
	other := r.Segments[2]
	if !slices.Equal(other.Other, []string{"35+ / f", "35+ / m"}) || other.Counts.Exposed != 30 || other.Counts.Control != 42 || !strings.Contains(other.Notes, "pooled") {
		t.Errorf("other %+v", other)
	}
	if v := r.Segments[0].Values; v["age"] != "18-34" || v["gender"] != "f" {
		t.Errorf("values %v", v)
	}
	if l := other.Metrics[0].(*LiftMetric); !l.LowSample || l.SignificantBy != ByFisherExact {
		t.Errorf("pooled level lift: low %v by %q", l.LowSample, l.SignificantBy)
	}
	_, err := buildFrom(t, st, cells, Options{Segment: "region"})
	var ue *UnknownAttributeError
	if !errors.As(err, &ue) || ue.Attribute != "region" || !slices.Equal(ue.Known, []string{"age", "device", "frequency", "gender"}) {
		t.Errorf("unknown attribute: %v", err)
	}
	for _, bad := range []string{"age,age", "age,frequency", "age,gender,device", "Age"} {
		if _, err := buildFrom(t, st, cells, Options{Segment: bad}); err == nil {
			t.Errorf("segment %q accepted", bad)
		}
	}
}

// TestStratifiedReport compares the report's stratified lift with the
// stats function on the same strata (checked against statsmodels there).
func TestStratifiedReport(t *testing.T) {
	cells := []cellData{
		{attrs: map[string]string{"age": "18-34"}, nE: 300, yesE: 150, nC: 100, yesC: 40, npsE: 9, npsC: 7, ratingE: 4, ratingC: 3},
		{attrs: map[string]string{"age": "35+"}, nE: 100, yesE: 20, nC: 300, yesC: 45, npsE: 8, npsC: 6, ratingE: 3, ratingC: 3},
	}
	st := analystStudy(survey.AssignHoldout, 0.5, false)
	r := mustBuild(t, st, cells, Options{Weighting: "stratify", By: []string{"age"}})
	if r.Stratified == nil || len(r.Stratified.Metrics) != 1 {
		t.Fatalf("stratified %+v", r.Stratified)
	}
	got := r.Stratified.Metrics[0]
	want := stats.StratifiedLift([]stats.Stratum{
		{Exposed: stats.Count{Positive: 150, N: 300}, Control: stats.Count{Positive: 40, N: 100}},
		{Exposed: stats.Count{Positive: 20, N: 100}, Control: stats.Count{Positive: 45, N: 300}},
	}, 0.9)
	if got.AbsLift != want.AbsLift || got.CMHPValue != want.CMHPValue || got.Strata != 2 || !got.Defined {
		t.Errorf("got %+v\nwant %+v", got.Stratified, want)
	}
	// Composition differs, so the crude and the stratified lifts differ.
	crude := r.Metrics[0].(*LiftMetric).AbsLift
	if math.Abs(crude-got.AbsLift) < 0.05 {
		t.Errorf("crude %v and stratified %v lifts should differ here", crude, got.AbsLift)
	}
	if !strings.Contains(r.Methods["weighting"], "post-stratification") {
		t.Errorf("methods %v", r.Methods["weighting"])
	}
	if _, err := buildFrom(t, st, cells, Options{Weighting: "stratify"}); err == nil {
		t.Error("stratify without by accepted")
	}
}

// TestEveryGroupSizeIsReported: one answer per group is enough for
// numbers; none leaves a withheld entry with the reason.
func TestEveryGroupSizeIsReported(t *testing.T) {
	st := analystStudy(survey.AssignHoldout, 0.5, false)
	one := mustBuild(t, st, []cellData{{nE: 1, yesE: 1, nC: 1, yesC: 0, npsE: 10, npsC: 0, ratingE: 5, ratingC: 1}}, Options{})
	lift := one.Metrics[0].(*LiftMetric)
	if !lift.LowSample || lift.Exposed.N != 1 || lift.AbsLift != 1 || lift.SignificantBy != ByFisherExact || !strings.Contains(lift.Notes, "low sample") {
		t.Errorf("one per group: %+v", lift)
	}
	if rt := one.Metrics[2].(*RatingMetric); rt.Reasons["mean_diff_ci"] == "" || rt.Exposed.Mean != 5 {
		t.Errorf("rating with one answer per group: %+v", rt)
	}
	if !slices.Equal(one.Health.LowSample, []string{"recall", "nps", "csat"}) || one.Health.EnoughData {
		t.Errorf("health %+v", one.Health)
	}
	empty := mustBuild(t, st, []cellData{{nE: 3, yesE: 1, npsE: 10, ratingE: 5}}, Options{})
	w, ok := empty.Metrics[0].(*WithheldMetric)
	if !ok || w.Reason != "no answers yet in the control group" || w.N[survey.GroupExposed] != 3 {
		t.Errorf("no control: %+v", empty.Metrics[0])
	}
	// min_per_group moves the line.
	r := mustBuild(t, st, []cellData{{nE: 30, yesE: 20, nC: 30, yesC: 5, npsE: 9, npsC: 3, ratingE: 4, ratingC: 2}}, Options{MinPerGroup: 25})
	if l := r.Metrics[0].(*LiftMetric); l.LowSample || l.SignificantBy != ByZTest || r.MinPerGroup != 25 || !r.Health.EnoughData {
		t.Errorf("min_per_group=25: low %v by %q", l.LowSample, l.SignificantBy)
	}
}
