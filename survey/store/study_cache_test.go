package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
	"gorm.io/gorm"
)

// TestPublicStudyLoadsOnce: many requests that find the study missing
// from the cache at once (a cold start, or the TTL ending under load)
// share one read of it instead of each reading it.
func TestPublicStudyLoadsOnce(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		s.ForgetStudy(st.PublicKey)
		var loads atomic.Int64
		if err := s.DB().Callback().Query().Before("gorm:query").Register("test:count_study_loads", func(db *gorm.DB) {
			if db.Statement.Table == "studies" {
				loads.Add(1)
			}
		}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		var failed atomic.Int64
		for range 64 {
			wg.Go(func() {
				got, err := s.PublicStudy(context.Background(), st.PublicKey)
				if err != nil || got.ID != st.ID {
					failed.Add(1)
				}
			})
		}
		wg.Wait()
		if failed.Load() > 0 {
			t.Fatalf("%d of 64 reads failed", failed.Load())
		}
		if n := loads.Load(); n != 1 {
			t.Errorf("64 concurrent reads of an uncached study read it %d times, want once", n)
		}
	})
}
