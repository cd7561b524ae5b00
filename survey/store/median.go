package store

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// medianTTL is how long a study's running median duration is reused; the
// median of thousands of completes moves slowly, and reading it on every
// submission would cost a query each.
const medianTTL = 5 * time.Second

type medianCache struct {
	mu sync.Mutex
	m  map[string]cachedMedian
}

type cachedMedian struct {
	ms int64
	at time.Time
}

// medianDuration is the study's running median completion time in
// milliseconds, or 0 before SpeederMinCompletes.
func (s *Store) medianDuration(ctx context.Context, studyID string) (int64, error) {
	now := time.Now()
	s.medians.mu.Lock()
	c, ok := s.medians.m[studyID]
	s.medians.mu.Unlock()
	if ok && now.Sub(c.at) < medianTTL {
		return c.ms, nil
	}
	var hist []durationRow
	if err := s.db.WithContext(ctx).Where("study_id = ?", studyID).Find(&hist).Error; err != nil {
		return 0, fmt.Errorf("store: unable to read durations: %w", err)
	}
	h := make([]survey.DurationCount, len(hist))
	for i, r := range hist {
		h[i] = survey.DurationCount{Seconds: r.Seconds, N: r.N}
	}
	ms := survey.MedianFromHistogram(h)
	s.medians.mu.Lock()
	if s.medians.m == nil || len(s.medians.m) > 10000 {
		s.medians.m = map[string]cachedMedian{}
	}
	s.medians.m[studyID] = cachedMedian{ms: ms, at: now}
	s.medians.mu.Unlock()
	return ms, nil
}
