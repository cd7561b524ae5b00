package results

import (
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// Tallies are a study's running counts, aggregated in SQL by cell, group,
// question and slot: the sufficient statistics of every number in the
// report. Its size grows with the number of distinct cells, never with the
// number of responses.
type Tallies struct {
	cells []survey.Cell
	// byQuestion lists the counts of each question key ("" for responses).
	byQuestion map[string][]tallyEntry
}

type tallyEntry struct {
	cell int // index into cells
	grp  survey.Group
	slot string
	n    int64
}

// NewTallies starts the counts of a study whose cells are cells (for the
// trend, one cell per day, its ID the day).
func NewTallies(cells []survey.Cell) *Tallies {
	return &Tallies{cells: cells, byQuestion: map[string][]tallyEntry{}}
}

// Add counts n responses of cell (an index into the cells) and group in a
// question's slot. The question "" with slot "" counts responses.
func (t *Tallies) Add(cell int, g survey.Group, question, slot string, n int64) {
	if n == 0 {
		return
	}
	t.byQuestion[question] = append(t.byQuestion[question], tallyEntry{cell: cell, grp: g, slot: slot, n: n})
}

// Cells lists the counted cells, in the order Add indexes them.
func (t *Tallies) Cells() []survey.Cell { return t.cells }

// view is a selection of cells with optional weights: the whole study, one
// segment level, or the weighted study.
type view struct {
	data *Tallies
	// include reports whether a cell counts for a group; nil includes all.
	include func(cell int, g survey.Group) bool
	// weight is the weight of each respondent in a cell and group; nil is 1.
	weight func(cell int, g survey.Group) float64
}

func (v *view) counts(e tallyEntry) bool {
	return v.include == nil || v.include(e.cell, e.grp)
}

// sum counts the entries of a question, group and slot set.
func (v *view) sum(question string, g survey.Group, slots func(string) bool) int64 {
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
func (v *view) perCell(question string, g survey.Group, slots func(string) bool) (counts, hits []int64, weights []float64) {
	idx := map[int]int{}
	for _, e := range v.data.byQuestion[question] {
		if e.grp != g || !v.counts(e) {
			continue
		}
		answered, hit := e.slot == survey.SlotAnswered, slots(e.slot)
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
func (v *view) slotCounts(question string, g survey.Group) (map[string]float64, int64) {
	raw := map[string]float64{}
	var answered int64
	var wsum float64
	var weights []float64 // of the answered counts, for Kish's n_eff
	var counts []int64
	for _, e := range v.data.byQuestion[question] {
		if e.grp != g || !v.counts(e) {
			continue
		}
		w := 1.0
		if v.weight != nil {
			w = v.weight(e.cell, g)
		}
		if e.slot == survey.SlotAnswered {
			answered += e.n
			wsum += w * float64(e.n)
			weights, counts = append(weights, w), append(counts, e.n)
			continue
		}
		raw[e.slot] += w * float64(e.n)
	}
	if v.weight != nil && wsum > 0 {
		neff := stats.KishEffectiveN(weights, counts)
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
