package survey

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// Design limits: how many creative cells and waves a study may declare.
const (
	MinCells       = 2
	MaxCells       = 8
	MaxWaves       = 6
	MaxCreatives   = 50
	MaxCategoryLen = 40
)

// CreativeCell is one exposed arm of a multi-cell brand-lift study: a
// creative (or a plan of creatives) compared with the study's one control
// group. It is not a segment cell (survey.Cell), which is a combination of
// attributes.
type CreativeCell struct {
	Key  string `json:"key"`
	Name Text   `json:"name,omitempty"`
	// Share is the cell's part of the exposed traffic in holdout studies
	// (the shares of all cells sum to 1; equal when none is given). The
	// planned split, and so the sample-ratio check, use it too.
	Share float64 `json:"share,omitempty"`
	// Creatives are the creative labels of the exposure pixel (its creative
	// parameter) that put a respondent in this cell, in exposure studies.
	Creatives []string `json:"creatives,omitempty"`
}

// Wave is one fielding period of a wave series: a "pre" wave before the
// campaign, a "post" wave after it, and optionally more. A respondent's
// wave comes from their token's w field, else from the wave whose dates
// contain the moment they answer.
type Wave struct {
	Key      string     `json:"key"`
	Name     Text       `json:"name,omitempty"`
	StartsAt *time.Time `json:"starts_at,omitempty"`
	EndsAt   *time.Time `json:"ends_at,omitempty"`
}

// Design is the part of Settings that shapes who is compared with whom,
// and how a closed study enters the installation's norms.
type Design struct {
	// Cells are the exposed arms of a multi-cell study (2 to 8), each
	// compared with the one control group.
	Cells []CreativeCell `json:"cells,omitempty"`
	// Waves are the study's fielding periods in order (pre first).
	Waves []Wave `json:"waves,omitempty"`
	// Category tags the study for norms ("fmcg", "auto"...).
	Category string `json:"category,omitempty"`
	// ExcludeFromNorms keeps the study out of the installation's norms.
	ExcludeFromNorms bool `json:"exclude_from_norms,omitempty"`
}

// HasCells reports whether the study compares several exposed cells.
func (s *Spec) HasCells() bool { return len(s.Cells) > 0 }

// HasWaves reports whether the study runs as a wave series.
func (s *Spec) HasWaves() bool { return len(s.Waves) > 0 }

// Cell returns the creative cell with the given key, or nil.
func (s *Spec) Cell(key string) *CreativeCell {
	for i := range s.Cells {
		if s.Cells[i].Key == key {
			return &s.Cells[i]
		}
	}
	return nil
}

// Wave returns the wave with the given key, or nil.
func (s *Spec) Wave(key string) *Wave {
	for i := range s.Waves {
		if s.Waves[i].Key == key {
			return &s.Waves[i]
		}
	}
	return nil
}

// CellShares are the cells' parts of the exposed traffic, in declared
// order: the declared shares, or equal parts when none is declared.
func (s *Spec) CellShares() []float64 {
	out := make([]float64, len(s.Cells))
	declared := false
	for i, c := range s.Cells {
		out[i] = c.Share
		declared = declared || c.Share > 0
	}
	if !declared {
		for i := range out {
			out[i] = 1 / float64(len(out))
		}
	}
	return out
}

// CellForCreative is the cell whose creative labels include label, or "".
func (s *Spec) CellForCreative(label string) string {
	for _, c := range s.Cells {
		if contains(c.Creatives, label) {
			return c.Key
		}
	}
	return ""
}

// WaveAt is the wave whose dates contain t, or "" when none does. Waves
// without dates contain every moment, so a study whose waves all lack
// dates needs the token's w.
func (s *Spec) WaveAt(t time.Time) string {
	for _, w := range s.Waves {
		if w.StartsAt == nil && w.EndsAt == nil {
			continue
		}
		if (w.StartsAt == nil || !t.Before(*w.StartsAt)) && (w.EndsAt == nil || t.Before(*w.EndsAt)) {
			return w.Key
		}
	}
	return ""
}

func (s *Spec) validateDesign(v *ValidationError) {
	if s.HasCells() {
		s.validateCells(v)
	}
	if s.HasWaves() {
		s.validateWaves(v)
	}
	if s.HasCells() && s.HasWaves() {
		v.Add("waves", "a study has either cells or waves; run each wave's cells as a study of its own")
	}
	if s.Category != "" && !IsKey(s.Category) {
		v.Add("category", "must be a short tag such as fmcg or auto (lower-case letters, digits, _; at most %d), got %q", MaxCategoryLen, s.Category)
	}
}

func (s *Spec) validateCells(v *ValidationError) {
	if !s.HasGroups() {
		v.Add("cells", "cells compare exposed arms with control; an nps study has one population")
		return
	}
	if n := len(s.Cells); n < MinCells || n > MaxCells {
		v.Add("cells", "a study declares %d to %d cells, got %d", MinCells, MaxCells, n)
	}
	seen := map[string]bool{}
	creatives := map[string]string{}
	declared, sum := 0, 0.0
	for i, c := range s.Cells {
		path := fmt.Sprintf("cells[%d]", i)
		switch {
		case !IsKey(c.Key):
			v.Add(path+".key", "must match %s, got %q", keyPattern, c.Key)
		case seen[c.Key]:
			v.Add(path+".key", "duplicate cell key %q", c.Key)
		}
		seen[c.Key] = true
		if c.Name != nil {
			s.validateText(v, path+".name", c.Name, MaxNameLength)
		}
		if c.Share != 0 {
			declared++
			sum += c.Share
			if !(c.Share > 0 && c.Share < 1) {
				v.Add(path+".share", "must be strictly between 0 and 1, got %v", c.Share)
			}
		}
		if len(c.Creatives) > MaxCreatives {
			v.Add(path+".creatives", "at most %d creative labels, got %d", MaxCreatives, len(c.Creatives))
		}
		for j, label := range c.Creatives {
			switch {
			case label == "" || len(label) > 100 || TextProblem(label) != "":
				v.Add(fmt.Sprintf("%s.creatives[%d]", path, j), "must be the pixel's creative label, 1 to 100 characters")
			case creatives[label] != "" && creatives[label] != c.Key:
				v.Add(fmt.Sprintf("%s.creatives[%d]", path, j), "creative %q already belongs to cell %q", label, creatives[label])
			}
			creatives[label] = c.Key
		}
		if s.Assignment == AssignExposure && len(c.Creatives) == 0 {
			v.Add(path+".creatives", "an exposure study puts respondents in cells by the creative the pixel recorded: list this cell's creative labels")
		}
	}
	if declared > 0 && (declared != len(s.Cells) || math.Abs(sum-1) > 1e-9) {
		v.Add("cells", "give every cell a share, summing to 1 (they sum to %.4g over %d of %d cells), or none for equal shares", sum, declared, len(s.Cells))
	}
}

func (s *Spec) validateWaves(v *ValidationError) {
	if n := len(s.Waves); n < 2 || n > MaxWaves {
		v.Add("waves", "a wave series has 2 to %d waves (pre and post at least), got %d", MaxWaves, n)
	}
	seen := map[string]bool{}
	for i, w := range s.Waves {
		path := fmt.Sprintf("waves[%d]", i)
		switch {
		case !IsKey(w.Key):
			v.Add(path+".key", "must match %s, got %q", keyPattern, w.Key)
		case seen[w.Key]:
			v.Add(path+".key", "duplicate wave key %q", w.Key)
		}
		seen[w.Key] = true
		if w.Name != nil {
			s.validateText(v, path+".name", w.Name, MaxNameLength)
		}
		if w.StartsAt != nil && w.EndsAt != nil && !w.EndsAt.After(*w.StartsAt) {
			v.Add(path+".ends_at", "must be after starts_at")
		}
		if i > 0 {
			prev := s.Waves[i-1]
			if prev.EndsAt != nil && w.StartsAt != nil && w.StartsAt.Before(*prev.EndsAt) {
				v.Add(path+".starts_at", "waves run one after another: %s starts before %s ends", w.Key, prev.Key)
			}
		}
	}
}

// designFrozen lists the design fields that may not change once live:
// cells and waves decide which arm a stored response belongs to.
func designFrozen(old, updated *Spec) []string {
	var fields []string
	if cellKeys(old) != cellKeys(updated) {
		fields = append(fields, "cells")
	}
	var a, b []string
	for _, w := range old.Waves {
		a = append(a, w.Key)
	}
	for _, w := range updated.Waves {
		b = append(b, w.Key)
	}
	if strings.Join(a, ",") != strings.Join(b, ",") {
		fields = append(fields, "waves")
	}
	return fields
}

func cellKeys(s *Spec) string {
	var parts []string
	for _, c := range s.Cells {
		parts = append(parts, fmt.Sprintf("%s=%v", c.Key, c.Share))
	}
	return strings.Join(parts, ",")
}
