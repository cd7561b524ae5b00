package results

import (
	"math"
	"strconv"
	"testing"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// TestTrendChangesAndSmallPeriods: each period's NPS against the previous
// one with its test, and a one-response day marked low_sample.
func TestTrendChangesAndSmallPeriods(t *testing.T) {
	st := &survey.Study{ID: "t1"}
	st.Kind, st.Confidence, st.Timezone = survey.KindNPS, 0.9, "Europe/Moscow"
	st.Questions = []survey.Question{{Key: "nps", Type: survey.NPSQuestion}}
	days := []survey.Cell{{ID: "2026-11-30"}, {ID: "2026-12-01"}, {ID: "2026-12-02"}}
	d := NewTallies(days)
	add := func(day int, score string, n int64) {
		d.Add(day, survey.GroupAll, "", "", n)
		d.Add(day, survey.GroupAll, "nps", survey.SlotAnswered, n)
		d.Add(day, survey.GroupAll, "nps", score, n)
	}
	add(0, "10", 60)
	add(0, "3", 40)
	add(1, "10", 40)
	add(1, "3", 60)
	add(2, "10", 1)
	o := Options{}
	if err := o.Validate(st); err != nil {
		t.Fatal(err)
	}
	tr, err := BuildTrend(st, d, "day", o)
	if err != nil {
		t.Fatal(err)
	}
	if tr.Timezone != "Europe/Moscow" || len(tr.Periods) != 3 || tr.MinPerGroup != 50 {
		t.Fatalf("trend %+v", tr)
	}
	if len(tr.Periods[0].Changes) != 0 || tr.Periods[0].LowSample {
		t.Errorf("first period: %+v", tr.Periods[0])
	}
	c := tr.Periods[1].Changes
	a := stats.NPSFromCounts([11]int64{3: 40, 10: 60}, 0.9)
	b := stats.NPSFromCounts([11]int64{3: 60, 10: 40}, 0.9)
	want := stats.CompareEstimates(a.NPS, a.SE, b.NPS, b.SE, 0.9)
	if len(c) != 1 || c[0].Measure != "nps" || c[0].Previous != a.NPS || c[0].Current != b.NPS || math.Abs(c[0].Diff+40) > 1e-9 || c[0].Diff != want.Diff ||
		c[0].PValue != want.PValue || c[0].DiffCI != want.DiffCI || c[0].LowSample {
		t.Errorf("change %+v, want %+v", c, want)
	}
	last := tr.Periods[2]
	m := last.Metrics[0].(*NPSMetric)
	if !last.LowSample || !m.LowSample || m.Reasons["all.ci"] == "" || !last.Changes[0].LowSample {
		t.Errorf("one-response day: low %v, metric low %v, reasons %v", last.LowSample, m.LowSample, m.Reasons)
	}
}

// TestTrendRolling: with rolling=7 each day carries the NPS of the seven
// days ending with it, the same as a count over those days by hand.
func TestTrendRolling(t *testing.T) {
	st := &survey.Study{ID: "t2"}
	st.Kind, st.Confidence = survey.KindNPS, 0.9
	st.Questions = []survey.Question{{Key: "nps", Type: survey.NPSQuestion}}
	var days []survey.Cell
	for i := 1; i <= 10; i++ {
		days = append(days, survey.Cell{ID: "2026-11-" + map[bool]string{true: "0", false: ""}[i < 10] + strconv.Itoa(i)})
	}
	d := NewTallies(days)
	var promoters, detractors [10]int64
	for i := range days {
		promoters[i], detractors[i] = int64(10+3*i), int64(20-i)
		d.Add(i, survey.GroupAll, "", "", promoters[i]+detractors[i])
		d.Add(i, survey.GroupAll, "nps", survey.SlotAnswered, promoters[i]+detractors[i])
		d.Add(i, survey.GroupAll, "nps", "10", promoters[i])
		d.Add(i, survey.GroupAll, "nps", "2", detractors[i])
	}
	o := Options{Rolling: 7}
	if err := o.Validate(st); err != nil {
		t.Fatal(err)
	}
	tr, err := BuildTrend(st, d, "day", o)
	if err != nil {
		t.Fatal(err)
	}
	if tr.RollingDays != 7 || len(tr.Periods) != 10 {
		t.Fatalf("trend: rolling %d, %d periods", tr.RollingDays, len(tr.Periods))
	}
	for i, p := range tr.Periods {
		var c [11]int64
		for j := max(0, i-6); j <= i; j++ {
			c[10] += promoters[j]
			c[2] += detractors[j]
		}
		want := stats.NPSFromCounts(c, 0.9)
		got := p.Rolling[0].(*NPSMetric).All
		if got.NPS != want.NPS || got.N != want.N {
			t.Errorf("day %s: rolling NPS %v (n %d), want %v (n %d)", p.Period, got.NPS, got.N, want.NPS, want.N)
		}
	}
	o.Rolling = 3
	if _, err := BuildTrend(st, d, "day", o); err == nil {
		t.Error("a 3-day window was accepted")
	}
}
