package store

import (
	"context"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"
	"golang.org/x/sync/singleflight"
)

// studyCacheTTL bounds how stale a respondent-facing read of a study may
// be. Submissions re-check the status inside their transaction, so the
// cache never lets an answer into a closed study.
const studyCacheTTL = 2 * time.Second

type studyCache struct {
	mu      sync.Mutex
	entries map[string]cachedStudy
	// loads makes the requests that find an entry missing or expired
	// share one read of it: when the TTL ends under load, hundreds of
	// requests would otherwise each read the study (three queries) at
	// the same moment.
	loads singleflight.Group
}

// studyLoadTimeout bounds a shared read of a study: it does not end with
// the request that started it, since others wait on it too.
const studyLoadTimeout = 10 * time.Second

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
	ch := s.cache.loads.DoChan(publicKey, func() (any, error) {
		loadCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), studyLoadTimeout)
		defer cancel()
		return s.StudyByPublicKey(loadCtx, publicKey)
	})
	var res singleflight.Result
	select {
	case res = <-ch:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if res.Err != nil {
		return nil, res.Err
	}
	st := res.Val.(*survey.Study)
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
