package store

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// deliveryRow is the webhook_deliveries table: the outbox.
type deliveryRow struct {
	StudyID     string `gorm:"primaryKey"`
	ID          string `gorm:"primaryKey"`
	WebhookID   string
	ResponseID  string
	Event       string
	Payload     string
	CreatedAt   time.Time
	Status      string
	Attempts    int
	NextAt      *time.Time
	LastStatus  *int
	LastError   string
	DeliveredAt *time.Time
}

func (deliveryRow) TableName() string { return "webhook_deliveries" }

func (r *deliveryRow) delivery() survey.Delivery {
	d := survey.Delivery{ID: r.ID, WebhookID: r.WebhookID, StudyID: r.StudyID, Event: r.Event, Status: r.Status,
		Attempts: r.Attempts, CreatedAt: r.CreatedAt.UTC(), NextAt: utcPtr(r.NextAt), LastStatus: r.LastStatus,
		LastError: r.LastError, DeliveredAt: utcPtr(r.DeliveredAt), Payload: r.Payload}
	return d
}

// attemptRow is the webhook_attempts table: the delivery log.
type attemptRow struct {
	StudyID    string `gorm:"primaryKey"`
	DeliveryID string `gorm:"primaryKey"`
	N          int    `gorm:"primaryKey"`
	At         time.Time
	StatusCode *int
	Error      string
	DurationMs int64
}

func (attemptRow) TableName() string { return "webhook_attempts" }

// newDeliveryID is a delivery's webhook-id: msg_ and a time-ordered id.
func newDeliveryID() string { return "msg_" + survey.NewID() }

// queueEvent appends to out one delivery of event for every hook that
// wants it; the caller writes them in the transaction of the event.
func queueEvent(out []deliveryRow, hooks []webhookRow, studyID, responseID, event string, at time.Time, data any) ([]deliveryRow, error) {
	var payload string
	for i := range hooks {
		w := hooks[i].webhook()
		if !w.Subscribes(studyID, event) {
			continue
		}
		if payload == "" {
			p, err := survey.MarshalPayload(event, at, data)
			if err != nil {
				return out, err
			}
			payload = p
		}
		now := time.Now().UTC()
		out = append(out, deliveryRow{StudyID: studyID, ID: newDeliveryID(), WebhookID: w.ID, ResponseID: responseID, Event: event, Payload: payload,
			CreatedAt: now, Status: survey.DeliveryPending, NextAt: &now})
	}
	return out, nil
}

// responseEvent is a committed response as its webhooks see it.
func responseEvent(p *pending) survey.ResponseEvent {
	r := p.row
	wave, g, cell := survey.SplitArm(survey.Group(r.Grp))
	flags := []string{}
	if r.Flags != "" {
		flags = strings.Split(r.Flags, ",")
	}
	attrs := r.Attrs.V
	if attrs == nil {
		attrs = map[string]string{}
	}
	return survey.ResponseEvent{StudyID: r.StudyID, StudyName: p.study.Name, ResponseID: r.ID, Group: g, Cell: cell, Wave: wave,
		Locale: r.Locale, CompletedAt: r.CompletedAt.UTC(), Attrs: attrs, Answers: p.answers, Flags: flags,
		NPS: p.study.NPSOf(p.answers)}
}

// queueResponses queues the events of a batch's accepted responses.
func queueResponses(hooks []webhookRow, accepted []*pending) ([]deliveryRow, error) {
	if len(hooks) == 0 {
		return nil, nil
	}
	var out []deliveryRow
	for _, p := range accepted {
		ev := responseEvent(p)
		for _, event := range survey.ResponseEvents(ev) {
			var err error
			if out, err = queueEvent(out, hooks, p.row.StudyID, p.row.ID, event, ev.CompletedAt, ev); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// queueClosed queues study.closed inside the transaction that closes it.
func queueClosed(tx *gorm.DB, studyID, name, reason string, at time.Time) error {
	hooks, err := activeHooks(tx, []string{studyID})
	if err != nil {
		return err
	}
	rows, err := queueEvent(nil, hooks, studyID, "", survey.EventStudyClosed, at,
		survey.StudyClosedEvent{StudyID: studyID, Name: name, ClosedAt: at.UTC(), Reason: reason})
	if err != nil || len(rows) == 0 {
		return err
	}
	return tx.Create(&rows).Error
}

// DueDelivery is a claimed delivery with where to send it and the secret
// that signs it.
type DueDelivery struct {
	survey.Delivery
	URL, Secret string
}

// ClaimDeliveries takes up to limit deliveries that are due and leases
// them for lease: another worker (another replica) skips them until then,
// and a worker that dies mid-send leaves them to be tried again.
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]DueDelivery, error) {
	var out []DueDelivery
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("status = ? AND next_at <= ?", survey.DeliveryPending, now.UTC()).Order("next_at").Limit(limit)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []deliveryRow
		if err := q.Find(&rows).Error; err != nil || len(rows) == 0 {
			return err
		}
		until := now.UTC().Add(lease)
		hookIDs := map[string]bool{}
		for _, r := range rows {
			if err := tx.Model(&deliveryRow{}).Where("study_id = ? AND id = ?", r.StudyID, r.ID).Update("next_at", until).Error; err != nil {
				return err
			}
			hookIDs[r.WebhookID] = true
		}
		ids := make([]string, 0, len(hookIDs))
		for id := range hookIDs {
			ids = append(ids, id)
		}
		var hooks []webhookRow
		if err := tx.Where("id IN ?", ids).Find(&hooks).Error; err != nil {
			return err
		}
		byID := map[string]*webhookRow{}
		for i := range hooks {
			byID[hooks[i].ID] = &hooks[i]
		}
		for i := range rows {
			h := byID[rows[i].WebhookID]
			if h == nil {
				continue // cannot happen: deliveries outlive only deleted (kept) hooks
			}
			out = append(out, DueDelivery{Delivery: rows[i].delivery(), URL: h.URL, Secret: h.Secret})
		}
		return nil
	})
	return out, storeError("claim webhook deliveries", err)
}

// AttemptOutcome is what became of one attempt: Delivered, or else
// RetryAt (nil when the retries are over and the delivery failed).
type AttemptOutcome struct {
	Attempt   survey.DeliveryAttempt
	Delivered bool
	RetryAt   *time.Time
}

// RecordAttempt logs an attempt of a claimed delivery and moves it on. It
// changes nothing when the delivery moved meanwhile (deleted, redelivered
// by hand, or another worker's attempt was recorded first).
func (s *Store) RecordAttempt(ctx context.Context, d DueDelivery, o AttemptOutcome) error {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n := d.Attempts + 1
		updates := map[string]any{"attempts": n, "last_status": o.Attempt.StatusCode, "last_error": o.Attempt.Error}
		switch {
		case o.Delivered:
			updates["status"], updates["next_at"], updates["delivered_at"] = survey.DeliveryDelivered, nil, o.Attempt.At.UTC()
		case o.RetryAt != nil:
			updates["next_at"] = o.RetryAt.UTC()
		default:
			updates["status"], updates["next_at"] = survey.DeliveryFailed, nil
		}
		res := tx.Model(&deliveryRow{}).Where("study_id = ? AND id = ? AND status = ? AND attempts = ?",
			d.StudyID, d.ID, survey.DeliveryPending, d.Attempts).Updates(updates)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		a := o.Attempt
		return tx.Create(&attemptRow{StudyID: d.StudyID, DeliveryID: d.ID, N: n, At: a.At.UTC(), StatusCode: a.StatusCode,
			Error: a.Error, DurationMs: a.DurationMs}).Error
	})
	return storeError("record webhook attempt", err)
}

// Deliveries is a webhook's delivery log, newest first, each with its
// attempts.
func (s *Store) Deliveries(ctx context.Context, webhookID string, limit int) ([]survey.Delivery, error) {
	var rows []deliveryRow
	if err := s.db.WithContext(ctx).Where("webhook_id = ?", webhookID).Order("id DESC").Limit(limit).Find(&rows).Error; err != nil {
		return nil, storeError("list webhook deliveries", err)
	}
	out := make([]survey.Delivery, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]string, len(rows))
	at := map[string]int{}
	for i := range rows {
		out[i] = rows[i].delivery()
		ids[i] = rows[i].ID
		at[rows[i].ID] = i
	}
	var attempts []attemptRow
	if err := s.db.WithContext(ctx).Where("delivery_id IN ?", ids).Order("delivery_id, n").Find(&attempts).Error; err != nil {
		return nil, storeError("list webhook attempts", err)
	}
	for _, a := range attempts {
		i := at[a.DeliveryID]
		out[i].Log = append(out[i].Log, survey.DeliveryAttempt{N: a.N, At: a.At.UTC(), StatusCode: a.StatusCode, Error: a.Error, DurationMs: a.DurationMs})
	}
	return out, nil
}

// Redeliver sends a delivery again now, with the same webhook-id, whatever
// became of it: a receiver that lost it, or a target that was down past
// the retries.
func (s *Store) Redeliver(ctx context.Context, webhookID, deliveryID string) (survey.Delivery, error) {
	var row deliveryRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("webhook_id = ? AND id = ?", webhookID, deliveryID).Take(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return survey.ErrNotFound
			}
			return err
		}
		now := time.Now().UTC()
		row.Status, row.NextAt = survey.DeliveryPending, &now
		return tx.Model(&deliveryRow{}).Where("study_id = ? AND id = ?", row.StudyID, row.ID).
			Updates(map[string]any{"status": row.Status, "next_at": now}).Error
	})
	if err != nil {
		return survey.Delivery{}, storeError("redeliver webhook", err)
	}
	return row.delivery(), nil
}
