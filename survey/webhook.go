package survey

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Webhook event types.
const (
	// EventResponseCompleted is sent for every committed response.
	EventResponseCompleted = "response.completed"
	// EventResponseDetractor is sent, besides response.completed, for a
	// response whose NPS answer is 0 to 6.
	EventResponseDetractor = "response.detractor"
	// EventStudyClosed is sent when a study closes, by hand or by its
	// quota.
	EventStudyClosed = "study.closed"
)

// WebhookEvents are the event types a webhook can subscribe to.
var WebhookEvents = []string{EventResponseCompleted, EventResponseDetractor, EventStudyClosed}

// Delivery statuses.
const (
	DeliveryPending   = "pending"
	DeliveryDelivered = "delivered"
	DeliveryFailed    = "failed"
)

// Webhook is a subscription: events of one study (or, with an empty
// StudyID, of every study) are POSTed to URL, signed with its secret as
// the Standard Webhooks specification says.
type Webhook struct {
	ID          string    `json:"id"`
	StudyID     string    `json:"study_id,omitempty"`
	URL         string    `json:"url"`
	Events      []string  `json:"events"`
	Description string    `json:"description,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by,omitempty"`
	// Secret (whsec_...) is shown once, in the answer that creates the
	// webhook; it is never listed again.
	Secret string `json:"secret,omitempty"`
}

// Subscribes reports whether w wants event of the study.
func (w *Webhook) Subscribes(studyID, event string) bool {
	return (w.StudyID == "" || w.StudyID == studyID) && slices.Contains(w.Events, event)
}

// WebhookInput is what a user sends to create a webhook.
type WebhookInput struct {
	URL         string   `json:"url"`
	Events      []string `json:"events"`
	StudyID     string   `json:"study_id"`
	Description string   `json:"description"`
}

// maxWebhookURL bounds a target's address.
const maxWebhookURL = 2048

// Validate checks the input's shape; whether the target's host is allowed
// (no private networks by default) is the sender's check, which resolves
// it. Every problem names its field.
func (in *WebhookInput) Validate() error {
	v := &ValidationError{}
	u, err := url.Parse(in.URL)
	switch {
	case strings.TrimSpace(in.URL) == "":
		v.Add("url", "is required: the address to POST events to, such as https://example.com/hooks/brandlift")
	case len(in.URL) > maxWebhookURL:
		v.Add("url", "must be at most %d characters", maxWebhookURL)
	case err != nil:
		v.Add("url", "is not a URL: %v", err)
	case u.Scheme != "http" && u.Scheme != "https":
		v.Add("url", "must be an http or https address, got scheme %q", u.Scheme)
	case u.Hostname() == "":
		v.Add("url", "has no host")
	case u.User != nil:
		v.Add("url", "must not carry a user or password; the signature authenticates us")
	}
	if len(in.Events) == 0 {
		v.Add("events", "must list at least one of %s", strings.Join(WebhookEvents, ", "))
	}
	seen := map[string]bool{}
	for i, e := range in.Events {
		switch {
		case !slices.Contains(WebhookEvents, e):
			v.Add(fmt.Sprintf("events[%d]", i), "must be one of %s, got %q", strings.Join(WebhookEvents, ", "), e)
		case seen[e]:
			v.Add(fmt.Sprintf("events[%d]", i), "repeats %q", e)
		}
		seen[e] = true
	}
	if len(in.Description) > 500 {
		v.Add("description", "must be at most 500 characters")
	}
	if len(v.Errors) > 0 {
		return v
	}
	return nil
}

// Delivery is one event for one webhook: its payload is sent until the
// target answers 2xx or the retries run out.
type Delivery struct {
	// ID is the webhook-id header, the same on every attempt, so that a
	// receiver can drop repeats.
	ID          string     `json:"id"`
	WebhookID   string     `json:"webhook_id"`
	StudyID     string     `json:"study_id"`
	Event       string     `json:"event"`
	Status      string     `json:"status"`
	Attempts    int        `json:"attempts"`
	CreatedAt   time.Time  `json:"created_at"`
	NextAt      *time.Time `json:"next_at"`
	LastStatus  *int       `json:"last_status"`
	LastError   string     `json:"last_error,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at"`
	// Payload is the signed body.
	Payload string `json:"-"`
	// Log is every attempt, oldest first (in the delivery log only).
	Log []DeliveryAttempt `json:"log,omitempty"`
}

// DeliveryAttempt is one POST of a delivery.
type DeliveryAttempt struct {
	N          int       `json:"n"`
	At         time.Time `json:"at"`
	StatusCode *int      `json:"status_code"`
	Error      string    `json:"error,omitempty"`
	DurationMs int64     `json:"duration_ms"`
}
