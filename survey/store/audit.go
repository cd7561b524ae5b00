package survey

import (
	"context"
	"fmt"
	"time"
)

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

type auditRow struct {
	ID      string `gorm:"primaryKey"`
	At      time.Time
	Actor   string
	Action  string
	StudyID string
	Detail  jsonColumn[map[string]any]
}

func (auditRow) TableName() string { return "audit_events" }

// Audit appends an event to the audit log.
func (s *Store) Audit(ctx context.Context, actor, action, studyID string, detail map[string]any) error {
	if detail == nil {
		detail = map[string]any{}
	}
	row := auditRow{ID: NewID(), At: time.Now().UTC(), Actor: actor, Action: action, StudyID: studyID,
		Detail: jsonColumn[map[string]any]{detail}}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: unable to write audit event: %w", err)
	}
	return nil
}

// AuditFilter selects a page of the audit log, newest first.
type AuditFilter struct {
	StudyID string
	Limit   int
	Cursor  string
}

// AuditEvents returns a page of the audit log and the next page's cursor.
func (s *Store) AuditEvents(ctx context.Context, f AuditFilter) ([]AuditEvent, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	q := s.db.WithContext(ctx).Order("id DESC").Limit(limit + 1)
	if f.StudyID != "" {
		q = q.Where("study_id = ?", f.StudyID)
	}
	if f.Cursor != "" {
		q = q.Where("id < ?", f.Cursor)
	}
	var rows []auditRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("store: unable to read audit log: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	out := make([]AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = AuditEvent{ID: r.ID, At: r.At.UTC(), Actor: r.Actor, Action: r.Action, StudyID: r.StudyID, Detail: r.Detail.V}
		if len(out[i].Detail) == 0 {
			out[i].Detail = nil
		}
	}
	return out, next, nil
}
