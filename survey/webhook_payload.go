package survey

import (
	"encoding/json"
	"time"
)

// EventPayload is a delivery's body, in the shape the Standard Webhooks
// specification recommends: the event type, when it happened, its data.
type EventPayload struct {
	Type      string    `json:"type"`
	Timestamp time.Time `json:"timestamp"`
	Data      any       `json:"data"`
}

// ResponseEvent is the data of response.completed and response.detractor:
// the response as it was committed (answers, attributes, group), so that a
// receiver can act on it without calling back.
type ResponseEvent struct {
	StudyID     string            `json:"study_id"`
	StudyName   string            `json:"study_name"`
	ResponseID  string            `json:"response_id"`
	Group       Group             `json:"group"`
	Cell        string            `json:"cell,omitempty"`
	Wave        string            `json:"wave,omitempty"`
	Locale      string            `json:"locale"`
	CompletedAt time.Time         `json:"completed_at"`
	Attrs       map[string]string `json:"attrs"`
	Answers     Answers           `json:"answers"`
	Flags       []string          `json:"flags"`
	// NPS is the response's answer to the study's first NPS question.
	NPS *NPSAnswer `json:"nps,omitempty"`
}

// StudyClosedEvent is the data of study.closed.
type StudyClosedEvent struct {
	StudyID  string    `json:"study_id"`
	Name     string    `json:"name"`
	ClosedAt time.Time `json:"closed_at"`
	// Reason is "manual" or "auto_close" (the quota was reached).
	Reason string `json:"reason"`
}

// ResponseEvents are the events a committed response raises: always
// response.completed, and response.detractor when its NPS score is 0-6.
func ResponseEvents(r ResponseEvent) []string {
	out := []string{EventResponseCompleted}
	if r.NPS != nil && r.NPS.Category == "detractor" {
		out = append(out, EventResponseDetractor)
	}
	return out
}

// MarshalPayload is a delivery's body: compact JSON, the bytes that are
// stored, signed and sent.
func MarshalPayload(event string, at time.Time, data any) (string, error) {
	b, err := json.Marshal(EventPayload{Type: event, Timestamp: at.UTC(), Data: data})
	return string(b), err
}
