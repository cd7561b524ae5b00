package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// planField is one input of the planner page: its query name, its API
// field, and whether the page writes it in percent (20 for 0.2).
type planField struct {
	Name, APIField string
	Percent        bool
	Default        string
}

// planFields are the planner page's inputs in the form's order. The page
// speaks percent and points, as marketers do; the API speaks fractions.
var planFields = []planField{
	{"baseline", "baseline_rate", true, "20"},
	{"lift", "lift", true, "3"},
	{"confidence", "confidence", true, "90"},
	{"power", "power", true, "80"},
	{"control", "control_share", true, "50"},
	{"cells", "cells", false, "1"},
	{"response", "response_rate", true, ""},
	{"reach", "reach", true, ""},
	{"n_control", "completes.control", false, ""},
	{"n_cell", "completes.per_cell", false, ""},
}

// planModel is the planner page's model.
type planModel struct {
	Values map[string]string
	Errs   *builderErrors
	// Asked is true once the form was sent; Reply is the plan when it
	// had no problems.
	Asked bool
	Reply *planView
}

// planView words a PlanReply.
type planView struct {
	Rows        []planRow
	Invitations []planRow
	MDE         string
	Per         string // what alpha each cell's comparison is tested at
	Method      string
	APIBody     string
}

// planRow is one line of the sample table: the two-sided and one-sided
// counts.
type planRow struct {
	Label, Two, One string
}

// planPage answers GET /dashboard/plan: the form, and the plan for
// the values it was sent with. It changes nothing, so it is a GET whose
// address can be shared.
func (s *Server) planPage(c echo.Context) error {
	lang := dashLang(c)
	body := planModel{Values: map[string]string{}}
	q := c.QueryParams()
	for _, f := range planFields {
		if _, sent := q[f.Name]; sent {
			body.Asked = true
		}
	}
	for _, f := range planFields {
		body.Values[f.Name] = f.Default
		if body.Asked {
			body.Values[f.Name] = strings.TrimSpace(q.Get(f.Name))
		}
	}
	status := http.StatusOK
	if body.Asked {
		req, bad := planRequestFromForm(lang, body.Values)
		reply, err := req.answer()
		var invalid *survey.ValidationError
		switch {
		case errors.As(err, &invalid):
			for name, msg := range planFormErrors(lang, invalid) {
				if _, unread := bad[name]; !unread { // an unreadable value's own message says more
					bad[name] = msg
				}
			}
		case err != nil:
			return err
		case len(bad) == 0:
			body.Reply = newPlanView(lang, req, reply)
		}
		if len(bad) > 0 {
			body.Errs = planErrorList(lang, bad)
			status = http.StatusUnprocessableEntity
		}
	}
	return s.page(c, status, "dash_plan", s.dash(c, "pl_title", "plan", body))
}

// planRequestFromForm reads the page's values into an API request; a value
// that is not a number is a problem of its field. Blank fields take the
// API's defaults.
func planRequestFromForm(lang string, v map[string]string) (PlanRequest, map[string]string) {
	var req PlanRequest
	bad := map[string]string{}
	num := func(f planField) *float64 {
		raw := strings.ReplaceAll(strings.TrimSuffix(strings.TrimSpace(v[f.Name]), "%"), ",", ".")
		if raw == "" {
			return nil
		}
		x, err := strconv.ParseFloat(strings.TrimSpace(raw), 64)
		if err != nil {
			bad[f.Name] = frontend.T(lang, "pl_err_number")
			return nil
		}
		if f.Percent {
			x /= 100
		}
		return &x
	}
	whole := func(f planField) *int64 {
		x := num(f)
		if x == nil {
			return nil
		}
		if *x != float64(int64(*x)) {
			bad[f.Name] = frontend.T(lang, "pl_err_whole")
			return nil
		}
		n := int64(*x)
		return &n
	}
	byName := map[string]planField{}
	for _, f := range planFields {
		byName[f.Name] = f
	}
	req.BaselineRate = num(byName["baseline"])
	req.Lift = num(byName["lift"])
	req.Confidence = num(byName["confidence"])
	req.Power = num(byName["power"])
	req.ControlShare = num(byName["control"])
	if n := whole(byName["cells"]); n != nil {
		cells := int(max(min(*n, 1<<20), -1)) // validate names anything outside 1..8
		req.Cells = &cells
	}
	req.ResponseRate = num(byName["response"])
	req.Reach = num(byName["reach"])
	nc, nx := whole(byName["n_control"]), whole(byName["n_cell"])
	switch {
	case nc != nil && nx != nil:
		req.Completes = &PlanCompletes{Control: *nc, PerCell: *nx}
	case nc != nil:
		bad["n_cell"] = frontend.T(lang, "pl_err_pair")
	case nx != nil:
		bad["n_control"] = frontend.T(lang, "pl_err_pair")
	}
	return req, bad
}

// planFormErrors maps the API's field errors to the page's inputs, with
// the page's own message in the page's units.
func planFormErrors(lang string, invalid *survey.ValidationError) map[string]string {
	bad := map[string]string{}
	for _, fe := range invalid.Errors {
		for _, f := range planFields {
			if f.APIField == fe.Field {
				bad[f.Name] = frontend.T(lang, "pl_err_"+f.Name)
			}
		}
	}
	return bad
}

// planErrorList orders the problems as the form's inputs are.
func planErrorList(lang string, bad map[string]string) *builderErrors {
	out := &builderErrors{byID: map[string][]string{}}
	for _, f := range planFields {
		if msg, ok := bad[f.Name]; ok {
			id := "pl-" + f.Name
			out.byID[id] = []string{msg}
			out.List = append(out.List, builderError{ID: id, Label: frontend.T(lang, "pl_f_"+f.Name), Message: msg})
		}
	}
	return out
}

// newPlanView words the plan in the page's language.
func newPlanView(lang string, req PlanRequest, r PlanReply) *planView {
	v := &planView{Method: frontend.T(lang, "pl_method"),
		Per: fmt.Sprintf(frontend.T(lang, "pl_alpha_per"), frontend.Pct(lang, r.Inputs.Confidence, 0), frontend.Int(lang, int64(r.Inputs.Cells)),
			frontend.Num(lang, r.Inputs.AlphaPerCell, 4))}
	if r.Inputs.Cells == 1 {
		v.Per = fmt.Sprintf(frontend.T(lang, "pl_alpha_one"), frontend.Pct(lang, r.Inputs.Confidence, 0), frontend.Num(lang, r.Inputs.AlphaPerCell, 4))
	}
	if r.TwoSided != nil && r.OneSided != nil {
		cellLabel := frontend.T(lang, "pl_row_cell")
		if r.Inputs.Cells == 1 {
			cellLabel = frontend.T(lang, "pl_row_exposed")
		}
		n := func(x int64) string { return frontend.Int(lang, x) }
		v.Rows = []planRow{
			{frontend.T(lang, "pl_row_control"), n(r.TwoSided.Control), n(r.OneSided.Control)},
			{cellLabel, n(r.TwoSided.PerCell), n(r.OneSided.PerCell)},
			{frontend.T(lang, "pl_row_total"), n(r.TwoSided.Total), n(r.OneSided.Total)},
		}
		if a, b := r.TwoSided.Invitations, r.OneSided.Invitations; a != nil && b != nil {
			v.Invitations = []planRow{
				{frontend.T(lang, "pl_row_control"), n(a.Control), n(b.Control)},
				{cellLabel, n(a.PerCell), n(b.PerCell)},
				{frontend.T(lang, "pl_row_total"), n(a.Total), n(b.Total)},
			}
		}
	}
	if m := r.MDE; m != nil {
		lift := func(x *float64) string {
			if x == nil {
				return frontend.T(lang, "pl_mde_none")
			}
			return strings.TrimPrefix(frontend.PP(lang, *x), "+")
		}
		v.MDE = fmt.Sprintf(frontend.T(lang, "pl_mde"), frontend.Int(lang, m.Control), frontend.Int(lang, m.PerCell), lift(m.TwoSided), lift(m.OneSided))
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(req); err == nil {
		v.APIBody = strings.TrimSpace(buf.String())
	}
	return v
}
