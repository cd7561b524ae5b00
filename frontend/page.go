package frontend

// SurveyPage is what the respondent page template renders.
type SurveyPage struct {
	Lang         string // "ru" or "en": every fixed text comes from the i18n table in this language
	Title        string // the brand or study name
	Action       string // form action URL (POST)
	Token        string // hidden field "t"
	Started      string // hidden field "started": the signed render time
	Consent      string // consent text; "" when the study asks for none
	Consented    bool   // the consent box was ticked on a previous, failed post
	ConsentError bool   // consent was required and not given on a previous post
	Questions    []Question
	Nonce        string // CSP nonce for the page's own <script> and <style> tags, if any are inline
	// Languages offers a switch to the study's other locales (links keep the token).
	Languages []Language
	// ConsentVersion is the version of Consent, posted back so that the
	// response names the text the respondent accepted.
	ConsentVersion int
	// Preview, when set, is the banner of the dashboard's preview of the
	// page (in the dashboard's language): the page cannot be sent.
	Preview     string
	PreviewLang string // the banner's language
	// Start is the id of the step the enhanced page opens on ("consent",
	// "q-KEY"): the first, or the first the server found a problem with.
	// The page is rendered in that stepped state, so the script changes
	// nothing on screen when it starts.
	Start string
}

// Steps lists the page's step ids in order: the consent step, if any,
// then one per question.
func (p *SurveyPage) Steps() []string {
	var ids []string
	if p.Consent != "" {
		ids = append(ids, "consent")
	}
	for _, q := range p.Questions {
		ids = append(ids, "q-"+q.Key)
	}
	return ids
}

// StartStep is Start, or the first step when Start names none.
func (p *SurveyPage) StartStep() string {
	ids := p.Steps()
	for _, id := range ids {
		if id == p.Start {
			return id
		}
	}
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}

// AtFirst and AtLast say where the start step is, for the buttons the
// enhanced page shows before its script runs.
func (p *SurveyPage) AtFirst() bool {
	ids := p.Steps()
	return len(ids) == 0 || ids[0] == p.StartStep()
}

// AtLast reports whether the start step is the last one.
func (p *SurveyPage) AtLast() bool {
	ids := p.Steps()
	return len(ids) == 0 || ids[len(ids)-1] == p.StartStep()
}

// Progress is the progress bar's value on the start step: the question's
// number over the number of questions (the consent step counts as none).
func (p *SurveyPage) Progress() float64 {
	if len(p.Questions) == 0 {
		return 0
	}
	start := p.StartStep()
	for i, q := range p.Questions {
		if "q-"+q.Key == start {
			return float64(i+1) / float64(len(p.Questions))
		}
	}
	return 0
}

// Minutes estimates how long the survey takes, rounded up to whole
// minutes: about 10 s a single answer, 15 s a multiple choice, 40 s a
// text answer, 15 s to read the consent.
func (p *SurveyPage) Minutes() int {
	secs := 0
	if p.Consent != "" {
		secs += 15
	}
	for _, q := range p.Questions {
		switch q.Type {
		case "multi_choice":
			secs += 15
		case "text":
			secs += 40
		default:
			secs += 10
		}
	}
	return max(1, (secs+59)/60)
}

// Language is a link to the page in another of the study's languages.
type Language struct {
	Code string // "ru"
	Name string // "Русский"
	URL  string
}

// Question is one question on the page, in display order.
type Question struct {
	Key      string // form field name is "q." + Key
	Type     string // single_choice, multi_choice, nps, rating, text
	Text     string
	Required bool
	Number   int // 1-based position
	Total    int
	Options  []Option // choice questions, already in this respondent's order
	Scale    []Level  // nps (0..10) and rating (1..scale) levels
	Value    string   // previous answer for single choice, nps, rating, text
	Error    string   // why a previous post failed: required, invalid, too_long or exclusive (the template localizes it)
}

// Option is one choice.
type Option struct {
	Key       string
	Text      string
	Checked   bool
	Exclusive bool // "none of these": unticks the others (the server checks it too)
}

// OptionView is what the survey_option template renders: one choice of
// question QKey at place N (1-based) of the respondent's order.
type OptionView struct {
	QKey, QType string
	Required    bool
	O           Option
	N           string
}

// Level is one point of a scale.
type Level struct {
	Value   int
	Label   string // "0".."10", or "1".."5"
	Checked bool
}

// MessagePage is a full-page message: thanks, already answered, survey
// full, not live, invalid or expired link, unknown study.
type MessagePage struct {
	Lang  string
	Kind  string // see the Message* constants
	Title string // the brand or study name, when known
	Nonce string
	// EndURL is where the thank-you page sends the respondent on, if the
	// study names a site.
	EndURL string
	// Form is a confirmation the page asks for (unsubscribing).
	Form *MessageForm
}

// MessageForm is a one-button form that posts a token back.
type MessageForm struct {
	Action, Token string
}

// Kinds of message pages.
const (
	MessageThanks          = "thanks"
	MessageAlreadyAnswered = "already_answered"
	MessageThrottled       = "throttled"   // an nps program asked too soon after the last answer or dismissal
	MessageUnsubscribe     = "unsubscribe" // confirm unsubscribing from invitation emails
	MessageUnsubscribed    = "unsubscribed"
	MessageNotStarted      = "not_started" // draft
	MessagePaused          = "paused"
	MessageClosed          = "closed"
	MessageFull            = "full"
	MessageInvalidLink     = "invalid_link"
	MessageExpiredLink     = "expired_link"
	MessageUnknownStudy    = "unknown_study"
	MessageUnavailable     = "unavailable" // the server failed; nothing was stored
	MessageDown            = "down"        // the survey cannot be shown right now; reload later
)
