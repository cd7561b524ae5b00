package api

import (
	"github.com/brandlift/brandlift/survey/store"
	"github.com/prometheus/client_golang/prometheus"
)

// Writer labels of the batch metrics: the group commit of submissions
// and the exposure pixel's batches of impressions.
const (
	writerSubmissions = "submissions"
	writerImpressions = "impressions"
)

// batchMetrics implements store.Observer: one family per measure, with a
// writer label, so that both batch writers read alike on a dashboard.
type batchMetrics struct {
	size, wait, took *prometheus.HistogramVec
	batches, failed  *prometheus.CounterVec
	// The writers' children, resolved once: the observer runs once per
	// batch on the writer's goroutine and must not look labels up.
	submissions, impressions batchChildren
}

type batchChildren struct {
	size, wait, took prometheus.Observer
	batches, failed  prometheus.Counter
}

// secondsBuckets spans a commit on a fast local disk (0.5 ms) to one that
// waits for a failing-over database (10 s).
var secondsBuckets = []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

func newBatchMetrics(reg prometheus.Registerer) *batchMetrics {
	label := []string{"writer"}
	b := &batchMetrics{
		size: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "brandlift_batch_size",
			Help:    "Members (submissions or impressions) per committed batch.",
			Buckets: prometheus.ExponentialBuckets(1, 2, 11)}, label), // 1 to 1024, the pixel's cap
		wait: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "brandlift_batch_wait_seconds",
			Help:    "Time the oldest member of a batch waited, from being handed to the writer to the start of its transaction.",
			Buckets: secondsBuckets}, label),
		took: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "brandlift_batch_commit_seconds",
			Help:    "Time spent committing a batch, retries and splits included.",
			Buckets: secondsBuckets}, label),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "brandlift_batches_total",
			Help: "Batches the writer committed or failed."}, label),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "brandlift_batch_failures_total",
			Help: "Batches in which some member was answered with a database error instead of being committed."}, label),
	}
	reg.MustRegister(b.size, b.wait, b.took, b.batches, b.failed)
	b.submissions = b.children(writerSubmissions)
	b.impressions = b.children(writerImpressions)
	return b
}

// children resolves the families' children of one writer; resolving them
// also makes both writers' series exist at zero before their first batch.
func (b *batchMetrics) children(writer string) batchChildren {
	return batchChildren{size: b.size.WithLabelValues(writer), wait: b.wait.WithLabelValues(writer),
		took: b.took.WithLabelValues(writer), batches: b.batches.WithLabelValues(writer),
		failed: b.failed.WithLabelValues(writer)}
}

func (c *batchChildren) observe(x store.Batch) {
	c.size.Observe(float64(x.Size))
	c.wait.Observe(x.Wait.Seconds())
	c.took.Observe(x.Took.Seconds())
	c.batches.Inc()
	if x.Failed {
		c.failed.Inc()
	}
}

// ObserveSubmitBatch records a group-commit batch of submissions.
func (b *batchMetrics) ObserveSubmitBatch(x store.Batch) { b.submissions.observe(x) }

// ObserveImpressionBatch records a batch of pixel impressions.
func (b *batchMetrics) ObserveImpressionBatch(x store.Batch) { b.impressions.observe(x) }
