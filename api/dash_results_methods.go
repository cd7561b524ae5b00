package api

import (
	"fmt"
	"sort"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// weightFacts describes the raking behind a weighted report.
func weightFacts(lang string, r *results.Report) []fact {
	w := r.Weights
	if w == nil {
		return nil
	}
	conv := frontend.T(lang, "rs_yes")
	if !w.Converged {
		conv = frontend.T(lang, "rs_no")
	}
	out := []fact{
		{frontend.T(lang, "rs_w_attributes"), strings.Join(w.Attributes, ", ")},
		{frontend.T(lang, "rs_w_target"), frontend.T(lang, "rs_w_target_"+w.Target)},
		{frontend.T(lang, "rs_w_converged"), conv + " (" + fmt.Sprintf(frontend.T(lang, "rs_w_iterations"), w.Iterations) + ")"},
		{frontend.T(lang, "rs_w_max"), frontend.Num(lang, w.MaxWeight, 2)},
	}
	for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl, survey.GroupAll} {
		if n, ok := w.EffectiveN[g]; ok {
			out = append(out, fact{frontend.T(lang, "rs_effective_n") + " · " + groupLabel(lang, g), frontend.Num(lang, n, 0)})
		}
	}
	if w.Notes != "" {
		out = append(out, fact{frontend.T(lang, "rs_notes"), reasonText(lang, w.Notes)})
	}
	return out
}

// exportLinks are the raw export's and the report file's API URLs with
// the selectors each endpoint takes.
func exportLinks(lang string, st *survey.Study, sel selection, r *results.Report) (raw, files []exportLink) {
	base := "/api/v1/studies/" + st.ID
	weight := ""
	if r.Weighting == "rake" {
		weight = "&weighting=rake"
	}
	raw = []exportLink{
		{frontend.T(lang, "rs_export_csv"), base + "/responses?format=csv" + weight},
		{frontend.T(lang, "rs_export_excel_csv"), base + "/responses?format=csv&bom=1&delimiter=semicolon" + weight},
		{frontend.T(lang, "rs_export_xlsx"), base + "/responses?format=xlsx" + weight},
		{frontend.T(lang, "rs_export_jsonl"), base + "/responses?format=jsonl" + weight},
		{frontend.T(lang, "rs_export_parquet"), base + "/responses?format=parquet" + weight},
	}
	q := sel.query(r, false).Encode()
	files = []exportLink{
		{frontend.T(lang, "rs_export_report_csv"), base + "/results?format=csv&" + q},
		{frontend.T(lang, "rs_export_report_xlsx"), base + "/results?format=xlsx&" + q},
	}
	return raw, files
}

// methods is the report's footnote: settings and methods in a few words.
func methods(lang string, st *survey.Study, r *results.Report) []string {
	out := []string{fmt.Sprintf(frontend.T(lang, "rs_method_confidence"), frontend.Pct(lang, r.Confidence, 0)),
		frontend.T(lang, "rs_method_intervals")}
	if r.Weighting == "rake" && r.Weights != nil {
		out = append(out, fmt.Sprintf(frontend.T(lang, "rs_method_rake"), strings.Join(r.Weights.Attributes, ", ")))
	} else {
		out = append(out, frontend.T(lang, "rs_method_unweighted"))
	}
	if r.Stratified != nil {
		out = append(out, fmt.Sprintf(frontend.T(lang, "rs_method_stratify"), segmentName(lang, strings.Join(r.Stratified.By, ","))))
	}
	if st.HasGroups() {
		key := "rs_method_fixed"
		if r.Significance == survey.SignificanceSequential {
			key = "rs_method_sequential"
		}
		out = append(out, fmt.Sprintf(frontend.T(lang, key), frontend.Int(lang, r.MinPerGroup)))
		if r.IgnoreSRM {
			out = append(out, frontend.T(lang, "rs_method_ignore_srm"))
		}
	}
	out = append(out, fmt.Sprintf(frontend.T(lang, "rs_method_low_sample"), frontend.Int(lang, r.MinPerGroup)))
	if r.IncludeFlagged {
		out = append(out, frontend.T(lang, "rs_flagged_included"))
	} else {
		out = append(out, frontend.T(lang, "rs_flagged_excluded"))
	}
	if r.Segment != "" {
		out = append(out, fmt.Sprintf(frontend.T(lang, "rs_method_segment"), segmentName(lang, r.Segment)))
	}
	out = append(out, fmt.Sprintf(frontend.T(lang, "rs_method_generated"), frontend.DateTime(lang, r.GeneratedAt), r.StudyID))
	switch {
	case r.ReadFrom == "replica" && r.LagSeconds != nil:
		out = append(out, fmt.Sprintf(frontend.T(lang, "rs_method_replica"), frontend.DateTime(lang, r.AsOf), frontend.Num(lang, *r.LagSeconds, 1)))
	case r.Note != "":
		out = append(out, frontend.T(lang, "rs_method_replica_down"))
	}
	return out
}

// segmentName names a segment dimension: the known ones in words, any
// other attribute by its key; two crossed ("age,gender") as "Age × Gender".
func segmentName(lang, dim string) string {
	if a, b, ok := strings.Cut(dim, ","); ok {
		return segmentName(lang, a) + " × " + segmentName(lang, b)
	}
	if k := "rs_seg_" + dim; frontend.T(lang, k) != k {
		return frontend.T(lang, k)
	}
	return dim
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
