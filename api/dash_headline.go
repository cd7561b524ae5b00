package api

import (
	"fmt"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// Headline is one lift metric's result in plain words, for the results
// page's cards and the studies list: "Ad recall +7.6 p.p. (90% CI +6.2 to
// +9.0), statistically significant; relative +31%".
type Headline struct {
	Label       string // the metric's name, or the question's text for a custom metric
	Lift        string // "+7.6 p.p."
	Interval    string // "90% CI +6.2 to +9.0"
	Verdict     string // "statistically significant" or "not statistically significant"
	Relative    string // "relative +31%", or "" when the control rate is 0
	Significant bool
	// Score marks a level rather than a lift (an nps program's NPS): it
	// is neither significant nor not.
	Score bool
	// LowSample is true below the study's min_per_group; By names the
	// test that decided significance (z-test, Fisher's exact test, ...).
	LowSample bool
	By        string
	NExposed  int64
	NControl  int64
	// Norms places the lift among the closed studies' ("" without norms).
	Norms string
}

// Sentence is the headline as one line.
func (h Headline) Sentence() string {
	s := h.Label + " " + h.Lift + " (" + h.Interval + "), " + h.Verdict
	if h.Relative != "" {
		s += "; " + h.Relative
	}
	return s
}

// liftHeadline words a lift metric in lang.
func liftHeadline(lang string, st *survey.Study, m *results.LiftMetric, confidence float64) Headline {
	h := Headline{
		Label:       metricLabel(lang, st, m.Question, m.Option, m.Metric),
		Lift:        frontend.PP(lang, m.AbsLift),
		Significant: m.Significant,
		LowSample:   m.LowSample,
		By:          testName(lang, m.SignificantBy),
		NExposed:    m.Exposed.N,
		NControl:    m.Control.N,
	}
	h.Interval = ciPhrase(lang, confidence, 100*m.AbsLiftCI.Lo, 100*m.AbsLiftCI.Hi)
	if m.Significant {
		h.Verdict = frontend.T(lang, "verdict_sig")
	} else {
		h.Verdict = frontend.T(lang, "verdict_nonsig")
	}
	if m.RelLift != nil {
		h.Relative = frontend.T(lang, "relative") + " " + frontend.SignedPct(lang, *m.RelLift, 0)
	}
	h.Norms = normsLine(lang, m.Norms)
	return h
}

// ciPhrase words an interval of signed numbers: "90% CI +6.2 to +9.0" /
// "90 % ДИ от +6,2 до +9,0" (Russian says "from").
func ciPhrase(lang string, confidence, lo, hi float64) string {
	from := ""
	if lang != "en" {
		from = frontend.T(lang, "ci_from") + " "
	}
	return frontend.Pct(lang, confidence, 0) + " " + frontend.T(lang, "ci_short") + " " + from +
		frontend.Signed(lang, lo, 1) + " " + frontend.T(lang, "ci_to") + " " + frontend.Signed(lang, hi, 1)
}

// normsLine words a metric's place among the closed studies: "Among 12
// closed studies (category fmcg): median lift +4.0 p.p., the middle half
// from +2.0 to +6.5; this study is at percentile 75."
func normsLine(lang string, n *results.NormPosition) string {
	if n == nil {
		return ""
	}
	pool := frontend.T(lang, "rs_norms_pool_all")
	if n.Pool == results.PoolCategory {
		pool = fmt.Sprintf(frontend.T(lang, "rs_norms_pool_cat"), n.Category)
	}
	return fmt.Sprintf(frontend.T(lang, "rs_norms_line"), frontend.Int(lang, int64(n.Studies)), pool, frontend.PP(lang, n.AbsLift.Median),
		frontend.Signed(lang, 100*n.AbsLift.Q1, 1), frontend.Signed(lang, 100*n.AbsLift.Q3, 1), frontend.Num(lang, n.Percentile, 0))
}

// metricLabel names a metric for people: the standard metric's name, with
// the option's text for a multi-choice question (aided awareness of each
// brand); a custom metric goes by its question's text.
func metricLabel(lang string, st *survey.Study, question, option string, metric survey.Metric) string {
	label := ""
	q := st.Question(question)
	switch {
	case metric != "" && metric != survey.CustomMetric:
		label = frontend.T(lang, "metric_"+string(metric))
	case q != nil:
		label = inLang(q.Text, lang, st.DefaultLocale)
	default:
		label = question
	}
	if option != "" && q != nil {
		for _, o := range q.Options {
			if o.Key == option {
				return label + ": " + inLang(o.Text, lang, st.DefaultLocale)
			}
		}
		return label + ": " + option
	}
	return label
}
