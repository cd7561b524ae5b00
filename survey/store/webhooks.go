package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"gorm.io/gorm"
)

// webhookRow is the webhooks table.
type webhookRow struct {
	ID          string `gorm:"primaryKey"`
	StudyID     string
	URL         string
	Secret      string
	Events      string
	Description string
	CreatedAt   time.Time
	CreatedBy   string
	DeletedAt   *time.Time
}

func (webhookRow) TableName() string { return "webhooks" }

func (r *webhookRow) webhook() survey.Webhook {
	return survey.Webhook{ID: r.ID, StudyID: r.StudyID, URL: r.URL, Events: strings.Split(r.Events, ","),
		Description: r.Description, CreatedAt: r.CreatedAt.UTC(), CreatedBy: r.CreatedBy}
}

// newWebhookSecret is a Standard Webhooks secret: whsec_ and 24 random
// bytes in base64.
func newWebhookSecret() string {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("store: crypto/rand failed: " + err.Error())
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b[:])
}

// CreateWebhook subscribes in.URL to in.Events of one study (or of every
// study when in.StudyID is empty). The answer carries the secret, the only
// time it is shown.
func (s *Store) CreateWebhook(ctx context.Context, in survey.WebhookInput, actor string) (survey.Webhook, error) {
	if err := in.Validate(); err != nil {
		return survey.Webhook{}, err
	}
	if in.StudyID != "" {
		var n int64
		if err := s.db.WithContext(ctx).Model(&studyRow{}).Where("id = ?", in.StudyID).Count(&n).Error; err != nil {
			return survey.Webhook{}, storeError("find study", err)
		}
		if n == 0 {
			v := &survey.ValidationError{}
			v.Add("study_id", "no study with id %q", in.StudyID)
			return survey.Webhook{}, v
		}
	}
	row := webhookRow{ID: survey.NewID(), StudyID: in.StudyID, URL: in.URL, Secret: newWebhookSecret(),
		Events: strings.Join(in.Events, ","), Description: in.Description, CreatedAt: time.Now().UTC(), CreatedBy: actor}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return survey.Webhook{}, storeError("create webhook", err)
	}
	w := row.webhook()
	w.Secret = row.Secret
	return w, nil
}

// Webhooks lists the webhooks that are not deleted: of one study when
// studyID is set, else all of them, oldest first.
func (s *Store) Webhooks(ctx context.Context, studyID string) ([]survey.Webhook, error) {
	q := s.db.WithContext(ctx).Where("deleted_at IS NULL")
	if studyID != "" {
		q = q.Where("study_id = ?", studyID)
	}
	var rows []webhookRow
	if err := q.Order("id").Find(&rows).Error; err != nil {
		return nil, storeError("list webhooks", err)
	}
	out := make([]survey.Webhook, len(rows))
	for i := range rows {
		out[i] = rows[i].webhook()
	}
	return out, nil
}

// Webhook is one webhook that is not deleted, without its secret.
func (s *Store) Webhook(ctx context.Context, id string) (survey.Webhook, error) {
	var row webhookRow
	err := s.db.WithContext(ctx).Where("id = ? AND deleted_at IS NULL", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return survey.Webhook{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.Webhook{}, storeError("find webhook", err)
	}
	return row.webhook(), nil
}

// DeleteWebhook stops a webhook: nothing more is queued for it, and what
// is still pending fails with the reason.
func (s *Store) DeleteWebhook(ctx context.Context, id string) error {
	return storeError("delete webhook", s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		res := tx.Model(&webhookRow{}).Where("id = ? AND deleted_at IS NULL", id).Update("deleted_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return survey.ErrNotFound
		}
		return tx.Model(&deliveryRow{}).Where("webhook_id = ? AND status = ?", id, survey.DeliveryPending).
			Updates(map[string]any{"status": survey.DeliveryFailed, "next_at": nil, "last_error": "the webhook was deleted"}).Error
	}))
}

// activeHooks are the webhooks that may want events of the studies: their
// own and the installation's.
func activeHooks(tx *gorm.DB, studyIDs []string) ([]webhookRow, error) {
	var rows []webhookRow
	err := tx.Where("deleted_at IS NULL AND (study_id = '' OR study_id IN ?)", studyIDs).Order("id").Find(&rows).Error
	return rows, err
}
