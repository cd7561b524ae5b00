package store

// AllModels exposes the model list to the external tests.
var AllModels = allModels

// ExpireMedians forgets every cached running median.
func (s *Store) ExpireMedians() {
	s.medians.mu.Lock()
	s.medians.m = nil
	s.medians.mu.Unlock()
}

// ForgetStudy drops a study from the respondent-facing cache.
func (s *Store) ForgetStudy(publicKey string) { s.forget(publicKey) }
