package api

import (
	"math"
	"net/http"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// PlanRequest is the body of POST /api/v1/plan: what a marketer knows
// before a study exists. BaselineRate and one of Lift or Completes are
// required; the rest have the defaults of a brand-lift study.
type PlanRequest struct {
	// BaselineRate is the expected control rate of the metric (0.2: 20%
	// of the unexposed recall the ad).
	BaselineRate *float64 `json:"baseline_rate,omitempty"`
	// Lift is the smallest absolute lift worth detecting (0.03: 3 points).
	Lift *float64 `json:"lift,omitempty"`
	// Confidence is 1 - alpha (default 0.9, the report's default).
	Confidence *float64 `json:"confidence,omitempty"`
	// Power is the chance to detect Lift when it is real (default 0.8).
	Power *float64 `json:"power,omitempty"`
	// ControlShare is the share of completes in control (default 0.5).
	ControlShare *float64 `json:"control_share,omitempty"`
	// Cells is the number of exposed cells, each compared with control
	// (default 1).
	Cells *int `json:"cells,omitempty"`
	// ResponseRate is the share of invited people who complete the
	// survey; with it the plan gives invitations.
	ResponseRate *float64 `json:"response_rate,omitempty"`
	// Reach is the share of the exposed cells' invited people who really
	// saw the ad (default 1); exposed invitations are divided by it.
	Reach *float64 `json:"reach,omitempty"`
	// Completes asks for the minimum detectable lift of a given sample.
	Completes *PlanCompletes `json:"completes,omitempty"`
}

// PlanCompletes is a sample: completes in control and in each cell.
type PlanCompletes struct {
	Control int64 `json:"control"`
	PerCell int64 `json:"per_cell"`
}

// PlanInputs echoes the request with its defaults filled in.
type PlanInputs struct {
	BaselineRate float64  `json:"baseline_rate"`
	Lift         *float64 `json:"lift,omitempty"`
	Confidence   float64  `json:"confidence"`
	Power        float64  `json:"power"`
	ControlShare float64  `json:"control_share"`
	Cells        int      `json:"cells"`
	ResponseRate *float64 `json:"response_rate,omitempty"`
	Reach        float64  `json:"reach"`
	// AlphaPerCell is the significance of each cell's comparison with
	// control: (1 - confidence) / cells, Bonferroni, Holm's first step.
	AlphaPerCell float64 `json:"alpha_per_cell"`
}

// PlanSize is the sample that a test needs to detect the lift.
type PlanSize struct {
	Control int64 `json:"control"`
	PerCell int64 `json:"per_cell"`
	Total   int64 `json:"total"`
	// Invitations are the people to invite for those completes (with a
	// response rate): control ones, per cell and in all.
	Invitations *PlanCompletesTotal `json:"invitations,omitempty"`
}

// PlanCompletesTotal is a count for control, per cell and in all.
type PlanCompletesTotal struct {
	Control int64 `json:"control"`
	PerCell int64 `json:"per_cell"`
	Total   int64 `json:"total"`
}

// PlanMDE is the smallest absolute lift detectable with the given
// completes, two- and one-sided; null (with the reason) when no lift up
// to a rate of 100% is.
type PlanMDE struct {
	Control  int64             `json:"control"`
	PerCell  int64             `json:"per_cell"`
	TwoSided *float64          `json:"two_sided"`
	OneSided *float64          `json:"one_sided"`
	Reasons  map[string]string `json:"reasons,omitempty"`
}

// PlanReply is the planner's answer.
type PlanReply struct {
	Inputs PlanInputs `json:"inputs"`
	// TwoSided and OneSided are the samples that detect inputs.lift
	// (present when asked for a lift).
	TwoSided *PlanSize `json:"two_sided,omitempty"`
	OneSided *PlanSize `json:"one_sided,omitempty"`
	// MDE answers completes.
	MDE    *PlanMDE `json:"mde,omitempty"`
	Method string   `json:"method"`
}

// planMethod names the planner's method.
const planMethod = "Fleiss' sample size for two proportions without continuity correction (pooled variance under no effect, unpooled under the lift), " +
	"each cell against control at (1 - confidence) / cells (Bonferroni, the first step of Holm's correction the report applies): " +
	"statsmodels' samplesize_proportions_2indep_onetail and power_proportions_2indep"

// minPlanLift is the smallest lift the planner sizes a study for.
const minPlanLift = 0.001

// planBodyLimit bounds the planner's small body.
const planBodyLimit = 16 << 10

// plan answers POST /api/v1/plan.
func (s *Server) plan(c echo.Context) error {
	var in PlanRequest
	if err := decodeJSON(c, planBodyLimit, &in); err != nil {
		return err
	}
	reply, err := in.answer()
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, reply)
}

// answer validates the request and computes the plan: the API and the
// dashboard's planner page give the same numbers from here.
func (in *PlanRequest) answer() (PlanReply, error) {
	inputs, err := in.validate()
	if err != nil {
		return PlanReply{}, err
	}
	reply := PlanReply{Inputs: inputs, Method: planMethod}
	alpha := 1 - inputs.Confidence
	if inputs.Lift != nil {
		for alt, dst := range map[stats.Alternative]**PlanSize{stats.TwoSided: &reply.TwoSided, stats.Greater: &reply.OneSided} {
			*dst = planSize(inputs, stats.PlanSampleSize(inputs.BaselineRate, *inputs.Lift, inputs.ControlShare, inputs.Cells, alpha, inputs.Power, alt))
		}
	}
	if in.Completes != nil {
		m := &PlanMDE{Control: in.Completes.Control, PerCell: in.Completes.PerCell}
		why := map[string]string{}
		for alt, dst := range map[stats.Alternative]**float64{stats.TwoSided: &m.TwoSided, stats.Greater: &m.OneSided} {
			if lift, ok := stats.PlanMinDetectableLift(inputs.BaselineRate, m.Control, m.PerCell, inputs.Cells, alpha, inputs.Power, alt); ok {
				*dst = &lift
			} else {
				why[map[stats.Alternative]string{stats.TwoSided: "two_sided", stats.Greater: "one_sided"}[alt]] = planNoMDE
			}
		}
		if len(why) > 0 {
			m.Reasons = why
		}
		reply.MDE = m
	}
	return reply, nil
}

// planNoMDE is the reason a minimum detectable lift is null.
const planNoMDE = "no lift, even to a rate of 100%, is detectable with this power at these group sizes"

// planSize words a stats plan, with invitations when a response rate is
// known.
func planSize(in PlanInputs, p stats.SampleSizePlan) *PlanSize {
	out := &PlanSize{Control: p.Control, PerCell: p.Cell, Total: p.Total}
	if in.ResponseRate != nil {
		inv := &PlanCompletesTotal{Control: stats.InvitationsNeeded(p.Control, *in.ResponseRate, 1),
			PerCell: stats.InvitationsNeeded(p.Cell, *in.ResponseRate, in.Reach)}
		inv.Total = inv.Control + int64(in.Cells)*inv.PerCell
		out.Invitations = inv
	}
	return out
}

// validate checks the request and fills in the defaults; every problem is
// named by its field.
func (in *PlanRequest) validate() (PlanInputs, error) {
	out := PlanInputs{Confidence: 0.9, Power: 0.8, ControlShare: 0.5, Cells: 1, Reach: 1,
		Lift: in.Lift, ResponseRate: in.ResponseRate}
	v := &survey.ValidationError{}
	open := func(field string, p *float64, lo, hi float64, dst *float64) {
		if p == nil {
			return
		}
		if !(*p > lo && *p < hi) {
			v.Add(field, "must be above %v and below %v, got %v", lo, hi, *p)
			return
		}
		if dst != nil {
			*dst = *p
		}
	}
	if in.BaselineRate == nil {
		v.Add("baseline_rate", "is required: the metric's expected rate in control, such as 0.2")
	}
	open("baseline_rate", in.BaselineRate, 0, 1, &out.BaselineRate)
	open("confidence", in.Confidence, 0.5, 1, &out.Confidence)
	open("power", in.Power, 0.5, 1, &out.Power)
	open("control_share", in.ControlShare, 0, 1, &out.ControlShare)
	if in.Cells != nil {
		if *in.Cells < 1 || *in.Cells > survey.MaxCells {
			v.Add("cells", "must be from 1 to %d, got %d", survey.MaxCells, *in.Cells)
		} else {
			out.Cells = *in.Cells
		}
	}
	for _, f := range []struct {
		name string
		p    *float64
		dst  *float64
	}{{"response_rate", in.ResponseRate, nil}, {"reach", in.Reach, &out.Reach}} {
		if f.p != nil && !(*f.p > 0 && *f.p <= 1) {
			v.Add(f.name, "must be above 0 and at most 1, got %v", *f.p)
		} else if f.p != nil && f.dst != nil {
			*f.dst = *f.p
		}
	}
	switch {
	case in.Lift == nil && in.Completes == nil:
		v.Add("lift", "is required unless completes asks for the detectable lift: the smallest absolute lift worth detecting, such as 0.03")
	case in.Lift != nil && out.BaselineRate > 0: // a valid baseline_rate
		// Below a tenth of a point the sample runs to tens of millions:
		// no survey reaches it, and past that it overflows.
		if p2 := *in.BaselineRate + *in.Lift; !(math.Abs(*in.Lift) >= minPlanLift) || !(p2 > 0 && p2 < 1) {
			v.Add("lift", "must be an absolute lift of at least %v (a tenth of a point) in size that keeps baseline_rate + lift between 0 and 1, got %v",
				minPlanLift, *in.Lift)
		}
	}
	if c := in.Completes; c != nil {
		if c.Control < 2 {
			v.Add("completes.control", "must be at least 2, got %d", c.Control)
		}
		if c.PerCell < 2 {
			v.Add("completes.per_cell", "must be at least 2, got %d", c.PerCell)
		}
	}
	if len(v.Errors) > 0 {
		return out, v
	}
	out.AlphaPerCell = (1 - out.Confidence) / float64(out.Cells)
	return out, nil
}
