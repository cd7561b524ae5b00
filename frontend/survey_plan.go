package frontend

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// A SurveyPlan is a survey page rendered once, for one study, language
// and kind of link, with holes where respondents differ: the token, the
// signed start time, the CSP nonce, and the choices of each question in
// the respondent's order. Filling it copies bytes, where executing the
// template costs a reflective call per field and function on the page,
// most of the page's time under load.
//
// The pieces come from the templates themselves: the page is rendered
// with sentinel values in the holes and cut there, and each choice is
// rendered by the survey_option template the page uses. So a filled plan
// is the page the template would render, byte for byte, as long as the
// values spliced in read the same escaped as raw; Fill refuses any that
// do not, and the caller renders the template instead.
type SurveyPlan struct {
	parts []planPart
	// options holds, per question index, each choice's HTML cut at its
	// place number: before and after.
	options []map[string][2][]byte
	// deflated holds, per question index, each choice's HTML at each
	// place, compressed on its own (survey_plan_gzip.go).
	deflated []map[string][][]byte
}

// planPart is static bytes followed by a hole (or none).
type planPart struct {
	static []byte
	// deflated is static compressed on its own, as non-final deflate
	// blocks ending on a byte boundary (survey_plan_gzip.go).
	deflated []byte
	hole     planHole
	// question is the index of the question whose choices fill
	// holeOptions.
	question int
}

type planHole int

const (
	holeNone planHole = iota
	holeToken
	holeStarted
	holeNonce
	holeOptions
)

// Sentinels are letters and digits only: html/template's escapers, for
// text, attributes and URLs alike, leave them as they are.
const (
	sentinelToken   = "BLPLANxTOKENx7q"
	sentinelStarted = "BLPLANxSTARTEDx7q"
	sentinelNonce   = "BLPLANxNONCEx7q"
	sentinelOptions = "BLPLANxOPTIONSx7q"
	sentinelPlace   = "BLPLANxPLACEx7q"
)

// SurveyValues are what differs between respondents of one plan.
type SurveyValues struct {
	Token, Started, Nonce string
	// Orders holds, per question index, the keys of its choices in the
	// respondent's order (nil for a question without choices).
	Orders [][]string
}

// PlanSurvey renders the plan of the page that page(token) describes:
// a first visit (no answers, errors or preview), whose language links
// carry token. Every question's choices are rendered by survey_option.
func PlanSurvey(page func(token string) SurveyPage) (*SurveyPlan, error) {
	probe := page(sentinelToken)
	if probe.Preview != "" || probe.ConsentError || probe.Consented {
		return nil, fmt.Errorf("frontend: a plan is for a first visit")
	}
	probe.Started, probe.Nonce = sentinelStarted, sentinelNonce
	plan := &SurveyPlan{options: make([]map[string][2][]byte, len(probe.Questions))}
	holes := map[string]planPart{
		sentinelToken: {hole: holeToken}, sentinelStarted: {hole: holeStarted}, sentinelNonce: {hole: holeNonce},
	}
	questions := make([]Question, len(probe.Questions))
	copy(questions, probe.Questions)
	probe.Questions = questions
	for i := range questions {
		q := &questions[i]
		if q.Error != "" || q.Value != "" {
			return nil, fmt.Errorf("frontend: a plan is for a first visit")
		}
		if len(q.Options) == 0 {
			continue
		}
		cut := map[string][2][]byte{}
		for _, o := range q.Options {
			var b bytes.Buffer
			if err := templates.ExecuteTemplate(&b, "survey_option", OptionView{QKey: q.Key, QType: q.Type, Required: q.Required, O: o, N: sentinelPlace}); err != nil {
				return nil, err
			}
			before, after, ok := bytes.Cut(b.Bytes(), []byte(sentinelPlace))
			if !ok || o.Checked {
				return nil, fmt.Errorf("frontend: choice %s of %s cannot be planned", o.Key, q.Key)
			}
			cut[o.Key] = [2][]byte{before, after}
		}
		plan.options[i] = cut
		// One stand-in choice marks where the question's choices go.
		marker := Option{Key: sentinelOptions + strconv.Itoa(i), Text: sentinelOptions}
		q.Options = []Option{marker}
		var b bytes.Buffer
		if err := templates.ExecuteTemplate(&b, "survey_option", OptionView{QKey: q.Key, QType: q.Type, Required: q.Required, O: marker, N: "1"}); err != nil {
			return nil, err
		}
		holes[b.String()] = planPart{hole: holeOptions, question: i}
	}
	var out bytes.Buffer
	if err := Render(&out, "survey", &probe); err != nil {
		return nil, err
	}
	rest := out.String()
	for rest != "" {
		at, next, part := len(rest), "", planPart{}
		for s, p := range holes {
			if i := strings.Index(rest, s); i >= 0 && i < at {
				at, next, part = i, s, p
			}
		}
		part.static = []byte(rest[:at])
		plan.parts = append(plan.parts, part)
		rest = rest[at+len(next):]
	}
	if n := plan.holeCount(holeOptions); n != countWith(questions) {
		return nil, fmt.Errorf("frontend: %d of %d questions' choices found on the page", n, countWith(questions))
	}
	plan.deflate()
	return plan, nil
}

func (p *SurveyPlan) holeCount(h planHole) int {
	n := 0
	for _, part := range p.parts {
		if part.hole == h {
			n++
		}
	}
	return n
}

func countWith(questions []Question) int {
	n := 0
	for _, q := range questions {
		if len(q.Options) > 0 {
			n++
		}
	}
	return n
}

// Fill writes the page for v into buf and reports whether it could: a
// value that escaping would change, or an order that does not hold each
// of a question's choices once, leaves buf as it was and returns false.
func (p *SurveyPlan) Fill(buf *bytes.Buffer, v SurveyValues) bool {
	if !p.fits(v) {
		return false
	}
	for _, part := range p.parts {
		buf.Write(part.static)
		switch part.hole {
		case holeToken:
			buf.WriteString(v.Token)
		case holeStarted:
			buf.WriteString(v.Started)
		case holeNonce:
			buf.WriteString(v.Nonce)
		case holeOptions:
			cut := p.options[part.question]
			for place, k := range v.Orders[part.question] {
				buf.Write(cut[k][0])
				buf.WriteString(strconv.Itoa(place + 1))
				buf.Write(cut[k][1])
			}
		}
	}
	return true
}

// fits reports whether v can fill the plan: values that escaping leaves
// as they are, and for each question an order of all its choices, each
// once.
func (p *SurveyPlan) fits(v SurveyValues) bool {
	if !plain(v.Token) || !plain(v.Started) || !plain(v.Nonce) || len(v.Orders) != len(p.options) {
		return false
	}
	for i, cut := range p.options {
		if len(v.Orders[i]) != len(cut) {
			return false
		}
		for j, k := range v.Orders[i] {
			if _, ok := cut[k]; !ok || slices.Contains(v.Orders[i][:j], k) {
				return false
			}
		}
	}
	return true
}

// plain reports whether s reads the same after any of html/template's
// escapers and url.QueryEscape: letters, digits, '-', '_' and '.'.
// Tokens, start stamps and nonces are base64url with dots.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
