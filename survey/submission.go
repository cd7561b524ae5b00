package survey

import (
	"errors"
	"time"
)

// ErrGroupFull means the respondent's group has reached its target.
var ErrGroupFull = errors.New("the survey is full for this group")

// SubmitRequest is one respondent's submission.
type SubmitRequest struct {
	Token   string
	Answers map[string]any // raw: decoded JSON (UseNumber) or built from a form
	Locale  string
	Started string // the page's signed start stamp; "" for API clients
	// StartedAt and DurationMs are the timing an API client reports for a
	// survey it rendered itself (started_at, duration_ms); either may be
	// nil. A valid Started stamp wins over them (see ResponseTiming).
	StartedAt  *time.Time
	DurationMs *int64
	Consent    bool
	// ConsentVersion is the consent version the page showed (its hidden
	// field); 0 means the study's current one, as for API clients.
	ConsentVersion int
	UserAgent      string
	// Ask is the widget's prompt id: with it, an nps program's respondent
	// answers each prompt once, and may answer again after the throttle
	// window. An invitation's links carry theirs in the token instead.
	Ask string
	// At backdates the completion, for imports and the demo's simulated
	// history; the zero value is now. The public API never sets it.
	At time.Time
}

// SubmitResult says what happened to a submission.
type SubmitResult struct {
	ResponseID string
	Duplicate  bool // the respondent had answered before; nothing new stored
}
