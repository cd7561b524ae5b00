package api

import (
	"encoding/json"
	"math"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// planRefs are the planner's reference values from statsmodels
// (stats/testdata/gen_plan.py).
type planRefs struct {
	SampleSize []struct {
		PControl     float64 `json:"p_control"`
		Lift         float64
		Alpha        float64
		Power        float64
		ControlShare float64 `json:"control_share"`
		Cells        int
		Alternative  string
		NCell        int64 `json:"n_cell"`
		NControl     int64 `json:"n_control"`
		Total        int64
	} `json:"sample_size"`
	MDE []struct {
		PControl    float64 `json:"p_control"`
		NControl    int64   `json:"n_control"`
		NCell       int64   `json:"n_cell"`
		Cells       int
		Alpha       float64
		Power       float64
		Alternative string
		MDE         *float64
	}
}

func loadPlanRefs(t *testing.T) planRefs {
	t.Helper()
	raw, err := os.ReadFile("../stats/testdata/refs_plan.json")
	if err != nil {
		t.Fatal(err)
	}
	var r planRefs
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	if len(r.SampleSize) < 100 || len(r.MDE) < 50 {
		t.Fatalf("refs_plan.json has %d sample sizes and %d MDEs", len(r.SampleSize), len(r.MDE))
	}
	return r
}

type planCounts struct {
	Control int64
	PerCell int64 `json:"per_cell"`
	Total   int64
}

type planSizeReply struct {
	planCounts
	Invitations *planCounts
}

type planReply struct {
	Inputs struct {
		Confidence, Power float64
		ControlShare      float64 `json:"control_share"`
		Cells             int
		AlphaPerCell      float64 `json:"alpha_per_cell"`
	}
	TwoSided *planSizeReply `json:"two_sided"`
	OneSided *planSizeReply `json:"one_sided"`
	MDE      *struct {
		TwoSided *float64 `json:"two_sided"`
		OneSided *float64 `json:"one_sided"`
		Reasons  map[string]string
	}
	Method string
}

// TestPlanner: the planner's sample sizes and detectable lifts are
// statsmodels' (samplesize_proportions_2indep_onetail and
// power_proportions_2indep, at alpha / cells) over the reference grid.
func TestPlanner(t *testing.T) {
	refs := loadPlanRefs(t)
	forEachDB(t, func(t *testing.T, app *testApp) { checkPlanner(t, app, refs) })
}

func checkPlanner(t *testing.T, app *testApp, refs planRefs) {
	checked := 0
	for i, c := range refs.SampleSize {
		if i%7 != 0 { // a spread of the grid: every 7th case
			continue
		}
		var r planReply
		app.do("POST", "/api/v1/plan", survey.RoleMarketer, map[string]any{"baseline_rate": c.PControl, "lift": c.Lift,
			"confidence": 1 - c.Alpha, "power": c.Power, "control_share": c.ControlShare, "cells": c.Cells}).status(http.StatusOK).decode(&r)
		got := r.TwoSided
		if c.Alternative == "larger" {
			got = r.OneSided
		}
		if got == nil || got.Control != c.NControl || got.PerCell != c.NCell || got.Total != c.Total || got.Invitations != nil {
			t.Errorf("case %d %+v: got %+v", i, c, got)
		}
		checked++
	}
	for i, c := range refs.MDE {
		if c.NControl < 2 || c.NCell < 2 {
			continue
		}
		var r planReply
		app.do("POST", "/api/v1/plan", survey.RoleMarketer, map[string]any{"baseline_rate": c.PControl, "confidence": 1 - c.Alpha,
			"power": c.Power, "cells": c.Cells, "completes": map[string]int64{"control": c.NControl, "per_cell": c.NCell}}).
			status(http.StatusOK).decode(&r)
		if r.TwoSided != nil || r.MDE == nil {
			t.Fatalf("mde case %d: %+v", i, r)
		}
		got := r.MDE.TwoSided
		if c.Alternative == "larger" {
			got = r.MDE.OneSided
		}
		switch {
		case c.MDE == nil && got != nil:
			t.Errorf("mde case %d: %v where statsmodels detects no lift", i, *got)
		case c.MDE != nil && (got == nil || math.Abs(*got-*c.MDE) > 1e-9**c.MDE):
			t.Errorf("mde case %d: %v, want %v", i, got, *c.MDE)
		}
		checked++
	}
	if checked < 200 {
		t.Fatalf("checked only %d cases", checked)
	}

	// A two-cell study at 30% control, 20% baseline, 3 points, 90%
	// confidence: control 2737 and 3193 per cell (stats' example); at a 5%
	// response rate and 80% reach, ⌈2737/0.05⌉ and ⌈3193/(0.05×0.8)⌉
	// invitations.
	var r planReply
	app.do("POST", "/api/v1/plan", survey.RoleMarketer, map[string]any{"baseline_rate": 0.2, "lift": 0.03, "control_share": 0.3,
		"cells": 2, "response_rate": 0.05, "reach": 0.8}).status(http.StatusOK).decode(&r)
	if r.Inputs.Confidence != 0.9 || r.Inputs.Power != 0.8 || math.Abs(r.Inputs.AlphaPerCell-0.05) > 1e-15 || !strings.Contains(r.Method, "Bonferroni") {
		t.Errorf("defaults: %+v", r.Inputs)
	}
	if s := r.TwoSided; s == nil || s.Control != 2737 || s.PerCell != 3193 || s.Total != 9123 || s.Invitations == nil ||
		*s.Invitations != (planCounts{54740, 79825, 54740 + 2*79825}) {
		t.Errorf("two-cell plan: %+v %+v", r.TwoSided, r.TwoSided.Invitations)
	}

	// Bad input names its field; analysts do not plan.
	for body, field := range map[string]string{
		`{"lift": 0.03}`:                                                       "baseline_rate",
		`{"baseline_rate": 0.2}`:                                               "lift",
		`{"baseline_rate": 0.2, "lift": 0}`:                                    "lift",
		`{"baseline_rate": 0.9, "lift": 0.2}`:                                  "lift",
		`{"baseline_rate": 1.2, "lift": 0.02}`:                                 "baseline_rate",
		`{"baseline_rate": 0.2, "lift": 0.02, "cells": 9}`:                     "cells",
		`{"baseline_rate": 0.2, "lift": 0.02, "power": 1}`:                     "power",
		`{"baseline_rate": 0.2, "lift": 0.02, "reach": 0}`:                     "reach",
		`{"baseline_rate": 0.2, "completes": {"control": 1, "per_cell": 100}}`: "completes.control",
		`{"baseline_rate": 0.2, "lift": 0.02, "response_rate": 1.5}`:           "response_rate",
	} {
		p := app.do("POST", "/api/v1/plan", survey.RoleMarketer, json.RawMessage(body)).status(http.StatusUnprocessableEntity).problem()
		if f := p.fields(); len(f) != 1 || f[0] != field {
			t.Errorf("%s: fields %v, want %s", body, f, field)
		}
	}
	p := app.do("POST", "/api/v1/plan", survey.RoleMarketer, json.RawMessage(`{"baseline_rate": 0.2, "lift": 0.02, "alpha": 0.1}`)).
		status(http.StatusBadRequest).problem()
	if f := p.fields(); len(f) != 1 || f[0] != "alpha" {
		t.Errorf("unknown field: %v", f)
	}
	app.do("POST", "/api/v1/plan", survey.RoleAnalyst, map[string]any{"baseline_rate": 0.2, "lift": 0.02}).status(http.StatusForbidden)
}
