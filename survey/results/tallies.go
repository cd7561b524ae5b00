package survey

import (
	"context"
	"fmt"
)

// tallyData is a study's running counts, aggregated in SQL by cell, group,
// question and slot: the sufficient statistics of every number in the
// report. Its size grows with the number of distinct cells, never with the
// number of responses.
type tallyData struct {
	cells []cellRow
	// byQuestion lists the counts of each question key ("" for responses).
	byQuestion map[string][]tallyEntry
}

type tallyEntry struct {
	cell int // index into cells
	grp  Group
	slot string
	n    int64
}

// loadTallies reads the study's counts in two queries.
func (s *Store) loadTallies(ctx context.Context, studyID string, includeFlagged bool) (*tallyData, error) {
	db := s.db.WithContext(ctx)
	var cells []cellRow
	if err := db.Where("study_id = ?", studyID).Order("id").Find(&cells).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read cells: %w", err)
	}
	index := make(map[string]int, len(cells))
	for i, c := range cells {
		index[c.ID] = i
	}
	q := db.Model(&tallyRow{}).Select("cell_id, grp, question_key, slot, SUM(n) AS n").Where("study_id = ?", studyID)
	if !includeFlagged {
		q = q.Where("flagged = ?", false)
	}
	rows, err := q.Group("cell_id, grp, question_key, slot").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to read tallies: %w", err)
	}
	defer rows.Close()
	d := &tallyData{cells: cells, byQuestion: map[string][]tallyEntry{}}
	for rows.Next() {
		var cellID, grp, question, slot string
		var n int64
		if err := rows.Scan(&cellID, &grp, &question, &slot, &n); err != nil {
			return nil, fmt.Errorf("store: unable to scan tallies: %w", err)
		}
		i, ok := index[cellID]
		if !ok || n == 0 {
			continue
		}
		d.byQuestion[question] = append(d.byQuestion[question], tallyEntry{cell: i, grp: Group(grp), slot: slot, n: n})
	}
	return d, rows.Err()
}

// groupCounts reads responses per group and flag set.
func (s *Store) groupCounts(ctx context.Context, studyID string) ([]groupCountRow, error) {
	var rows []groupCountRow
	err := s.db.WithContext(ctx).Where("study_id = ? AND n > 0", studyID).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read group counts: %w", err)
	}
	return rows, nil
}

// view is a selection of cells with optional weights: the whole study, one
// segment level, or the weighted study.
type view struct {
	data *tallyData
	// include reports whether a cell counts for a group; nil includes all.
	include func(cell int, g Group) bool
	// weight is the weight of each respondent in a cell and group; nil is 1.
	weight func(cell int, g Group) float64
}

func (v *view) counts(e tallyEntry) bool {
	return v.include == nil || v.include(e.cell, e.grp)
}

// sum counts the entries of a question, group and slot set.
func (v *view) sum(question string, g Group, slots func(string) bool) int64 {
	var n int64
	for _, e := range v.data.byQuestion[question] {
		if e.grp == g && slots(e.slot) && v.counts(e) {
			n += e.n
		}
	}
	return n
}

// perCell returns, for one group, each included cell's count of answered
// and of matching slots, with its weight: the input of weighted estimates.
func (v *view) perCell(question string, g Group, slots func(string) bool) (counts, hits []int64, weights []float64) {
	idx := map[int]int{}
	for _, e := range v.data.byQuestion[question] {
		if e.grp != g || !v.counts(e) {
			continue
		}
		answered, hit := e.slot == SlotAnswered, slots(e.slot)
		if !answered && !hit {
			continue
		}
		i, ok := idx[e.cell]
		if !ok {
			i = len(counts)
			idx[e.cell] = i
			counts, hits = append(counts, 0), append(hits, 0)
			w := 1.0
			if v.weight != nil {
				w = v.weight(e.cell, g)
			}
			weights = append(weights, w)
		}
		if answered {
			counts[i] += e.n
		}
		if hit {
			hits[i] += e.n
		}
	}
	return counts, hits, weights
}

// slotCounts returns the weighted count of each slot of a question for a
// group, scaled so that the total equals the group's effective sample size
// (Kish): weighted shares with an honest n. Unweighted views return the
// plain counts.
func (v *view) slotCounts(question string, g Group) (map[string]float64, int64) {
	raw := map[string]float64{}
	var answered int64
	var wsum, w2sum float64
	for _, e := range v.data.byQuestion[question] {
		if e.grp != g || !v.counts(e) {
			continue
		}
		w := 1.0
		if v.weight != nil {
			w = v.weight(e.cell, g)
		}
		if e.slot == SlotAnswered {
			answered += e.n
			wsum += w * float64(e.n)
			w2sum += w * w * float64(e.n)
			continue
		}
		raw[e.slot] += w * float64(e.n)
	}
	if v.weight != nil && wsum > 0 {
		neff := wsum * wsum / w2sum
		for k := range raw {
			raw[k] *= neff / wsum
		}
	}
	return raw, answered
}

func isSlot(keys ...string) func(string) bool {
	return func(s string) bool {
		for _, k := range keys {
			if s == k {
				return true
			}
		}
		return false
	}
}
