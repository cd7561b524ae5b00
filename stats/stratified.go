package stats

import (
	"fmt"
	"math"
)

// Stratum is one stratum's counts (for example one age x gender cell).
type Stratum struct {
	Exposed Count `json:"exposed"`
	Control Count `json:"control"`
}

// Stratified is the post-stratified lift: control reweighted to the exposed
// group's strata.
type Stratified struct {
	Confidence  float64 `json:"confidence"`
	ExposedRate float64 `json:"exposed_rate"` // sum w_s p_e,s = the exposed rate over used strata
	ControlRate float64 `json:"control_rate"` // control reweighted: sum w_s p_c,s
	// AbsLift is sum w_s (p_e,s - p_c,s), w_s = n_e,s / sum n_e over used
	// strata; AbsLiftSE is sqrt(sum w_s² (p_e,s q_e,s / n_e,s + p_c,s q_c,s / n_c,s))
	// and AbsLiftCI is AbsLift ± z SE.
	AbsLift   float64  `json:"abs_lift"`
	AbsLiftSE float64  `json:"abs_lift_se"`
	AbsLiftCI Interval `json:"abs_lift_ci"`
	Z         float64  `json:"z"`
	PValue    float64  `json:"p_value"` // two-sided normal test of AbsLift/SE
	// CMH is the Cochran-Mantel-Haenszel statistic without continuity
	// correction and CMHPValue its p-value from chi-square with df = 1;
	// CMHDefined is false (CMH 0, p 1) when no used stratum has both
	// positive and non-positive answers.
	CMH        float64 `json:"cmh_chi_sq"`
	CMHPValue  float64 `json:"cmh_p_value"`
	CMHDefined bool    `json:"cmh_defined"`
	// OddsRatioMH is the Mantel-Haenszel pooled odds ratio, exposed against
	// control; OddsRatioMHDefined is false (and OddsRatioMH 0) when it would
	// be 0, +Inf or 0/0.
	OddsRatioMH        float64 `json:"odds_ratio_mh"`
	OddsRatioMHDefined bool    `json:"odds_ratio_mh_defined"`
	// Strata is the number of strata used. Dropped counts the strata that
	// have respondents in one group only: they cannot be compared, and
	// their DroppedExposed exposed and DroppedControl control respondents
	// are left out. Strata without any respondent count in neither.
	Strata         int    `json:"strata"`
	Dropped        int    `json:"strata_dropped"`
	DroppedExposed int64  `json:"exposed_dropped"`
	DroppedControl int64  `json:"control_dropped"`
	Defined        bool   `json:"defined"`
	Reason         string `json:"reason,omitempty"`
}

// StratifiedLift compares exposed and control within strata (age band x
// gender, region, device) and reweights the control group to the exposed
// group's composition, so that a difference in who was exposed does not
// pass for lift. Over the strata s that have respondents in both groups,
// with w_s = n_{e,s} / Σ n_e and q = 1 - p,
//
//	lift = Σ_s w_s (p_{e,s} - p_{c,s}),
//	Var  = Σ_s w_s² (p_{e,s} q_{e,s} / n_{e,s} + p_{c,s} q_{c,s} / n_{c,s}),
//
// with the normal interval lift ± z sqrt(Var) and a two-sided z-test of
// lift = 0. This is post-stratification of the control group to the
// exposed group, the effect on the exposed; the variance is conditional on
// the strata sizes. The exposed rate Σ w_s p_{e,s} is the exposed group's
// plain rate over the used strata.
//
// Alongside it the result gives the classical tests for stratified 2x2
// tables [[x_e, n_e - x_e], [x_c, n_c - x_c]]: the Cochran-Mantel-Haenszel
// statistic without continuity correction, with m_s = x_{e,s} + x_{c,s}
// and N_s = n_{e,s} + n_{c,s},
//
//	CMH = (Σ_s (x_{e,s} - n_{e,s} m_s / N_s))² / Σ_s n_{e,s} n_{c,s} m_s (N_s - m_s) / (N_s² (N_s - 1)),
//
// referred to chi-square with df = 1 (its p-value computed as
// erfc(sqrt(CMH/2)), accurate down to the smallest positive double), and the
// Mantel-Haenszel common odds ratio
//
//	OR_MH = Σ_s x_{e,s} (n_{c,s} - x_{c,s}) / N_s / Σ_s (n_{e,s} - x_{e,s}) x_{c,s} / N_s.
//
// CMH tests the same null hypothesis (no difference within any stratum)
// with weights that are efficient when the odds ratio is common to the
// strata; the lift and its z-test answer the report's question, the lift
// among the exposed.
//
// Strata with respondents in one group only are left out and counted
// (Dropped, DroppedExposed, DroppedControl, Reason). The result is not
// Defined (p-values 1) when no stratum has both groups, including an empty
// slice; when the variance is 0 the lift is Defined but its test is not
// (p = 1, Reason). It panics on an invalid count or confidence.
//
// Sources: Cochran, W. G. (1954) Some methods for strengthening the common
// χ² tests. Biometrics 10:417-451; Mantel, N. & Haenszel, W. (1959)
// Statistical aspects of the analysis of data from retrospective studies of
// disease. J Natl Cancer Inst 22:719-748; Agresti, A. (2013) Categorical
// Data Analysis, 3rd ed., sec. 6.3; Holt, D. & Smith, T. M. F. (1979) Post
// stratification. JRSS A 142:33-46; Miratrix, L. W., Sekhon, J. S. & Yu, B.
// (2013) Adjusting treatment effect estimates by post-stratification in
// randomized experiments. JRSS B 75:369-396. Matches statsmodels
// StratifiedTable (test_null_odds(correction=False), oddsratio_pooled).
func StratifiedLift(strata []Stratum, confidence float64) Stratified {
	z := zTwoSided(confidence)
	r := Stratified{Confidence: confidence, PValue: 1, CMHPValue: 1}
	var ne float64
	for _, s := range strata {
		s.Exposed.check()
		s.Control.check()
		switch {
		case s.Exposed.N > 0 && s.Control.N > 0:
			r.Strata++
			ne += float64(s.Exposed.N)
		case s.Exposed.N > 0 || s.Control.N > 0:
			r.Dropped++
			r.DroppedExposed += s.Exposed.N
			r.DroppedControl += s.Control.N
		}
	}
	if r.Dropped > 0 {
		r.Reason = fmt.Sprintf("%d strata with one group only left out (%d exposed, %d control respondents)",
			r.Dropped, r.DroppedExposed, r.DroppedControl)
	}
	if r.Strata == 0 {
		if len(strata) == 0 {
			r.Reason = note(r.Reason, "no strata")
		} else {
			r.Reason = note(r.Reason, "no stratum has respondents in both groups")
		}
		return r
	}
	r.Defined = true
	var v, dev, cmhVar, orNum, orDen float64
	for _, s := range strata {
		if s.Exposed.N == 0 || s.Control.N == 0 {
			continue
		}
		n1, n2 := float64(s.Exposed.N), float64(s.Control.N)
		x1, x2 := float64(s.Exposed.Positive), float64(s.Control.Positive)
		w := n1 / ne
		p1, p2 := x1/n1, x2/n2
		r.ExposedRate += w * p1
		r.ControlRate += w * p2
		r.AbsLift += w * (p1 - p2)
		v += w * w * (p1*(1-p1)/n1 + p2*(1-p2)/n2)

		n, m := n1+n2, x1+x2
		dev += x1 - n1*m/n
		cmhVar += n1 * n2 * m * (n - m) / (n * n * (n - 1))
		orNum += x1 * (n2 - x2) / n
		orDen += (n1 - x1) * x2 / n
	}
	r.AbsLiftSE = math.Sqrt(v)
	r.AbsLiftCI = Interval{Lo: r.AbsLift - z*r.AbsLiftSE, Hi: r.AbsLift + z*r.AbsLiftSE}
	if r.AbsLiftSE > 0 {
		r.Z = r.AbsLift / r.AbsLiftSE
		r.PValue = normalP(r.Z, TwoSided)
	} else {
		r.Reason = note(r.Reason, "no variance within strata: test undefined, p-value set to 1")
	}
	if cmhVar > 0 {
		zc := dev / math.Sqrt(cmhVar)
		r.CMH = zc * zc
		r.CMHPValue = normalP(zc, TwoSided)
		r.CMHDefined = true
	} else {
		r.Reason = note(r.Reason, "all answers alike within every stratum: CMH test undefined")
	}
	if orNum > 0 && orDen > 0 {
		r.OddsRatioMH = orNum / orDen
		r.OddsRatioMHDefined = true
	} else {
		r.Reason = note(r.Reason, "Mantel-Haenszel odds ratio is 0 or infinite: undefined")
	}
	return r
}
