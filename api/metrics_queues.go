package api

import (
	"context"
	"time"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/prometheus/client_golang/prometheus"
)

// queueTimeout bounds the counts of one scrape, so that a slow database
// makes the gauges go missing rather than the scrape time out.
const queueTimeout = 2 * time.Second

// queueCollector exports the outboxes' backlogs, counted at scrape time:
// the queues are rows shared by every replica, so a count in this
// process's memory would be wrong on all but one of them.
type queueCollector struct {
	st                      *store.Store
	invitations, deliveries *prometheus.Desc
}

func newQueueCollector(st *store.Store) *queueCollector {
	return &queueCollector{st: st,
		invitations: prometheus.NewDesc("brandlift_email_invitations_pending",
			"Invitation emails queued and not yet sent, skipped or failed (all studies, all replicas).", nil, nil),
		deliveries: prometheus.NewDesc("brandlift_webhook_deliveries_pending",
			"Webhook deliveries not yet delivered or given up (all studies, all replicas).", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (q *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- q.invitations
	ch <- q.deliveries
}

// Collect implements prometheus.Collector with one COUNT per queue, each
// on a partial index of the queue's pending rows.
func (q *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), queueTimeout)
	defer cancel()
	q.gauge(ctx, ch, q.invitations, q.st.PendingInvitations)
	q.gauge(ctx, ch, q.deliveries, q.st.PendingDeliveries)
}

func (q *queueCollector) gauge(ctx context.Context, ch chan<- prometheus.Metric, d *prometheus.Desc, count func(context.Context) (int64, error)) {
	n, err := count(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(d, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, float64(n))
}
