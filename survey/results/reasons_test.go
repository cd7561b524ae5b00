package results

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// edgeStudy has a lift whose control never answers yes, an NPS question
// every exposed respondent gives 10, and a rating everybody gives 3.
func edgeStudy() *survey.Study {
	st := &survey.Study{ID: "s1"}
	st.Kind, st.Confidence, st.Assignment = survey.KindBrandLift, 0.9, survey.AssignSignedLink
	st.Questions = []survey.Question{
		{Key: "recall", Type: survey.SingleChoice, Metric: survey.AdRecall,
			Options: []survey.Option{{Key: "yes", Positive: true}, {Key: "no"}}},
		{Key: "nps", Type: survey.NPSQuestion},
		{Key: "csat", Type: survey.Rating, Scale: 5},
	}
	st.Targets = []survey.Target{{Question: "recall", Measure: "rel_lift", Target: 0.1, Deadline: time.Now().Add(time.Hour)}}
	return st
}

// TestEveryNullHasAReason builds a report on edge data and checks that
// every null, and every interval of no width, inside a metric or target is
// named in its reasons (or reason).
func TestEveryNullHasAReason(t *testing.T) {
	st := edgeStudy()
	d := NewTallies([]survey.Cell{{ID: "c"}})
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl} {
		d.Add(0, g, "", "", 100)
		d.Add(0, g, "recall", survey.SlotAnswered, 100)
		d.Add(0, g, "nps", survey.SlotAnswered, 100)
		d.Add(0, g, "csat", survey.SlotAnswered, 100)
		d.Add(0, g, "csat", "3", 100)
	}
	d.Add(0, survey.GroupExposed, "recall", "yes", 20)
	d.Add(0, survey.GroupExposed, "recall", "no", 80)
	d.Add(0, survey.GroupControl, "recall", "no", 100)
	d.Add(0, survey.GroupExposed, "nps", "10", 100)
	d.Add(0, survey.GroupControl, "nps", "5", 60)
	d.Add(0, survey.GroupControl, "nps", "9", 40)
	o := Options{}
	if err := o.Validate(st); err != nil {
		t.Fatal(err)
	}
	r, err := Build(Input{Study: st, Tallies: d, GroupCounts: []GroupCount{{survey.GroupExposed, "", 100}, {survey.GroupControl, "", 100}}}, o)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(r)
	var doc map[string]any
	json.Unmarshal(raw, &doc)
	checked := 0
	for _, m := range append(doc["metrics"].([]any), doc["targets"].([]any)...) {
		obj := m.(map[string]any)
		reasons, _ := obj["reasons"].(map[string]any)
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch x := v.(type) {
			case nil:
				checked++
				// a reason for rel_lift covers rel_lift_ci too
				if reasons[path] == nil && reasons[strings.TrimSuffix(path, "_ci")] == nil && obj["reason"] == nil {
					t.Errorf("%v %s is null with no reason: %s", obj["question"], path, raw)
				}
			case []any:
				if len(x) == 2 && x[0] == x[1] && strings.HasSuffix(path, "ci") {
					checked++
					if reasons[path] == nil {
						t.Errorf("%v %s has no width and no reason", obj["question"], path)
					}
				}
			case map[string]any:
				if path == "reasons" || path == "sequential" || path == "levels" {
					return // the sequential test carries its own defined and reason
				}
				for k, e := range x {
					p := k
					if path != "" {
						p = path + "." + k
					}
					walk(p, e)
				}
			}
		}
		walk("", obj)
	}
	if checked < 5 {
		t.Fatalf("only %d empty values: the data do not exercise the reasons (%s)", checked, raw)
	}
	// And the reasons say something a person can read.
	lift := r.Metrics[0].(*LiftMetric)
	if !strings.Contains(lift.Reasons["rel_lift"], "control") || lift.Reasons["lifted_users"] == "" {
		t.Errorf("lift reasons %v", lift.Reasons)
	}
	if tr := r.Targets[0]; tr.Status != "not_enough_data" || tr.Reason == "" {
		t.Errorf("target %+v", tr)
	}
}
