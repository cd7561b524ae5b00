package results

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/brandlift/brandlift/survey"

	"github.com/brandlift/brandlift/stats"
)

// rake weights the view: control is raked to the exposed group's margins
// on the study's weighting attributes, or both groups (or the one nps
// population) to the target margins stored on the study. It sets v.weight
// and describes the result.
func rake(st *survey.Study, v *view) (*WeightInfo, error) {
	w := st.Weighting
	dims := w.Attributes
	info := &WeightInfo{Method: "rake", Attributes: dims, Target: "exposed", Converged: true, EffectiveN: map[survey.Group]float64{}}
	useMargins := len(w.Margins) == len(dims)
	if useMargins {
		info.Target = "margins"
	}
	// Levels per dimension: those of the margins, or those observed.
	levelIndex := make([]map[string]int, len(dims))
	for d, dim := range dims {
		levelIndex[d] = map[string]int{}
		var names []string
		if useMargins {
			for l := range w.Margins[dim] {
				names = append(names, l)
			}
		} else {
			names, _ = crossedLevels(v.data, []string{dim})
		}
		sort.Strings(names)
		for i, l := range names {
			levelIndex[d][l] = i
		}
	}
	responses := v.data.byQuestion[""]
	cellLevels := func(cell int) ([]int, bool) {
		out := make([]int, len(dims))
		for d, dim := range dims {
			i, ok := levelIndex[d][levelOf(&v.data.cells[cell], dim)]
			if !ok {
				return nil, false
			}
			out[d] = i
		}
		return out, true
	}
	var targets [][]float64
	var notes []string
	if useMargins {
		for d, dim := range dims {
			t := make([]float64, len(levelIndex[d]))
			for l, i := range levelIndex[d] {
				t[i] = w.Margins[dim][l]
			}
			targets = append(targets, t)
		}
	} else {
		targets = exposedMargins(responses, levelIndex, cellLevels)
		notes = append(notes, dropUnmatched(targets, responses, dims, levelIndex, cellLevels)...)
	}
	// Shares must sum to exactly 1; stored margins are accepted to 0.001.
	for d := range targets {
		total := 0.0
		for _, share := range targets[d] {
			total += share
		}
		if total <= 0 {
			info.Converged = false
			info.Notes = "nothing to rake to: no exposed respondents with " + dims[d] + "; the report is unweighted"
			return info, nil
		}
		for i := range targets[d] {
			targets[d][i] /= total
		}
	}
	raked := []survey.Group{survey.GroupControl}
	switch {
	case !st.HasGroups():
		raked = []survey.Group{survey.GroupAll}
	case useMargins:
		raked = []survey.Group{survey.GroupExposed, survey.GroupControl}
	}
	weights := map[survey.Group]map[int]float64{}
	for _, g := range raked {
		cells, members := rakingCells(responses, g, cellLevels)
		if len(cells) == 0 {
			continue
		}
		res := stats.Rake(cells, targets, nil)
		weights[g] = map[int]float64{}
		for i, cs := range members {
			for _, c := range cs {
				weights[g][c] = res.Weights[i]
			}
		}
		info.Converged = info.Converged && res.Converged
		info.Iterations = max(info.Iterations, res.Iterations)
		info.MaxWeight = max(info.MaxWeight, res.MaxWeight)
		info.Trimmed += res.Trimmed
		info.EffectiveN[g] = res.EffectiveN
		if res.Reason != "" {
			notes = append(notes, string(g)+": "+res.Reason)
		}
	}
	if !useMargins && st.HasGroups() {
		info.EffectiveN[survey.GroupExposed] = float64(v.sum("", survey.GroupExposed, isSlot("")))
	}
	v.weight = func(cell int, g survey.Group) float64 {
		if ws, ok := weights[g]; ok {
			return ws[cell] // 0 for cells outside the margins: left out
		}
		return 1
	}
	if outside := outsideMargins(responses, raked, cellLevels); outside > 0 {
		notes = append(notes, fmt.Sprintf("%d responses have a level outside the target margins and get weight 0", outside))
	}
	info.Notes = strings.Join(notes, "; ")
	return info, nil
}

// exposedMargins returns the exposed group's share of each level.
func exposedMargins(responses []tallyEntry, levelIndex []map[string]int, cellLevels func(int) ([]int, bool)) [][]float64 {
	targets := make([][]float64, len(levelIndex))
	for d := range targets {
		targets[d] = make([]float64, len(levelIndex[d]))
	}
	var total float64
	for _, e := range responses {
		if e.grp != survey.GroupExposed {
			continue
		}
		lv, ok := cellLevels(e.cell)
		if !ok {
			continue
		}
		for d, i := range lv {
			targets[d][i] += float64(e.n)
		}
		total += float64(e.n)
	}
	for d := range targets {
		for i := range targets[d] {
			if total > 0 {
				targets[d][i] /= total
			}
		}
	}
	return targets
}

// dropUnmatched removes from the targets the levels that no control
// respondent has (a handful of exposed respondents without a gender, say):
// no weighting of control can reach them, and leaving them in would stop
// the raking altogether. The remaining shares are scaled back to 1.
func dropUnmatched(targets [][]float64, responses []tallyEntry, dims []string, levelIndex []map[string]int,
	cellLevels func(int) ([]int, bool)) []string {
	have := make([][]bool, len(targets))
	for d := range targets {
		have[d] = make([]bool, len(targets[d]))
	}
	for _, e := range responses {
		if e.grp != survey.GroupControl {
			continue
		}
		if lv, ok := cellLevels(e.cell); ok {
			for d, i := range lv {
				have[d][i] = true
			}
		}
	}
	var notes []string
	for d := range targets {
		kept := 0.0
		for i, share := range targets[d] {
			if share > 0 && !have[d][i] {
				notes = append(notes, fmt.Sprintf("%s level %q (%.2f%% of exposed) has no control respondents and is left out of the targets",
					dims[d], levelName(levelIndex[d], i), 100*share))
				targets[d][i] = 0
			}
			kept += targets[d][i]
		}
		for i := range targets[d] {
			if kept > 0 {
				targets[d][i] /= kept
			}
		}
	}
	return notes
}

func levelName(index map[string]int, i int) string {
	for name, j := range index {
		if j == i {
			return name
		}
	}
	return ""
}

// rakingCells groups a group's cells by their levels on the weighting
// dimensions: raking sees one cell per combination, with the DB cells that
// fall in it.
func rakingCells(responses []tallyEntry, g survey.Group, cellLevels func(int) ([]int, bool)) ([]stats.Cell, [][]int) {
	index := map[string]int{}
	var cells []stats.Cell
	var members [][]int
	for _, e := range responses {
		if e.grp != g {
			continue
		}
		lv, ok := cellLevels(e.cell)
		if !ok {
			continue
		}
		key := fmt.Sprint(lv)
		i, seen := index[key]
		if !seen {
			i = len(cells)
			index[key] = i
			cells = append(cells, stats.Cell{Levels: lv})
			members = append(members, nil)
		}
		cells[i].Count += e.n
		members[i] = append(members[i], e.cell)
	}
	return cells, members
}

func outsideMargins(responses []tallyEntry, raked []survey.Group, cellLevels func(int) ([]int, bool)) int64 {
	var n int64
	for _, e := range responses {
		if !slices.Contains(raked, e.grp) {
			continue
		}
		if _, ok := cellLevels(e.cell); !ok {
			n += e.n
		}
	}
	return n
}

// CellWeights rakes as the report does and returns each cell's weight per
// group, by cell id: the weight column of a weighted export.
func CellWeights(st *survey.Study, data *Tallies) (map[string]map[survey.Group]float64, error) {
	o := Options{Weighting: "rake"}
	if err := o.Validate(st); err != nil {
		return nil, err
	}
	if st.HasCells() || st.HasWaves() {
		// Keyed by base group: the export looks weights up by a row's
		// group, and a wave series is raked over all its waves.
		data = data.regroup(pooled(""))
	}
	v := &view{data: data}
	if _, err := rake(st, v); err != nil {
		return nil, err
	}
	out := map[string]map[survey.Group]float64{}
	for i, c := range data.cells {
		out[c.ID] = map[survey.Group]float64{}
		for _, g := range []survey.Group{survey.GroupExposed, survey.GroupControl, survey.GroupAll} {
			out[c.ID][g] = v.weight(i, g)
		}
	}
	return out, nil
}
