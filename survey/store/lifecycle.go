package store

import (
	"context"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"
	"gorm.io/gorm"
)

// Transition moves a study through its lifecycle. An action that the
// current status does not allow is a *ConflictError naming that status.
func (s *Store) Transition(ctx context.Context, id string, action survey.Action) (*survey.Study, error) {
	if _, ok := survey.ParseAction(string(action)); !ok {
		panic("store: unknown action " + string(action))
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.lockStudy(tx, id)
		if err != nil {
			return err
		}
		to, ok := action.Next(survey.Status(row.Status))
		if !ok {
			return &survey.ConflictError{Status: survey.Status(row.Status), Detail: fmt.Sprintf(
				"cannot %s a study in status %s", action, row.Status)}
		}
		now := time.Now().UTC()
		updates := map[string]any{"status": string(to), "updated_at": now}
		switch action {
		case survey.Launch:
			updates["launched_at"] = now
		case survey.Close:
			updates["closed_at"] = now
		}
		if err := tx.Model(&studyRow{}).Where("id = ?", id).Updates(updates).Error; err != nil {
			return err
		}
		if action == survey.Close {
			return queueClosed(tx, id, row.Name, "manual", now)
		}
		return nil
	})
	if err != nil {
		return nil, storeError(string(action)+" study", err)
	}
	st, err := s.Study(ctx, id)
	if err == nil {
		s.forget(st.PublicKey)
	}
	return st, err
}
