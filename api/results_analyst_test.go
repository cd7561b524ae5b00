package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// TestSignedLinkSplitIsChecked: a signed-link study planned at 50/50 that
// arrives 130/20 warns of a sample ratio mismatch and calls nothing
// significant until ignore_srm=true; the report says which.
func TestSignedLinkSplitIsChecked(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["control_share"] = 0.5 })
		if !st.PlannedSplit {
			t.Fatal("control_share on a signed-link study does not declare the planned split")
		}
		seedKnown(t, app, st, "exposed", 130, 90)
		seedKnown(t, app, st, "control", 20, 2)
		var r struct {
			reportJSON
			IgnoreSRM    bool `json:"ignore_srm"`
			Significance string
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if srm := r.Health.SRM; srm == nil || !srm.Mismatch || srm.Observed[0] != 20 || srm.Observed[1] != 130 {
			t.Fatalf("srm %+v", r.Health.SRM)
		}
		recall := metric(r.reportJSON, "recall")
		reasons, _ := recall["reasons"].(map[string]any)
		if recall["significant"] != false || !strings.Contains(reasons["significant"].(string), "sample ratio mismatch") ||
			recall["p_value_fisher"].(float64) > 1e-6 || recall["significant_by"] != "fisher_exact" {
			t.Errorf("recall under SRM: %v", recall)
		}
		if r.IgnoreSRM || r.Significance != "fixed" {
			t.Errorf("ignore_srm %v significance %q", r.IgnoreSRM, r.Significance)
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?ignore_srm=true", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if recall := metric(r.reportJSON, "recall"); recall["significant"] != true || !r.IgnoreSRM {
			t.Errorf("ignore_srm=true: significant %v, ignore_srm %v", recall["significant"], r.IgnoreSRM)
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?ignore_srm=perhaps", survey.RoleAnalyst, nil).status(http.StatusBadRequest)
		// min_per_group on the request moves the low-sample line.
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?min_per_group=20&ignore_srm=true", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if recall := metric(r.reportJSON, "recall"); recall["low_sample"] != false || recall["significant_by"] != "z_test" {
			t.Errorf("min_per_group=20: %v %v", recall["low_sample"], recall["significant_by"])
		}
		for _, bad := range []string{"min_per_group=0", "min_per_group=10001", "min_per_group=x"} {
			if p := app.do("GET", "/api/v1/studies/"+st.ID+"/results?"+bad, survey.RoleAnalyst, nil).status(http.StatusBadRequest).problem(); !slices.Contains(p.fields(), "min_per_group") {
				t.Errorf("%s: %+v", bad, p)
			}
		}
	})
}

// TestSegmentsCrossAndRefuseUnknownAttributes: two attributes crossed; an
// attribute no respondent carries is a 422 listing those they do; the
// stratified lift comes with its strata.
func TestSegmentsCrossAndRefuseUnknownAttributes(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["planned_split"] = false })
		seedKnown(t, app, st, "exposed", 60, 30)
		seedKnown(t, app, st, "control", 60, 12)
		var r reportJSON
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?segment=age,device", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if len(r.Segments) != 2 || !strings.Contains(r.Segments[0].Level, " / ") {
			t.Errorf("crossed segments %+v", r.Segments)
		}
		p := app.do("GET", "/api/v1/studies/"+st.ID+"/results?segment=region", survey.RoleAnalyst, nil).status(http.StatusUnprocessableEntity).problem()
		if !slices.Contains(p.fields(), "segment") || !slices.Equal(p.ValidValues, []string{"age", "device", "frequency"}) || !strings.Contains(p.Detail, "region") {
			t.Errorf("unknown segment: %+v", p)
		}
		var s struct {
			Stratified *results.StratifiedReport
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?weighting=stratify&by=age", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&s)
		if s.Stratified == nil || len(s.Stratified.Metrics) != 1 || s.Stratified.Metrics[0].Strata != 2 || !s.Stratified.Metrics[0].Defined {
			t.Errorf("stratified %+v", s.Stratified)
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?weighting=stratify", survey.RoleAnalyst, nil).status(http.StatusBadRequest)
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?weighting=stratify&by=planet", survey.RoleAnalyst, nil).status(http.StatusUnprocessableEntity)
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?by=age", survey.RoleAnalyst, nil).status(http.StatusBadRequest)
		var tr results.Trend
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/trend?interval=day", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&tr)
		if tr.Timezone != "UTC" || len(tr.Periods) != 1 || tr.Periods[0].Changes == nil {
			t.Errorf("trend %+v", tr)
		}
	})
}
