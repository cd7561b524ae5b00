package store

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// The speeder threshold is the median completion time of the study's
// completes so far (survey.MedianFromHistogram over the durations table).
// Reading that table on every submission would add a query to the hottest
// path; caching the median for a few seconds, as before, let a new study's
// first speeders through. So each replica keeps every active study's
// histogram in memory:
//
//   - a submission of a study not in memory reads its histogram once;
//   - the committer adds each batch's durations right after the commit and
//     before any member of the batch is answered (durationsCommitted), so
//     a response whose 2xx has been sent counts for every later submission
//     on this replica;
//   - the committer re-reads the histograms of a batch's studies whose copy
//     is older than durationsRefresh, so that replicas sharing one database
//     converge on each other's completes (and on erasures) within that
//     time. Reading there is exact: the committer is this replica's only
//     writer, so no commit of ours is in flight while it reads, and the
//     read holds every commit of ours once and only once. A copy read by a
//     submission may have raced with a commit (counted twice or not at
//     all), so it is marked inexact and re-read at the study's next commit.
//
// The cost is one small query per study per durationsRefresh per replica,
// however many responses arrive (a replica that rarely commits for a study
// reads it on a submission instead, once its copy is twice that old).
const durationsRefresh = 10 * time.Second

// maxHistograms bounds the studies kept in memory; past it, all are
// dropped and read again on use.
const maxHistograms = 10000

type medianCache struct {
	mu sync.Mutex
	m  map[string]*durationHistogram
	// refresh overrides durationsRefresh when positive (tests).
	refresh time.Duration
}

// durationHistogram is one study's completes by whole seconds taken.
type durationHistogram struct {
	buckets []survey.DurationCount // by Seconds, ascending
	median  int64                  // ms; 0 below survey.SpeederMinCompletes
	readAt  time.Time              // when last read from the database
	exact   bool                   // read by the committer (see above)
	loading bool                   // a submission is reading it again
}

func (c *medianCache) every() time.Duration {
	if c.refresh > 0 {
		return c.refresh
	}
	return durationsRefresh
}

// add counts n more completes that took the given whole seconds.
func (h *durationHistogram) add(seconds int, n int64) {
	i := sort.Search(len(h.buckets), func(i int) bool { return h.buckets[i].Seconds >= seconds })
	if i == len(h.buckets) || h.buckets[i].Seconds != seconds {
		h.buckets = append(h.buckets, survey.DurationCount{})
		copy(h.buckets[i+1:], h.buckets[i:])
		h.buckets[i] = survey.DurationCount{Seconds: seconds}
	}
	h.buckets[i].N += n
}

// medianDuration is the study's running median completion time in
// milliseconds, or 0 before SpeederMinCompletes.
func (s *Store) medianDuration(ctx context.Context, studyID string) (int64, error) {
	c := &s.medians
	c.mu.Lock()
	h := c.m[studyID]
	// The committer keeps a busy study fresh; a submission reads again
	// only on first use, or on a replica that commits for the study so
	// rarely that its copy has grown twice as old, and then only one
	// submission at a time does.
	if h != nil && (h.loading || time.Since(h.readAt) < 2*c.every()) {
		ms := h.median
		c.mu.Unlock()
		return ms, nil
	}
	if h != nil {
		h.loading = true
	}
	c.mu.Unlock()
	read, err := s.readDurations(ctx, []string{studyID})
	c.mu.Lock()
	defer c.mu.Unlock()
	if h != nil {
		h.loading = false
	}
	if err != nil {
		return 0, err
	}
	if cur := c.m[studyID]; cur != nil && cur != h {
		return cur.median, nil // read meanwhile, perhaps exactly by the committer
	}
	return c.put(studyID, read[studyID], false).median, nil
}

// durationsCommitted is the committer's hook: it runs in the committer's
// goroutine after a batch committed and before its members are answered.
// It adds the batch's new durations to the histograms in memory, then
// re-reads those that are due, all in one query.
func (s *Store) durationsCommitted(batch []*pending, outcomes []outcome) {
	c := &s.medians
	var due []string
	c.mu.Lock()
	touched := map[*durationHistogram]bool{}
	for i, p := range batch {
		h := c.m[p.row.StudyID]
		if h == nil {
			continue // not in memory: its first read will see this commit
		}
		if _, ok := touched[h]; !ok {
			touched[h] = false
			if !h.exact || time.Since(h.readAt) >= c.every() {
				due = append(due, p.row.StudyID)
			}
		}
		if o := outcomes[i]; o.err == nil && !o.result.Duplicate && p.row.DurationMs != nil {
			h.add(durationSeconds(*p.row.DurationMs), 1)
			touched[h] = true
		}
	}
	for h, changed := range touched {
		if changed { // once per study and batch, not per response
			h.median = survey.MedianFromHistogram(h.buckets)
		}
	}
	c.mu.Unlock()
	if len(due) == 0 {
		return
	}
	// The batch's members wait for this read; a database that stops
	// answering must not hold them for long. On failure the copies stay
	// as they are and are due again at the next commit.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	read, err := s.readDurations(ctx, due)
	if err != nil {
		return
	}
	c.mu.Lock()
	for _, id := range due {
		c.put(id, read[id], true)
	}
	c.mu.Unlock()
}

// put replaces a study's histogram with one read from the database; the
// caller holds c.mu.
func (c *medianCache) put(studyID string, buckets []survey.DurationCount, exact bool) *durationHistogram {
	if c.m == nil || len(c.m) >= maxHistograms {
		c.m = map[string]*durationHistogram{}
	}
	h := &durationHistogram{buckets: buckets, readAt: time.Now(), exact: exact}
	h.median = survey.MedianFromHistogram(h.buckets) // sorts the buckets too
	c.m[studyID] = h
	return h
}

// readDurations reads the durations histograms of some studies.
func (s *Store) readDurations(ctx context.Context, studyIDs []string) (map[string][]survey.DurationCount, error) {
	var rows []durationRow
	if err := s.db.WithContext(ctx).Where("study_id IN ?", studyIDs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read durations: %w", err)
	}
	out := make(map[string][]survey.DurationCount, len(studyIDs))
	for _, r := range rows {
		out[r.StudyID] = append(out[r.StudyID], survey.DurationCount{Seconds: r.Seconds, N: r.N})
	}
	return out, nil
}
