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
}

// Kinds of message pages.
const (
	MessageThanks          = "thanks"
	MessageAlreadyAnswered = "already_answered"
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
