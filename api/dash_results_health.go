package api

import (
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// healthView is the study's health: progress, quality flags, the sample
// ratio check, the significance rule, the metrics below the minimum and
// what more data would buy.
type healthView struct {
	Progress []progressView
	Flagged  []fact
	FlagNote string
	Warnings []string
	Notes    []string
	Power    []string
	SRM      *srmView
	// Significance is the rule in force in words; SignificanceHint
	// recommends the sequential rule for a live study read as it fills.
	Significance, SignificanceHint string
	// LowSample names the metrics below min_per_group.
	LowSample []string
	// Projection says when a live study reaches its sample, and what it
	// detects there.
	Projection []string
}

// progressView is one group's way to its target.
type progressView struct {
	Label, Count string
	Bar          template.HTML
}

// srmView is the sample ratio check: Class is ok, mismatch, ignored or
// unchecked; Link switches ignore_srm.
type srmView struct {
	Class, Text     string
	Link, LinkLabel string
}

// healthSaid matches the report's health notes that the page writes from
// the report's fields (SRM, low sample).
var healthSaid = regexp.MustCompile(`^(sample ratio mismatch|significance is off|low sample|\d+ metric\(s\) below)`)

// newSRMView words the sample ratio check.
func newSRMView(lang string, st *survey.Study, sel selection, r *results.Report) *srmView {
	srm := r.Health.SRM
	if srm == nil {
		return nil
	}
	if !srm.Defined {
		return &srmView{Class: "unchecked", Text: frontend.T(lang, "rs_srm_unchecked") + " " + reasonText(lang, srm.Reason)}
	}
	var control, total int64
	if len(srm.Observed) >= 2 { // control first, then exposed or each cell
		control = srm.Observed[0]
		for _, n := range srm.Observed {
			total += n
		}
	}
	share := 0.0
	if total > 0 {
		share = float64(control) / float64(total)
	}
	facts := fmt.Sprintf(frontend.T(lang, "rs_srm_facts"), frontend.Int(lang, control), frontend.Int(lang, total),
		frontend.Pct(lang, share, 1), frontend.Pct(lang, st.ControlShare, 1), pIs(lang, "p", srm.PValue))
	base := "/dashboard/studies/" + st.ID + "/results?"
	q := sel.query(r, true)
	switch {
	case srm.Mismatch && r.IgnoreSRM:
		q.Del("ignore_srm")
		return &srmView{Class: "ignored", Text: frontend.T(lang, "rs_srm_ignored") + " " + facts,
			Link: base + q.Encode(), LinkLabel: frontend.T(lang, "rs_srm_restore")}
	case srm.Mismatch:
		q.Set("ignore_srm", "true")
		return &srmView{Class: "mismatch", Text: frontend.T(lang, "rs_srm_mismatch") + " " + facts,
			Link: base + q.Encode(), LinkLabel: frontend.T(lang, "rs_srm_ignore")}
	}
	v := &srmView{Class: "ok", Text: frontend.T(lang, "rs_srm_ok") + " " + facts}
	if r.IgnoreSRM {
		v.Text += " " + frontend.T(lang, "rs_srm_ignore_unneeded")
	}
	return v
}

// significanceText is the rule behind every "significant", and the advice
// to read a live study with the sequential test.
func significanceText(lang string, st *survey.Study, r *results.Report) (string, string) {
	alpha := frontend.Num(lang, 1-r.Confidence, 2)
	text := fmt.Sprintf(frontend.T(lang, "rs_rule_fixed"), alpha, frontend.Int(lang, r.MinPerGroup))
	if r.Significance == survey.SignificanceSequential {
		text = fmt.Sprintf(frontend.T(lang, "rs_rule_sequential"), alpha, frontend.Int(lang, r.MinPerGroup))
	}
	hint := ""
	if r.Significance != survey.SignificanceSequential && st.Status == survey.StatusLive {
		hint = frontend.T(lang, "rs_rule_hint")
	}
	return text, hint
}

// newHealthView writes the study's health.
func newHealthView(lang string, st *survey.Study, sel selection, r *results.Report, lifts []*results.LiftMetric) healthView {
	var h healthView
	for _, p := range r.Health.Progress {
		label := armLabel(lang, st, p.Group)
		count := frontend.Int(lang, p.Complete)
		if p.Target > 0 {
			count = fmt.Sprintf(frontend.T(lang, "progress_of"), count, frontend.Int(lang, p.Target)) + " (" + frontend.Pct(lang, p.Share, 0) + ")"
		}
		h.Progress = append(h.Progress, progressView{Label: label, Count: count, Bar: progressBar(lang, p).SVG()})
	}
	h.Flagged = append(h.Flagged, fact{frontend.T(lang, "rs_flagged_total"), frontend.Int(lang, r.Counts.Flagged)})
	for _, f := range survey.Flags {
		h.Flagged = append(h.Flagged, fact{frontend.T(lang, "rs_flag_"+f), frontend.Int(lang, r.Counts.FlaggedBy[f])})
	}
	h.FlagNote = frontend.T(lang, "rs_flagged_excluded")
	if r.IncludeFlagged {
		h.FlagNote = frontend.T(lang, "rs_flagged_included")
	}
	h.SRM = newSRMView(lang, st, sel, r)
	if h.SRM != nil && h.SRM.Class == "mismatch" {
		h.Warnings = append(h.Warnings, h.SRM.Text)
	}
	if st.HasGroups() {
		h.Significance, h.SignificanceHint = significanceText(lang, st, r)
	}
	if !r.Health.EnoughData {
		h.Warnings = append(h.Warnings, fmt.Sprintf(frontend.T(lang, "rs_not_enough"), frontend.Int(lang, r.Health.MinPerGroup)))
	}
	for _, key := range r.Health.LowSample {
		question, option, _ := strings.Cut(key, "/")
		metric := survey.Metric("")
		if q := st.Question(question); q != nil {
			metric = q.Metric
		}
		h.LowSample = append(h.LowSample, metricLabel(lang, st, question, option, metric))
	}
	for _, n := range r.Health.Notes {
		if healthSaid.MatchString(n) {
			continue // written above from the report's fields
		}
		h.Notes = append(h.Notes, reasonText(lang, n))
	}
	h.Projection = projectionText(lang, st, r.Health.Projection)
	for _, m := range lifts {
		label := metricLabel(lang, st, m.Question, m.Option, m.Metric)
		switch {
		case m.MDE != nil && m.NeededPerGroup != nil && *m.NeededPerGroup > 0:
			h.Power = append(h.Power, fmt.Sprintf(frontend.T(lang, "rs_power_more"), label,
				strings.TrimPrefix(frontend.PP(lang, *m.MDE), "+"), strings.TrimPrefix(frontend.PP(lang, m.TargetLift), "+"),
				frontend.Int(lang, *m.NeededPerGroup)))
		case m.MDE != nil:
			h.Power = append(h.Power, fmt.Sprintf(frontend.T(lang, "rs_power_enough"), label,
				strings.TrimPrefix(frontend.PP(lang, *m.MDE), "+")))
		}
	}
	return h
}

// projectionText words the report's projection: the target, the date
// the slowest group reaches it at its rate so far (or why there is none),
// and the lift detectable there.
func projectionText(lang string, st *survey.Study, p *results.Projection) []string {
	if p == nil {
		return nil
	}
	goalKey := "rs_projection_goal_quota"
	if p.Basis == results.BasisTargetLift {
		goalKey = "rs_projection_goal_lift"
	}
	goal := fmt.Sprintf(frontend.T(lang, goalKey), frontend.Int(lang, p.Target))
	var out []string
	switch {
	case p.Reached:
		out = append(out, fmt.Sprintf(frontend.T(lang, "rs_projection_done"), goal))
	case p.Date != nil:
		// The day in the study's time zone; Date words a UTC day.
		local := p.Date.In(st.Location())
		day := time.Date(local.Year(), local.Month(), local.Day(), 12, 0, 0, 0, time.UTC)
		out = append(out, fmt.Sprintf(frontend.T(lang, "rs_projection_date"), goal, frontend.Num(lang, p.PerDay, 1),
			armLabel(lang, st, p.Group), frontend.Date(lang, day)))
	default:
		out = append(out, fmt.Sprintf(frontend.T(lang, "rs_projection_none"), goal, reasonText(lang, p.Reason)))
	}
	if p.MDEAtTarget != nil {
		// The sentence ends with the lift, whose Russian unit ("п. п.")
		// ends with a dot already.
		line := fmt.Sprintf(frontend.T(lang, "rs_projection_mde"), strings.TrimPrefix(frontend.PP(lang, *p.MDEAtTarget), "+"))
		if !strings.HasSuffix(line, ".") {
			line += "."
		}
		out = append(out, line)
	}
	return out
}
