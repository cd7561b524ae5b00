package store

import (
	"context"

	"github.com/brandlift/brandlift/survey"
)

// PendingInvitations counts the invitations waiting to be sent (queued),
// across studies, for the queue's gauge. The partial index
// invitations_due holds exactly those rows, so the count reads the index,
// not the table.
func (s *Store) PendingInvitations(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&invitationRow{}).Where("status = ?", survey.InvitationQueued).Count(&n).Error
	return n, storeError("count pending invitations", err)
}

// PendingDeliveries counts the webhook deliveries not yet delivered nor
// given up (pending), across studies, for the outbox's gauge; like
// PendingInvitations it reads a partial index (webhook_deliveries_due).
func (s *Store) PendingDeliveries(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&deliveryRow{}).Where("status = ?", survey.DeliveryPending).Count(&n).Error
	return n, storeError("count pending deliveries", err)
}
