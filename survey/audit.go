package survey

import "time"

// AuditEvent records who did what to which study.
type AuditEvent struct {
	ID      string         `json:"id"`
	At      time.Time      `json:"at"`
	Actor   string         `json:"actor"`
	Action  string         `json:"action"`
	StudyID string         `json:"study_id,omitempty"`
	Detail  map[string]any `json:"detail,omitempty"`
}

// SystemActor is the actor of what the server does on its own, such as
// closing a study whose groups are full.
const SystemActor = "system"

// AuditFilter selects a page of the audit log, newest first.
type AuditFilter struct {
	StudyID string
	Limit   int
	Cursor  string
}
