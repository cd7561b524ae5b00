package survey

import (
	"strings"
	"time"
)

// Invitation is one email of an nps program to one contact: the first
// invitation, or its one reminder. Its ask is what the email's links
// carry; the reminder shares its invitation's ask, so answering either
// answers both.
type Invitation struct {
	ID        string     `json:"id"`
	ContactID string     `json:"contact_id"`
	Email     string     `json:"email"`
	Kind      string     `json:"kind"`   // invite, reminder
	Status    string     `json:"status"` // queued, sent, failed, bounced, skipped
	Ask       string     `json:"ask"`
	Attempts  int        `json:"attempts"`
	NextAt    *time.Time `json:"next_at"` // while queued: when it is tried next
	SMTPCode  int        `json:"smtp_code,omitempty"`
	LastError string     `json:"last_error,omitempty"` // or the reason it was skipped
	CreatedAt time.Time  `json:"created_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// Invitation kinds and statuses.
const (
	InviteFirst    = "invite"
	InviteReminder = "reminder"

	InvitationQueued  = "queued"
	InvitationSent    = "sent"
	InvitationFailed  = "failed"  // temporary errors until the retries ran out
	InvitationBounced = "bounced" // the server refused the address for good
	InvitationSkipped = "skipped" // not sent: see LastError
)

// Reasons an invitation is not queued or not sent.
const (
	SkipUnsubscribed    = "unsubscribed"     // the address unsubscribed from this installation
	SkipBounced         = "bounced"          // an earlier email to it bounced
	SkipQueued          = "already_queued"   // an invitation to the contact is waiting already
	SkipRecentlyInvited = "recently_invited" // invited within the throttle window
	SkipThrottled       = "throttled"        // answered or dismissed within the window
	SkipAnswered        = "answered"         // a reminder whose invitation was answered
	SkipClosed          = "study_closed"
)

// InvitationQueue is what queueing invitations did: how many were queued,
// and how many contacts were left out, by reason.
type InvitationQueue struct {
	Queued  int            `json:"queued"`
	Skipped map[string]int `json:"skipped"`
}

// NewAsk is a fresh ask id: an invitation's, or the widget's for one
// showing of the survey.
func NewAsk() string { return strings.ToLower(NewID()) }
