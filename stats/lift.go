package stats

import "math"

// Lift compares the rate of positive answers in the exposed group with
// the control group. JSON names follow the results report.
//
// When either group is empty the result is not Defined: lifts and
// intervals are 0, p-values 1, and ProbPositive is the prior's 0.5.
type Lift struct {
	Confidence float64    `json:"confidence"`
	Exposed    Proportion `json:"exposed"`
	Control    Proportion `json:"control"`

	// AbsLift is p_e - p_c; AbsLiftCI its Newcombe interval and
	// AbsLiftWaldCI its Wald interval.
	AbsLift       float64  `json:"abs_lift"`
	AbsLiftCI     Interval `json:"abs_lift_ci"`
	AbsLiftWaldCI Interval `json:"abs_lift_wald_ci"`
	// AbsLiftSE is the unpooled standard error
	// sqrt(p_e(1-p_e)/n_e + p_c(1-p_c)/n_c), for CheckTarget.
	AbsLiftSE float64 `json:"abs_lift_se"`

	// RelLift is p_e/p_c - 1 with its log (Katz) interval; undefined when
	// p_c = 0.
	RelLift        float64  `json:"rel_lift"`
	RelLiftCI      Interval `json:"rel_lift_ci"`
	RelLiftDefined bool     `json:"rel_lift_defined"`

	// HeadroomLift is (p_e - p_c)/(1 - p_c) with the interval of
	// HeadroomLiftInterval; undefined when p_c = 1.
	HeadroomLift        float64  `json:"headroom_lift"`
	HeadroomLiftCI      Interval `json:"headroom_lift_ci"`
	HeadroomLiftDefined bool     `json:"headroom_lift_defined"`

	// Z is the pooled two-proportion z statistic; PValue its two-sided
	// p-value and PValueOneSided the p-value for exposed > control.
	Z              float64 `json:"z"`
	PValue         float64 `json:"p_value"`
	PValueOneSided float64 `json:"p_value_one_sided"`
	// PValueFisher is Fisher's exact test, two-sided.
	PValueFisher float64 `json:"p_value_fisher"`
	// ProbPositive is P(true exposed rate > true control rate) with
	// Beta(1, 1) priors.
	ProbPositive float64 `json:"prob_positive"`
	// Significant is PValue < 1 - Confidence.
	Significant bool `json:"significant"`

	// Weighted is true for CompareWeighted results: rates are weighted and
	// the tests use effective sample sizes.
	Weighted bool   `json:"weighted,omitempty"`
	Defined  bool   `json:"defined"`
	Reason   string `json:"reason,omitempty"`
}

// CompareProportions computes everything the report shows for one lift
// metric in a single call:
//
//   - each group's rate with its Wilson interval (OneProportion);
//   - absolute lift p_e - p_c with the Newcombe interval (NewcombeInterval)
//     and the Wald interval (WaldInterval);
//   - relative lift p_e/p_c - 1 with the log (Katz) interval
//     (RelLiftInterval);
//   - headroom lift (p_e - p_c)/(1 - p_c) with its interval
//     (HeadroomLiftInterval);
//   - the pooled z-test, two-sided and one-sided (ZTest);
//   - Fisher's exact test, two-sided (FisherExact);
//   - P(exposed > control) with Beta(1, 1) priors (ProbBetter).
//
// All intervals are at the given confidence.
func CompareProportions(exposed, control Count, confidence float64) Lift {
	exposed.check()
	control.check()
	l := compare(float64(exposed.Positive), float64(exposed.N),
		float64(control.Positive), float64(control.N), confidence)
	l.Exposed.N, l.Exposed.Positive = exposed.N, exposed.Positive
	l.Control.N, l.Control.Positive = control.N, control.Positive
	l.PValueFisher = FisherExact(exposed, control)
	l.ProbPositive = ProbBetter(exposed, control)
	return l
}

// compare fills the parts of a Lift that work on real-valued counts.
func compare(xe, ne, xc, nc, confidence float64) Lift {
	z := zTwoSided(confidence)
	l := Lift{Confidence: confidence, PValue: 1, PValueOneSided: 1, PValueFisher: 1, ProbPositive: 0.5}
	l.Exposed = proportionOf(xe, ne, z)
	l.Control = proportionOf(xc, nc, z)
	if ne <= 0 || nc <= 0 {
		switch {
		case ne <= 0 && nc <= 0:
			l.Reason = "no responses in either group"
		case ne <= 0:
			l.Reason = "no responses in the exposed group"
		default:
			l.Reason = "no responses in the control group"
		}
		return l
	}
	l.Defined = true
	pe, pc := xe/ne, xc/nc
	l.AbsLift = pe - pc
	l.AbsLiftCI = newcombe(xe, ne, xc, nc, z)
	l.AbsLiftWaldCI = wald(xe, ne, xc, nc, z)
	l.AbsLiftSE = math.Sqrt(pe*(1-pe)/ne + pc*(1-pc)/nc)

	if xc > 0 {
		l.RelLift = pe/pc - 1
		r, _ := katz(xe, ne, xc, nc, z)
		l.RelLiftCI = Interval{Lo: r.Lo - 1, Hi: r.Hi - 1}
		l.RelLiftDefined = true
	} else {
		l.Reason = note(l.Reason, "control rate is 0: relative lift undefined")
	}
	if xc < nc {
		l.HeadroomLift = (pe - pc) / (1 - pc)
		l.HeadroomLiftCI, _ = headroomCI(xe, ne, xc, nc, z)
		l.HeadroomLiftDefined = true
	} else {
		l.Reason = note(l.Reason, "control rate is 1: headroom lift undefined")
	}

	var ok bool
	l.Z, l.PValue, ok = ztest(xe, ne, xc, nc, TwoSided)
	if ok {
		l.PValueOneSided = normalP(l.Z, Greater)
	} else {
		l.Reason = note(l.Reason, "all answers alike in both groups: z-test has no variance, p-value set to 1")
	}
	l.Significant = l.PValue < 1-confidence
	return l
}

func proportionOf(x, n, z float64) Proportion {
	if n <= 0 {
		return Proportion{Reason: "no responses"}
	}
	return Proportion{Rate: x / n, CI: wilson(x, n, z), Defined: true}
}

// FrequencyCurve returns the lift of each exposure-frequency bucket (for
// example respondents who saw the ad once, twice, 3-4 times, 5 or more)
// against the same control group, as CompareProportions does for one
// bucket. Frequency is not randomised, so the curve describes who saw the
// ad how often; it is not a causal dose-response estimate.
func FrequencyCurve(buckets []Count, control Count, confidence float64) []Lift {
	out := make([]Lift, len(buckets))
	for i, b := range buckets {
		out[i] = CompareProportions(b, control, confidence)
	}
	return out
}
