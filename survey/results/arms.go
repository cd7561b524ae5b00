package results

import (
	"slices"

	"github.com/brandlift/brandlift/survey"
)

// role maps a stored arm (survey.Arm) to the group it plays in one view
// of a multi-cell or wave study: a cell against control, one wave, or all
// cells pooled. "" leaves the arm out.
type role func(arm survey.Group) survey.Group

// regroup returns the counts with every arm replaced by the group it
// plays, dropping the arms the role leaves out. The copy is of the
// aggregated tallies (cells x arms x slots), never of responses.
func (t *Tallies) regroup(r role) *Tallies {
	out := NewTallies(t.cells)
	for q, entries := range t.byQuestion {
		for _, e := range entries {
			if g := r(e.grp); g != "" {
				out.byQuestion[q] = append(out.byQuestion[q], tallyEntry{cell: e.cell, grp: g, slot: e.slot, n: e.n})
			}
		}
	}
	return out
}

// regroupCounts does the same for the group counts.
func regroupCounts(gcs []GroupCount, r role) []GroupCount {
	var out []GroupCount
	for _, gc := range gcs {
		if g := r(gc.Group); g != "" {
			out = append(out, GroupCount{Group: g, Flags: gc.Flags, N: gc.N})
		}
	}
	return out
}

// pooled plays every exposed cell as the exposed group, within one wave
// (all waves when wave is "").
func pooled(wave string) role {
	return func(arm survey.Group) survey.Group {
		w, g, _ := survey.SplitArm(arm)
		if wave != "" && w != wave {
			return ""
		}
		return g
	}
}

// cellAgainstControl plays one cell as exposed and control as control.
func cellAgainstControl(cell string) role {
	return func(arm survey.Group) survey.Group {
		_, g, c := survey.SplitArm(arm)
		switch {
		case g == survey.GroupControl:
			return g
		case g == survey.GroupExposed && c == cell:
			return g
		}
		return ""
	}
}

// wholeWave plays every respondent of one wave as one population (all),
// for comparing waves regardless of group.
func wholeWave(wave string) role {
	return func(arm survey.Group) survey.Group {
		if w, _, _ := survey.SplitArm(arm); w == wave {
			return survey.GroupAll
		}
		return ""
	}
}

// mainWave is the wave the report's headline metrics describe: the latest
// declared wave with a response, or the first when none has any.
func mainWave(st *survey.Study, gcs []GroupCount) string {
	if !st.HasWaves() {
		return ""
	}
	answered := map[string]bool{}
	for _, gc := range gcs {
		w, _, _ := survey.SplitArm(gc.Group)
		answered[w] = answered[w] || gc.N > 0
	}
	for i := len(st.Waves) - 1; i >= 0; i-- {
		if answered[st.Waves[i].Key] {
			return st.Waves[i].Key
		}
	}
	return st.Waves[0].Key
}

// armProgress is each arm's way to the target (quotas count per arm: per
// cell, per wave), control first.
func armProgress(st *survey.Study, gcs []GroupCount) []Progress {
	complete := map[survey.Group]int64{}
	for _, gc := range gcs {
		if gc.Flags == "" {
			complete[gc.Group] += gc.N
		}
	}
	arms := st.Arms() // frozen once live, so every stored arm is listed
	out := make([]Progress, 0, len(arms))
	for _, g := range arms {
		p := Progress{Group: g, Complete: complete[g], Target: st.TargetPerGroup}
		if st.TargetPerGroup > 0 {
			p.Share = float64(p.Complete) / float64(st.TargetPerGroup)
			p.Full = p.Complete >= st.TargetPerGroup
		}
		out = append(out, p)
	}
	return out
}

// designHealth puts a multi-cell or wave study's arms into the health:
// progress per arm (quotas count per cell and per wave) and, for cells,
// the sample-ratio check over control and every cell.
func designHealth(st *survey.Study, h *Health, arms []GroupCount, o Options) {
	if !st.HasCells() && !st.HasWaves() {
		return
	}
	h.Progress = armProgress(st, arms)
	if !st.HasCells() {
		return
	}
	h.SRM = cellSRM(st, arms, o.IncludeFlagged)
	// The pooled groups' check is replaced by the one over every cell.
	h.Notes = slices.DeleteFunc(h.Notes, func(n string) bool { return n == noteSRM })
	if h.SRM.Mismatch {
		h.Notes = append(h.Notes, noteSRM)
	}
}
