package store

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// chunkRespondents bounds the respondents an import folds in memory before
// it writes them: about 30 MB, and most logs fit in one chunk, which then
// needs no second pass to count distinct respondents.
var chunkRespondents = 1 << 18 // a variable so that a test can cross it with a small file

// stagedExposure is one respondent's impressions within a chunk of a log.
type stagedExposure struct {
	rid         string
	respondent  string // the keyed hash, filled in when the chunk is written
	count       int64
	first, last time.Time
	creative    string
	placement   string
	creativeAt  time.Time // time of the row that gave the label
	placementAt time.Time
}

// impressionChunk folds rows by rid: an ad server's log repeats each
// respondent once per impression, so the database receives a fraction
// of the rows and hashes each rid once per chunk.
type impressionChunk struct {
	now    time.Time // the time of rows without one
	at     map[string]int32
	rows   []stagedExposure
	labels map[string]string // interned: a log names few creatives and placements
}

func newImpressionChunk(now time.Time) *impressionChunk {
	return &impressionChunk{now: now, at: map[string]int32{}, labels: map[string]string{}}
}

func (c *impressionChunk) full() bool { return len(c.rows) >= chunkRespondents }

// add folds one row: counts add up, first and last seen widen, and a
// label is that of the latest row naming one (on equal times, the later
// row of the file).
func (c *impressionChunk) add(r survey.ImpressionLogRow) {
	t := r.Time
	if t.IsZero() {
		t = c.now
	}
	cr, pl := label(r.Creative), label(r.Placement)
	i, ok := c.at[r.RID]
	if !ok {
		cr, pl = c.intern(cr), c.intern(pl)
		rid := strings.Clone(r.RID) // the reader's text may share memory with its whole record
		c.at[rid] = int32(len(c.rows))
		c.rows = append(c.rows, stagedExposure{rid: rid, count: r.Count, first: t, last: t,
			creative: cr, placement: pl, creativeAt: t, placementAt: t})
		return
	}
	e := &c.rows[i]
	e.count += r.Count
	if t.Before(e.first) {
		e.first = t
	}
	if t.After(e.last) {
		e.last = t
	}
	if cr != "" && (e.creative == "" || !t.Before(e.creativeAt)) {
		if cr != e.creative {
			cr = c.intern(cr)
		}
		e.creative, e.creativeAt = cr, t
	}
	if pl != "" && (e.placement == "" || !t.Before(e.placementAt)) {
		if pl != e.placement {
			pl = c.intern(pl)
		}
		e.placement, e.placementAt = pl, t
	}
}

// maxInternedLabels bounds the interned labels of a chunk; past it,
// labels are copied one by one.
const maxInternedLabels = 10000

// intern returns a copy of s that does not pin the reader's record.
func (c *impressionChunk) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := c.labels[s]; ok {
		return v
	}
	v := strings.Clone(s)
	if len(c.labels) < maxInternedLabels {
		c.labels[v] = v
	}
	return v
}

// hashed fills in the respondent hashes and, when sortRows is set, sorts
// the rows by them: the merge then walks the exposures index in order,
// several times faster than in random order, and locks rows in the order
// of the pixel's batches, which cannot deadlock with it. The sort moves
// indices, not the wide rows. PostgreSQL's merge sorts the staged rows
// itself (ORDER BY respondent), on its own core, so its sink skips this.
func (c *impressionChunk) hashed(st *survey.Study, sortRows bool) []stagedExposure {
	perm := make([]int32, len(c.rows))
	// The HMACs are most of this; each core takes a share of the rows.
	workers := max(1, min(runtime.GOMAXPROCS(0), len(c.rows)/4096))
	var wg sync.WaitGroup
	per := (len(c.rows) + workers - 1) / workers
	for from := 0; from < len(c.rows); from += per {
		to := min(from+per, len(c.rows))
		// A contiguous share each: interleaved rows would have the
		// workers write the same cache lines.
		wg.Go(func() {
			hash := st.RespondentHasher()
			for i := from; i < to; i++ {
				c.rows[i].respondent = hash(c.rows[i].rid)
				perm[i] = int32(i)
			}
		})
	}
	wg.Wait()
	if !sortRows {
		return c.rows
	}
	slices.SortFunc(perm, func(a, b int32) int { return strings.Compare(c.rows[a].respondent, c.rows[b].respondent) })
	sorted := make([]stagedExposure, len(c.rows))
	for i, j := range perm {
		sorted[i] = c.rows[j]
	}
	copy(c.rows, sorted)
	return c.rows
}

func (c *impressionChunk) reset() {
	clear(c.at)
	c.rows = c.rows[:0]
}
