package store

// AllModels exposes the model list to the external tests.
var AllModels = allModels

// ExpireMedians forgets every cached running median.
func (s *Store) ExpireMedians() {
	s.medians.mu.Lock()
	s.medians.m = nil
	s.medians.mu.Unlock()
}
