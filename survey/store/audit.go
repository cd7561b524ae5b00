package store

import (
	"context"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"
)

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
	row := auditRow{ID: survey.NewID(), At: time.Now().UTC(), Actor: actor, Action: action, StudyID: studyID,
		Detail: jsonColumn[map[string]any]{detail}}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return fmt.Errorf("store: unable to write audit event: %w", err)
	}
	return nil
}

// AuditEvents returns a page of the audit log and the next page's cursor.
func (s *Store) AuditEvents(ctx context.Context, f survey.AuditFilter) ([]survey.AuditEvent, string, error) {
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
	out := make([]survey.AuditEvent, len(rows))
	for i, r := range rows {
		out[i] = survey.AuditEvent{ID: r.ID, At: r.At.UTC(), Actor: r.Actor, Action: r.Action, StudyID: r.StudyID, Detail: r.Detail.V}
		if len(out[i].Detail) == 0 {
			out[i].Detail = nil
		}
	}
	return out, next, nil
}
