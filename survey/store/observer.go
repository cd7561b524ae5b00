package store

import (
	"sync/atomic"
	"time"
)

// Batch describes one batch that a writer of the store committed (or
// failed to), for an Observer.
type Batch struct {
	// Size is how many members (submissions, impressions) it held.
	Size int
	// Wait is how long its oldest member waited, from being handed to the
	// writer to the start of the batch's transaction.
	Wait time.Duration
	// Took is the time spent committing it, retries and splits included.
	Took time.Duration
	// Failed says that some member was answered with an error of the
	// database (unavailable, refused) rather than committed. Outcomes
	// decided inside a committed transaction (duplicate, group full,
	// study not live) are not failures.
	Failed bool
}

// Observer is told about the store's batch writers, so that a caller can
// export metrics without this package knowing of any metrics library.
// Its methods run on the writers' goroutines, once per batch: they must
// be quick and must not block.
type Observer interface {
	// ObserveSubmitBatch is called after every group-commit batch of
	// submissions (see committer.go).
	ObserveSubmitBatch(Batch)
	// ObserveImpressionBatch is called after every batch of exposure
	// pixel impressions. The pixel's batch writer calls it through
	// s.observer().ObserveImpressionBatch(Batch{...}).
	ObserveImpressionBatch(Batch)
}

// SetObserver makes o the store's observer; nil removes it. It may be
// called while the writers run.
func (s *Store) SetObserver(o Observer) {
	if o == nil {
		o = noObserver{}
	}
	s.obs.Store(&observerBox{o})
}

// observer is the store's observer, a no-op when none is set, so that the
// writers call it without checking.
func (s *Store) observer() Observer {
	if b := s.obs.Load(); b != nil {
		return b.Observer
	}
	return noObserver{}
}

// observerSlot holds the observer; a pointer to a box, because
// atomic.Pointer cannot hold an interface and the writers read it on
// every batch without a lock.
type observerSlot = atomic.Pointer[observerBox]

type observerBox struct{ Observer }

// noObserver observes nothing.
type noObserver struct{}

func (noObserver) ObserveSubmitBatch(Batch)     {}
func (noObserver) ObserveImpressionBatch(Batch) {}
