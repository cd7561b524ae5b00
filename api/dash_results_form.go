package api

import (
	"slices"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// resultsForm is the selectors' form.
type resultsForm struct {
	// Segments is the first attribute, Segments2 the one crossed with it.
	Segments, Segments2, Weightings, Confidences, Intervals []choice
	// Strata are the attributes stratify may use (checkboxes named by).
	Strata         []choice
	IncludeFlagged bool
	RakeHint       string // why raking is not offered
	// Hidden carries what the page has no control for (ignore_srm,
	// min_per_group from a link) through the next submit.
	Hidden []fact
}

// choice is an option of a select.
type choice struct {
	Value, Label string
	Selected     bool
}

// newResultsForm lists the selectors' choices, the current ones selected.
func newResultsForm(lang string, st *survey.Study, sel selection, r *results.Report, attrs []string) resultsForm {
	f := resultsForm{IncludeFlagged: r.IncludeFlagged}
	first, second, _ := strings.Cut(r.Segment, ",")
	dims := append([]string{}, attrs...)
	dims = append(dims, results.SegmentDevice)
	if st.HasGroups() {
		dims = append(dims, results.SegmentFrequency)
	}
	f.Segments = append(f.Segments, choice{"", frontend.T(lang, "rs_seg_none"), first == ""})
	f.Segments2 = append(f.Segments2, choice{"", frontend.T(lang, "rs_seg_none2"), second == ""})
	for _, d := range dims {
		f.Segments = append(f.Segments, choice{d, segmentName(lang, d), first == d})
		if d != results.SegmentFrequency { // control has no frequency to cross
			f.Segments2 = append(f.Segments2, choice{d, segmentName(lang, d), second == d})
		}
	}
	if first != "" && !slices.Contains(dims, first) {
		f.Segments = append(f.Segments, choice{first, segmentName(lang, first), true})
	}
	if second != "" && !slices.Contains(dims, second) {
		f.Segments2 = append(f.Segments2, choice{second, segmentName(lang, second), true})
	}
	f.Weightings = []choice{{"none", frontend.T(lang, "rs_w_none"), r.Weighting != "rake" && r.Weighting != "stratify"}}
	if st.Weighting != nil && len(st.Weighting.Attributes) > 0 && (st.HasGroups() || len(st.Weighting.Margins) > 0) {
		f.Weightings = append(f.Weightings, choice{"rake", frontend.T(lang, "rs_w_rake"), r.Weighting == "rake"})
	} else {
		f.RakeHint = frontend.T(lang, "rs_w_unavailable")
	}
	if st.HasGroups() {
		f.Weightings = append(f.Weightings, choice{"stratify", frontend.T(lang, "rs_w_stratify"), r.Weighting == "stratify"})
		by := []string{}
		if st.Weighting != nil {
			by = st.Weighting.Attributes
		}
		if r.Stratified != nil {
			by = r.Stratified.By
		}
		for _, a := range append(append([]string{}, attrs...), results.SegmentDevice) {
			f.Strata = append(f.Strata, choice{a, segmentName(lang, a), slices.Contains(by, a)})
		}
	}
	for _, c := range survey.Confidences {
		f.Confidences = append(f.Confidences, choice{strconv.FormatFloat(c, 'f', -1, 64), frontend.Pct(lang, c, 0), c == r.Confidence})
	}
	for _, iv := range results.TrendIntervals {
		f.Intervals = append(f.Intervals, choice{iv, frontend.T(lang, "rs_interval_"+iv), iv == sel.Interval})
	}
	if r.IgnoreSRM {
		f.Hidden = append(f.Hidden, fact{"ignore_srm", "true"})
	}
	if sel.Options.MinPerGroup != 0 {
		f.Hidden = append(f.Hidden, fact{"min_per_group", strconv.FormatInt(r.MinPerGroup, 10)})
	}
	return f
}
