package api

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
)

// The builder's "Study design" fieldset: a multi-cell study's creative
// cells, a wave series' waves, and how the study enters the norms
// (category, exclude_from_norms). Field names: c.N.key, c.N.name.ru,
// c.N.share, c.N.creatives; w.N.key, w.N.name.en, w.N.starts_at,
// w.N.ends_at (dates in the study's time zone; the end day is the last
// day of the wave); category; exclude_from_norms. Ops: add_cell,
// del_cell:I, add_wave, del_wave:I. Once the study has been live its
// cells and waves are shown read-only and not sent (survey.FrozenChanges
// refuses a change to them); category and exclude_from_norms stay
// editable.

// designForm is the design part of builderForm, as typed.
type designForm struct {
	Cells            []cellForm
	Waves            []waveForm
	Category         string
	ExcludeFromNorms bool
}

// cellForm is one creative cell row.
type cellForm struct {
	Key       string
	Name      map[string]string
	Share     string
	Creatives string // comma-separated
}

// waveForm is one wave row. StartsExact and EndsExact carry a stored
// wave's moments (RFC 3339), so that a date left as it was keeps the
// exact time the API set, not midnight of that day.
type waveForm struct {
	Key                    string
	Name                   map[string]string
	StartsAt, EndsAt       string // yyyy-mm-dd
	StartsExact, EndsExact string
}

// ShowCells reports whether the form offers cells: brand-lift studies,
// or any form that already has cells (so that their errors show).
func (d designForm) ShowCells(kind string) bool {
	return kind != string(survey.KindNPS) || len(d.Cells) > 0
}

// formLocation is the time zone the form's wave dates are in: the typed
// one when it is a known IANA name, else UTC (the store reports a bad
// name on its own field).
func formLocation(tz string) *time.Location {
	if loc, err := time.LoadLocation(strings.TrimSpace(tz)); err == nil && strings.TrimSpace(tz) != "" {
		return loc
	}
	return time.UTC
}

// designFormOf is the design form of a stored study.
func designFormOf(lang string, st *survey.Study) designForm {
	d := designForm{Category: st.Category, ExcludeFromNorms: st.ExcludeFromNorms}
	loc := st.Location()
	for _, c := range st.Cells {
		cf := cellForm{Key: c.Key, Name: copyText(c.Name), Creatives: strings.Join(c.Creatives, ", ")}
		if c.Share > 0 {
			cf.Share = formFloat(lang, c.Share)
		}
		d.Cells = append(d.Cells, cf)
	}
	for _, w := range st.Waves {
		wf := waveForm{Key: w.Key, Name: copyText(w.Name)}
		if w.StartsAt != nil {
			wf.StartsAt, wf.StartsExact = w.StartsAt.In(loc).Format(time.DateOnly), w.StartsAt.UTC().Format(time.RFC3339Nano)
		}
		if w.EndsAt != nil {
			wf.EndsAt, wf.EndsExact = lastDay(*w.EndsAt, loc), w.EndsAt.UTC().Format(time.RFC3339Nano)
		}
		d.Waves = append(d.Waves, wf)
	}
	return d
}

// lastDay is the last day a wave ending at end takes answers on.
func lastDay(end time.Time, loc *time.Location) string {
	return end.In(loc).Add(-time.Nanosecond).Format(time.DateOnly)
}

// parseDesign reads the design fields of a posted builder form.
func parseDesign(v url.Values) designForm {
	d := designForm{Category: v.Get("category"), ExcludeFromNorms: v.Get("exclude_from_norms") != ""}
	for _, i := range indexes(v, "c.", ".key") {
		p := fmt.Sprintf("c.%d.", i)
		d.Cells = append(d.Cells, cellForm{Key: v.Get(p + "key"), Name: textOf(v, p+"name."), Share: v.Get(p + "share"), Creatives: v.Get(p + "creatives")})
	}
	for _, i := range indexes(v, "w.", ".key") {
		p := fmt.Sprintf("w.%d.", i)
		d.Waves = append(d.Waves, waveForm{Key: v.Get(p + "key"), Name: textOf(v, p+"name."),
			StartsAt: v.Get(p + "starts_at"), EndsAt: v.Get(p + "ends_at"),
			StartsExact: v.Get(p + "starts_exact"), EndsExact: v.Get(p + "ends_exact")})
	}
	return d
}

// designInput writes the design into in. frozen leaves cells and waves
// out: a study that has been live keeps its own.
func (f *builderForm) designInput(lang string, frozen bool, in *survey.StudyInput, bad map[string]string) {
	in.Category = valuePtr(strings.TrimSpace(f.Category))
	in.ExcludeFromNorms = valuePtr(f.ExcludeFromNorms)
	if frozen {
		return
	}
	cells := make([]survey.CreativeCell, 0, len(f.Cells))
	for i, c := range f.Cells {
		out := survey.CreativeCell{Key: strings.TrimSpace(c.Key), Creatives: creativeList(c.Creatives)}
		if name := f.declared(c.Name, f.Locales); len(name) > 0 {
			out.Name = name
		}
		if x, ok := readFloat(c.Share, bad, fmt.Sprintf("cells[%d].share", i), lang); ok {
			out.Share = x
		}
		cells = append(cells, out)
	}
	in.Cells = &cells
	loc := formLocation(f.Timezone)
	waves := make([]survey.Wave, 0, len(f.Waves))
	for i, w := range f.Waves {
		out := survey.Wave{Key: strings.TrimSpace(w.Key)}
		if name := f.declared(w.Name, f.Locales); len(name) > 0 {
			out.Name = name
		}
		out.StartsAt = waveDay(lang, w.StartsAt, w.StartsExact, loc, false, bad, fmt.Sprintf("waves[%d].starts_at", i))
		out.EndsAt = waveDay(lang, w.EndsAt, w.EndsExact, loc, true, bad, fmt.Sprintf("waves[%d].ends_at", i))
		waves = append(waves, out)
	}
	in.Waves = &waves
}

// waveDay reads a wave's date: the day's start in loc, or for the end
// the next day's start (the end day is the wave's last). A date that is
// still the one a stored moment showed keeps that moment.
func waveDay(lang, day, exact string, loc *time.Location, end bool, bad map[string]string, path string) *time.Time {
	day = strings.TrimSpace(day)
	if day == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, exact); err == nil {
		shown := t.In(loc).Format(time.DateOnly)
		if end {
			shown = lastDay(t, loc)
		}
		if shown == day {
			return &t
		}
	}
	d, err := time.ParseInLocation(time.DateOnly, day, loc)
	if err != nil {
		bad[path] = frontend.T(lang, "bld_bad_date")
		return nil
	}
	if end {
		d = d.AddDate(0, 0, 1)
	}
	return &d
}

// creativeList splits "v15, v15_alt" into labels; a label may contain
// spaces, so only commas, semicolons and line breaks separate.
func creativeList(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' || r == '\r' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// designOp applies a design op (add_cell, del_cell:I, add_wave,
// del_wave:I); ok is false for any other op or a row that does not
// exist. A study's first cells and waves come two at a time, the least
// a design has.
func (f *builderForm) designOp(name string, a int) bool {
	switch name {
	case "add_cell":
		n := 1
		if len(f.Cells) == 0 {
			n = survey.MinCells
		}
		for range n {
			if len(f.Cells) >= survey.MaxCells {
				return false
			}
			keys := make([]string, len(f.Cells))
			for i, c := range f.Cells {
				keys[i] = c.Key
			}
			f.Cells = append(f.Cells, cellForm{Key: freeKey("cell", len(f.Cells)+1, keys), Name: map[string]string{}})
		}
	case "del_cell":
		if a < 0 || a >= len(f.Cells) {
			return false
		}
		f.Cells = slices.Delete(f.Cells, a, a+1)
	case "add_wave":
		if len(f.Waves) >= survey.MaxWaves {
			return false
		}
		if len(f.Waves) == 0 {
			f.Waves = []waveForm{{Key: "pre", Name: map[string]string{}}, {Key: "post", Name: map[string]string{}}}
			return true
		}
		keys := make([]string, len(f.Waves))
		for i, w := range f.Waves {
			keys[i] = w.Key
		}
		f.Waves = append(f.Waves, waveForm{Key: freeKey("wave", len(f.Waves)+1, keys), Name: map[string]string{}})
	case "del_wave":
		if a < 0 || a >= len(f.Waves) {
			return false
		}
		f.Waves = slices.Delete(f.Waves, a, a+1)
	default:
		return false
	}
	return true
}
