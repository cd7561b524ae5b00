package store

import (
	"context"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
)

// MaxSecretGrace is the longest grace period of a secret rotation.
const MaxSecretGrace = 30 * 24 * time.Hour

// RotateSecret gives a study a new signing secret. Tokens signed with the
// old one keep working for the grace period, so links already sent out do
// not break at once; the assignment key does not change, so nobody moves
// between groups.
func (s *Store) RotateSecret(ctx context.Context, id string, grace time.Duration) (*survey.Study, error) {
	if grace < 0 || grace > MaxSecretGrace {
		return nil, &survey.ValidationError{Errors: []survey.FieldError{{Field: "grace_hours", Message: "must be from 0 to 720"}}}
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.lockStudy(tx, id)
		if err != nil {
			return err
		}
		until := time.Now().UTC().Add(grace)
		return tx.Model(&studyRow{}).Where("id = ?", id).Updates(map[string]any{
			"previous_secret": row.Secret, "previous_secret_until": until,
			"secret": survey.RandomBytes(32), "updated_at": time.Now().UTC(),
		}).Error
	})
	if err != nil {
		return nil, storeError("rotate secret", err)
	}
	st, err := s.Study(ctx, id)
	if err == nil {
		s.forget(st.PublicKey)
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read rotated study: %w", err)
	}
	return st, nil
}
