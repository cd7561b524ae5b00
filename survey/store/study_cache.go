package store

import (
	"context"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// studyCacheTTL bounds how stale a respondent-facing read of a study may
// be. Submissions re-check the status inside their transaction, so the
// cache never lets an answer into a closed study.
const studyCacheTTL = 2 * time.Second

type studyCache struct {
	mu      sync.Mutex
	entries map[string]cachedStudy
}

type cachedStudy struct {
	study *survey.Study
	at    time.Time
}

// PublicStudy returns the study behind a respondent URL, from a short-lived
// cache: the survey page and the pixel are the hottest reads there are.
func (s *Store) PublicStudy(ctx context.Context, publicKey string) (*survey.Study, error) {
	now := time.Now()
	s.cache.mu.Lock()
	e, ok := s.cache.entries[publicKey]
	s.cache.mu.Unlock()
	if ok && now.Sub(e.at) < studyCacheTTL {
		return e.study, nil
	}
	st, err := s.StudyByPublicKey(ctx, publicKey)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if s.cache.entries == nil || len(s.cache.entries) > 10000 {
		s.cache.entries = map[string]cachedStudy{}
	}
	s.cache.entries[publicKey] = cachedStudy{study: st, at: now}
	s.cache.mu.Unlock()
	return st, nil
}

// forget drops a study from the cache after this replica changed it.
func (s *Store) forget(publicKey string) {
	s.cache.mu.Lock()
	delete(s.cache.entries, publicKey)
	s.cache.mu.Unlock()
}
