package api

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey/store"
)

// Webhook worker settings.
const (
	webhookClaim    = 32              // deliveries claimed at a time
	webhookParallel = 8               // POSTs in flight at once
	webhookLease    = 2 * time.Minute // a claimed delivery is another worker's again after this
)

// RunWebhooks delivers the webhook outbox until ctx ends: it claims due
// deliveries, posts them signed, and records every attempt. Deliveries
// survive restarts (they are rows). When ctx ends it claims no more, and
// the POSTs in flight finish (within the client's timeout) and are
// recorded before it returns, so a graceful restart sends nothing twice;
// after a crash, a claimed delivery is sent again once its lease runs
// out, with the same webhook-id. Several servers may run it on one
// database.
func (s *Server) RunWebhooks(ctx context.Context) {
	client := webhookClient(s.cfg.WebhookAllowPrivate)
	poll := s.cfg.WebhookPoll
	if poll <= 0 {
		poll = time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for n := webhookClaim; n == webhookClaim; { // a full claim: more are due
			n = s.deliverDue(ctx, client)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// deliverDue sends one claim of due deliveries and returns its size.
func (s *Server) deliverDue(ctx context.Context, client *http.Client) int {
	if ctx.Err() != nil {
		return 0
	}
	due, err := s.store.ClaimDeliveries(ctx, time.Now(), webhookLease, webhookClaim)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("webhook deliveries not claimed", "err", err)
		}
		return 0
	}
	base := s.cfg.WebhookBackoff
	if base <= 0 {
		base = 5 * time.Second
	}
	ua := "Brandlift-Webhooks/" + s.cfg.Version
	sem := make(chan struct{}, webhookParallel)
	var wg sync.WaitGroup
	for _, d := range due {
		sem <- struct{}{}
		wg.Add(1)
		go func(d store.DueDelivery) {
			defer func() { <-sem; wg.Done() }()
			// Not ctx: a shutdown lets the POST finish and be recorded.
			a := attempt(context.WithoutCancel(ctx), client, d, ua)
			o := store.AttemptOutcome{Attempt: a, Delivered: a.Error == ""}
			if !o.Delivered {
				o.RetryAt = nextTry(d.CreatedAt, a.N, base, time.Now())
			}
			if err := s.store.RecordAttempt(context.WithoutCancel(ctx), d, o); err != nil {
				s.log.Warn("webhook attempt not recorded", "delivery", d.ID, "err", err)
				return
			}
			level := s.log.Info
			if !o.Delivered {
				level = s.log.Warn
			}
			level("webhook attempt", "delivery", d.ID, "webhook", d.WebhookID, "event", d.Event, "attempt", a.N,
				"status", a.StatusCode, "error", a.Error, "retry_at", o.RetryAt)
		}(d)
	}
	wg.Wait()
	return len(due)
}
