package results

import (
	"fmt"

	"github.com/brandlift/brandlift/survey"
)

// methods names the method behind each kind of number in a report, so that
// the JSON and its files say how they were computed (docs/METHODOLOGY.md
// explains each).
func methods(st *survey.Study, r *Report) map[string]string {
	m := map[string]string{
		"confidence":   fmt.Sprintf("intervals at %g%%, two-sided", r.Confidence*100),
		"rate_ci":      "Wilson score interval",
		"low_sample":   fmt.Sprintf("metrics with a group below %d answers are computed and marked low_sample; from one answer per group on every number is shown", r.MinPerGroup),
		"q_value":      "Benjamini-Hochberg over every test in the report (lifts, NPS and rating differences) on the p-value named in significant_by; each segment level is its own family",
		"flagged":      "speeders, straight-liners and failed attention checks are left out unless include_flagged=true",
		"nps_ci":       "Wald interval of promoters minus detractors (multinomial variance)",
		"rating_ci":    "Student's t interval of the mean; top-2-box Wilson interval",
		"segments":     "one attribute or two crossed; levels with a group below min_per_group are pooled into \"other\" when there are two or more",
		"significance": significanceMethod(st, r),
	}
	if st.HasGroups() {
		m["abs_lift_ci"] = "Newcombe hybrid score interval (method 10)"
		m["rel_lift_ci"] = "log (Katz) interval of the rate ratio"
		m["headroom_lift_ci"] = "the Newcombe interval divided by the control's headroom"
		m["p_value"] = "pooled two-proportion z-test, two-sided"
		m["p_value_fisher"] = "Fisher's exact test, two-sided"
		m["prob_positive"] = "P(exposed rate > control rate) with Beta(1, 1) priors"
		m["sequential"] = "mixture SPRT with a normal mixture (always-valid p-value and confidence sequence), tuned at twice target_per_group"
		m["nps_diff"] = "z-test for two independent NPS values"
		m["rating_diff"] = "Welch's t-test"
		m["mde"] = "smallest absolute lift detectable with 80% power, two-sided, at the current group sizes"
		m["srm"] = "Pearson chi-square goodness of fit against the planned split; a mismatch at p < 0.001 turns significance off unless ignore_srm=true"
		m["lifted_users"] = "absolute lift × reach, with the Newcombe interval × reach; cost per lifted user only when that interval is above zero"
	}
	if st.HasCells() {
		m["cells"] = cellsMethod(len(st.Cells))
		m["pairs"] = "cells' exposed respondents compared pairwise, B minus A: Newcombe interval and z-test for rates (Fisher's exact test below min_per_group), the NPS z-test, Welch's t-test"
	}
	if st.HasWaves() {
		m["waves"] = "the headline metrics are the latest wave's with answers; each wave against the one before it over its whole sample (exposed and control together) and, " +
			"when both waves have both groups, the difference-in-differences of the lifts: independent samples, normal interval of the summed variances, two-sided z-test (stats.CompareEstimates)"
	}
	switch r.Weighting {
	case "rake":
		m["weighting"] = "raking (iterative proportional fitting) on " + fmt.Sprint(st.Weighting.Attributes) + "; tests use Kish's effective sample size"
	case "stratify":
		m["weighting"] = "post-stratification: control reweighted to the exposed group's strata; Cochran-Mantel-Haenszel test without continuity correction"
	}
	return m
}

func significanceMethod(st *survey.Study, r *Report) string {
	if !st.HasGroups() {
		return "an nps study has one population: nothing is compared, nothing is called significant"
	}
	s := fmt.Sprintf("fixed: p_value below %g (1 - confidence); below min_per_group, Fisher's exact p for lifts", 1-r.Confidence)
	if r.Significance == survey.SignificanceSequential {
		s = fmt.Sprintf("sequential: the always-valid p-value below %g, valid however often the report is read; below min_per_group, Fisher's exact p for lifts", 1-r.Confidence)
	}
	if r.IgnoreSRM {
		s += "; the sample ratio check is ignored at the analyst's request (ignore_srm=true)"
	}
	return s
}
