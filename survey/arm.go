package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
	"time"
)

// An arm is what the store keeps as a response's group: the group, the
// creative cell of an exposed respondent in a multi-cell study, and the
// wave of a wave series, written
//
//	[wave "/"] group [":" cell]
//
// for example "exposed", "exposed:video_a" or "post/control". A study
// without cells and waves stores plain groups, as before, so every count
// of it reads the same; a multi-cell or wave study's counts, quotas and
// daily tallies are kept per arm with no change to the schema.

// Arm builds the stored group of a respondent.
func Arm(wave string, g Group, cell string) Group {
	s := string(g)
	if cell != "" {
		s += ":" + cell
	}
	if wave != "" {
		s = wave + "/" + s
	}
	return Group(s)
}

// SplitArm takes a stored group apart into wave, group and cell.
func SplitArm(arm Group) (wave string, g Group, cell string) {
	s := string(arm)
	if i := strings.IndexByte(s, '/'); i >= 0 {
		wave, s = s[:i], s[i+1:]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s, cell = s[:i], s[i+1:]
	}
	return wave, Group(s), cell
}

// Base is the arm's group without wave and cell: exposed, control or all.
func (g Group) Base() Group {
	_, base, _ := SplitArm(g)
	return base
}

// ErrWaveClosed means no wave of a wave series takes answers now: the
// token's wave has ended or not started, or no wave's dates contain today.
var ErrWaveClosed = errors.New("the survey's wave is not fielding now")

// HoldoutCell picks an exposed respondent's cell in a holdout study with
// cells, with no storage: the same u as HoldoutGroup, rescaled to the
// exposed part [controlShare, 1) and placed in the cells' cumulative
// shares, in declared order (docs/INTEGRATION.md).
func (st *Study) HoldoutCell(rid string) string {
	if !st.HasCells() {
		return ""
	}
	u := holdoutU(st.keys.assignment, rid)
	if u < st.ControlShare {
		return ""
	}
	x := (u - st.ControlShare) / (1 - st.ControlShare)
	acc := 0.0
	shares := st.CellShares()
	for i, sh := range shares {
		acc += sh
		if x < acc {
			return st.Cells[i].Key
		}
	}
	return st.Cells[len(st.Cells)-1].Key // rounding of shares summing to 1
}

func holdoutU(key []byte, rid string) float64 {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(rid))
	return float64(binary.BigEndian.Uint64(m.Sum(nil)[:8])) / (1 << 64)
}

// TokenCell checks the cell a signed token names for a respondent of the
// given group: a multi-cell study needs one for every exposed respondent,
// and no other study takes one.
func (st *Study) TokenCell(t *Token, g Group) (string, error) {
	switch {
	case t.Cell == "":
		if st.HasCells() && g == GroupExposed && st.Assignment == AssignSignedLink {
			return "", fmt.Errorf("%w: this study compares cells; an exposed respondent's token needs c, one of %s", ErrTokenMalformed, strings.Join(st.cellKeys(), ", "))
		}
		return "", nil
	case !st.HasCells():
		return "", fmt.Errorf("%w: the token names cell %q but the study has no cells", ErrTokenMalformed, t.Cell)
	case st.Assignment != AssignSignedLink:
		return "", fmt.Errorf("%w: in a %s study the server decides the cell; the token must not name one", ErrTokenMalformed, st.Assignment)
	case g != GroupExposed:
		return "", fmt.Errorf("%w: only exposed respondents have a cell, the token's group is %s", ErrTokenMalformed, g)
	case st.Cell(t.Cell) == nil:
		return "", fmt.Errorf("%w: unknown cell %q; the study's cells are %s", ErrTokenMalformed, t.Cell, strings.Join(st.cellKeys(), ", "))
	}
	return t.Cell, nil
}

// WaveFor is the wave a respondent answers in at moment now: the token's
// w when the study runs waves, else the wave whose dates contain now.
// ErrWaveClosed when that wave is outside its dates or no wave is open.
func (st *Study) WaveFor(t *Token, now time.Time) (string, error) {
	if !st.HasWaves() {
		if t.Wave != "" {
			return "", fmt.Errorf("%w: the token names wave %q but the study runs no waves", ErrTokenMalformed, t.Wave)
		}
		return "", nil
	}
	if t.Wave == "" {
		if w := st.WaveAt(now); w != "" {
			return w, nil
		}
		return "", fmt.Errorf("%w: no wave's dates contain %s and the token names none", ErrWaveClosed, now.UTC().Format(time.RFC3339))
	}
	w := st.Wave(t.Wave)
	switch {
	case w == nil:
		return "", fmt.Errorf("%w: unknown wave %q; the study's waves are %s", ErrTokenMalformed, t.Wave, strings.Join(st.waveKeys(), ", "))
	case w.StartsAt != nil && now.Before(*w.StartsAt):
		return "", fmt.Errorf("%w: wave %s starts at %s", ErrWaveClosed, w.Key, w.StartsAt.UTC().Format(time.RFC3339))
	case w.EndsAt != nil && !now.Before(*w.EndsAt):
		return "", fmt.Errorf("%w: wave %s ended at %s", ErrWaveClosed, w.Key, w.EndsAt.UTC().Format(time.RFC3339))
	}
	return w.Key, nil
}

func (s *Spec) cellKeys() []string {
	out := make([]string, len(s.Cells))
	for i, c := range s.Cells {
		out[i] = c.Key
	}
	return out
}

func (s *Spec) waveKeys() []string {
	out := make([]string, len(s.Waves))
	for i, w := range s.Waves {
		out[i] = w.Key
	}
	return out
}

// Arms lists every arm a study's responses can be stored under, control
// first: the groups, one exposed arm per cell, each per wave.
func (s *Spec) Arms() []Group {
	if !s.HasGroups() {
		return []Group{GroupAll}
	}
	var exposed []Group
	if s.HasCells() {
		for _, c := range s.Cells {
			exposed = append(exposed, Arm("", GroupExposed, c.Key))
		}
	} else {
		exposed = []Group{GroupExposed}
	}
	base := append([]Group{GroupControl}, exposed...)
	if !s.HasWaves() {
		return base
	}
	var out []Group
	for _, w := range s.Waves {
		for _, g := range base {
			out = append(out, Arm(w.Key, g, ""))
		}
	}
	return out
}
