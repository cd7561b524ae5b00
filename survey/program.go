package survey

import (
	"errors"
	"fmt"
	"time"
)

// Program is the part of Settings that runs an nps study as a program:
// how often one person is asked, where the widget may be embedded, and
// how invitations are sent. Every field is optional; the zero value takes
// the defaults below.
type Program struct {
	// ThrottleDays is how long after an answer or a dismissal the same
	// respondent is not asked again (default DefaultThrottleDays).
	ThrottleDays int `json:"throttle_days,omitempty"`
	// ThrottleScope is "study" (default): the window counts this study's
	// answers and dismissals; or "installation": those of every nps study
	// here whose respondent id is the same.
	ThrottleScope string `json:"throttle_scope,omitempty"`
	// WidgetOrigins are the origins whose pages may embed the widget and
	// call the public API from the browser (CORS).
	WidgetOrigins []string `json:"widget_origins,omitempty"`
	// ReminderDays sends one reminder that many days after an invitation
	// nobody answered; 0 (default) sends none.
	ReminderDays int `json:"reminder_days,omitempty"`
	// EmailPerMinute caps the study's invitations per minute (default
	// DefaultEmailPerMinute), so that a large import does not flood the
	// SMTP relay or look like spam to receivers.
	EmailPerMinute int `json:"email_per_minute,omitempty"`
}

// Program defaults and limits.
const (
	DefaultThrottleDays   = 90
	MinThrottleDays       = 7
	MaxThrottleDays       = 365
	MaxReminderDays       = 30
	DefaultEmailPerMinute = 60
	MaxEmailPerMinute     = 6000
	MaxWidgetOrigins      = 20
)

// Throttle scopes.
const (
	ThrottleStudy        = "study"
	ThrottleInstallation = "installation"
)

// ThrottleWindow is how long a respondent of this study is left alone
// after an answer or dismissal; 0 for studies that are not nps (a
// brand-lift respondent answers once, and that is the duplicate rule).
func (s *Spec) ThrottleWindow() time.Duration {
	if s.Kind != KindNPS {
		return 0
	}
	days := s.ThrottleDays
	if days == 0 {
		days = DefaultThrottleDays
	}
	return time.Duration(days) * 24 * time.Hour
}

// ThrottlesAcrossStudies reports whether the window counts every nps
// study of the installation.
func (s *Spec) ThrottlesAcrossStudies() bool { return s.ThrottleScope == ThrottleInstallation }

// EmailRate is the study's invitations per minute.
func (p *Program) EmailRate() int {
	if p.EmailPerMinute > 0 {
		return p.EmailPerMinute
	}
	return DefaultEmailPerMinute
}

// WidgetOrigin reports whether a page on origin may use the study's
// public endpoints from the browser.
func (s *Spec) WidgetOrigin(origin string) bool {
	return origin != "" && contains(s.WidgetOrigins, origin)
}

func (s *Spec) validateProgram(v *ValidationError) {
	p := s.Program
	if s.Kind != KindNPS {
		for field, set := range map[string]bool{"throttle_days": p.ThrottleDays != 0, "throttle_scope": p.ThrottleScope != "",
			"widget_origins": len(p.WidgetOrigins) > 0, "reminder_days": p.ReminderDays != 0, "email_per_minute": p.EmailPerMinute != 0} {
			if set {
				v.Add(field, "throttling, the widget and email invitations are for nps studies; this study is %s", s.Kind)
			}
		}
		return
	}
	if p.ThrottleDays != 0 && (p.ThrottleDays < MinThrottleDays || p.ThrottleDays > MaxThrottleDays) {
		v.Add("throttle_days", "must be %d to %d days, got %d", MinThrottleDays, MaxThrottleDays, p.ThrottleDays)
	}
	switch p.ThrottleScope {
	case "", ThrottleStudy, ThrottleInstallation:
	default:
		v.Add("throttle_scope", "must be %s or %s, got %q", ThrottleStudy, ThrottleInstallation, p.ThrottleScope)
	}
	if p.ReminderDays < 0 || p.ReminderDays > MaxReminderDays {
		v.Add("reminder_days", "must be 0 (no reminder) to %d days, got %d", MaxReminderDays, p.ReminderDays)
	}
	if p.EmailPerMinute < 0 || p.EmailPerMinute > MaxEmailPerMinute {
		v.Add("email_per_minute", "must be 1 to %d, got %d", MaxEmailPerMinute, p.EmailPerMinute)
	}
	if len(p.WidgetOrigins) > MaxWidgetOrigins {
		v.Add("widget_origins", "at most %d origins, got %d", MaxWidgetOrigins, len(p.WidgetOrigins))
	}
	for i, origin := range p.WidgetOrigins {
		if !originPattern.MatchString(origin) {
			v.Add(fmt.Sprintf("widget_origins[%d]", i), "must be an origin such as https://example.com, got %q", origin)
		}
	}
}

// ThrottledError refuses a submission or a prompt inside the respondent's
// window: they answered or dismissed the survey at Last and may be asked
// again from Until.
type ThrottledError struct {
	Last, Until time.Time
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("the respondent answered or dismissed this survey on %s and is not asked again before %s",
		e.Last.UTC().Format(time.DateOnly), e.Until.UTC().Format(time.DateOnly))
}

// IsThrottled reports whether err is a ThrottledError.
func IsThrottled(err error) bool {
	var t *ThrottledError
	return errors.As(err, &t)
}

// Channels a response or prompt comes through.
const (
	ChannelEmail  = "email"
	ChannelWidget = "widget"
	ChannelLink   = "link"
)

// Channels lists them in report order.
var Channels = []string{ChannelEmail, ChannelWidget, ChannelLink}

// ChannelOf is where a submission came from: an invitation's link carries
// the invitation in its token, the widget sends its ask id, the rest
// came by a link.
func ChannelOf(tokenAsk, bodyAsk string) string {
	switch {
	case tokenAsk != "":
		return ChannelEmail
	case bodyAsk != "":
		return ChannelWidget
	}
	return ChannelLink
}

// MaxAskLength bounds an ask id (an invitation id or the widget's).
const MaxAskLength = 40

// AskProblem says what is wrong with an ask id, or "".
func AskProblem(ask string) string {
	if ask == "" || len(ask) > MaxAskLength {
		return fmt.Sprintf("must be 1 to %d characters", MaxAskLength)
	}
	for _, r := range ask {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return "may hold a-z, 0-9, _ and - only"
		}
	}
	return ""
}

// ResponseKey is what a response is unique by: the respondent's hash, or
// for a repeat ask of an nps program (an invitation, a widget prompt) the
// hash of the respondent with the ask, so that one person answers each
// ask once and may answer the next one after the throttle window.
func (st *Study) ResponseKey(rid, ask string) string {
	if ask == "" {
		return st.RespondentHash(rid)
	}
	return st.RespondentHash(rid + "\x00ask:" + ask)
}
