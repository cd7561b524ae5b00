package store

import "time"

// DurationsRefresh exposes how often the committer re-reads a histogram.
const DurationsRefresh = durationsRefresh

// AgeDurations makes every duration histogram in memory look read d ago,
// as if that much time had passed since.
func (s *Store) AgeDurations(d time.Duration) {
	s.medians.mu.Lock()
	defer s.medians.mu.Unlock()
	for _, h := range s.medians.m {
		h.readAt = h.readAt.Add(-d)
	}
}
