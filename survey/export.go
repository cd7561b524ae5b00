package survey

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"
)

// ColumnType is the type of an export column, for typed formats.
type ColumnType int

// Column types.
const (
	ColString ColumnType = iota
	ColInt
	ColFloat
	ColTime
)

// ExportColumn is one column of the raw export.
type ExportColumn struct {
	Name     string
	Type     ColumnType
	Nullable bool
}

// ExportOptions select what the raw export holds.
type ExportOptions struct {
	Weighted bool // add a weight column (raking, as in the report)
}

// Export is a study's raw responses as a table: one row per response.
type Export struct {
	Columns []ExportColumn
	study   *Study
	attrs   []string
	weights map[string]map[Group]float64 // cell id -> group -> weight
	store   *Store
}

// NewExport describes the columns of a study's raw export: response id,
// group, completion status, quality flags, weight (when asked), one column
// per attribute, timings, one column per question (multi-choice: one 0/1
// column per option) and text answers.
func (s *Store) NewExport(ctx context.Context, studyID string, o ExportOptions) (*Export, error) {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return nil, err
	}
	e := &Export{study: st, store: s}
	if o.Weighted {
		if e.weights, err = s.cellWeights(ctx, st); err != nil {
			return nil, err
		}
	}
	if e.attrs, err = s.attributeNames(ctx, st.ID); err != nil {
		return nil, err
	}
	cols := []ExportColumn{{"response_id", ColString, false}, {"group", ColString, false},
		{"status", ColString, false}, {"flags", ColString, false}}
	if o.Weighted {
		cols = append(cols, ExportColumn{"weight", ColFloat, false})
	}
	for _, a := range e.attrs {
		cols = append(cols, ExportColumn{"attr_" + a, ColString, true})
	}
	cols = append(cols, ExportColumn{"locale", ColString, false}, ExportColumn{"device", ColString, false},
		ExportColumn{"frequency", ColInt, true}, ExportColumn{"started_at", ColTime, true},
		ExportColumn{"completed_at", ColTime, false}, ExportColumn{"duration_ms", ColInt, true},
		ExportColumn{"consent_at", ColTime, true})
	for _, q := range st.Questions {
		switch q.Type {
		case MultiChoice:
			for _, o := range q.Options {
				cols = append(cols, ExportColumn{"q_" + q.Key + "_" + o.Key, ColInt, true})
			}
		case NPSQuestion, Rating:
			cols = append(cols, ExportColumn{"q_" + q.Key, ColInt, true})
		default:
			cols = append(cols, ExportColumn{"q_" + q.Key, ColString, true})
		}
	}
	e.Columns = uniqueNames(cols)
	return e, nil
}

// uniqueNames renames clashing columns (a question "brands_acme" beside
// option "acme" of multi-choice "brands" both give q_brands_acme) with a
// numeric suffix, so that every format can hold the table.
func uniqueNames(cols []ExportColumn) []ExportColumn {
	seen := map[string]bool{}
	for i := range cols {
		name := cols[i].Name
		for n := 2; seen[name]; n++ {
			name = fmt.Sprintf("%s_%d", cols[i].Name, n)
		}
		seen[name] = true
		cols[i].Name = name
	}
	return cols
}

// attributeNames lists every attribute any respondent carries, sorted.
func (s *Store) attributeNames(ctx context.Context, studyID string) ([]string, error) {
	var cells []cellRow
	if err := s.db.WithContext(ctx).Select("attrs").Where("study_id = ?", studyID).Find(&cells).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read attributes: %w", err)
	}
	seen := map[string]bool{}
	for _, c := range cells {
		for k := range c.Attrs.V {
			seen[k] = true
		}
	}
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}

// cellWeights rakes as the report does and returns each cell's weights.
func (s *Store) cellWeights(ctx context.Context, st *Study) (map[string]map[Group]float64, error) {
	o := ResultsOptions{Weighting: "rake"}
	if err := o.validate(st); err != nil {
		return nil, err
	}
	data, err := s.loadTallies(ctx, st.ID, false)
	if err != nil {
		return nil, err
	}
	v := &view{data: data}
	if _, err := rake(st, v); err != nil {
		return nil, err
	}
	out := map[string]map[Group]float64{}
	for i, c := range data.cells {
		out[c.ID] = map[Group]float64{}
		for _, g := range []Group{GroupExposed, GroupControl, GroupAll} {
			out[c.ID][g] = v.weight(i, g)
		}
	}
	return out, nil
}

// Rows streams the responses in id (completion) order, one row at a time,
// as values matching Columns: string, int64, float64, time.Time, or nil for
// an empty nullable cell. Memory stays flat whatever the study's size.
func (e *Export) Rows(ctx context.Context, fn func(row []any) error) error {
	rows, err := e.store.db.WithContext(ctx).Model(&responseRow{}).Where("study_id = ?", e.study.ID).Order("id").Rows()
	if err != nil {
		return fmt.Errorf("store: unable to read responses: %w", err)
	}
	defer rows.Close()
	row := make([]any, len(e.Columns))
	for rows.Next() {
		var r responseRow
		if err := e.store.db.ScanRows(rows, &r); err != nil {
			return fmt.Errorf("store: unable to scan response: %w", err)
		}
		e.fill(row, &r)
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (e *Export) fill(row []any, r *responseRow) {
	i := 0
	put := func(v any) { row[i] = v; i++ }
	put(r.ID)
	put(r.Grp)
	put(r.Status)
	put(r.Flags)
	if e.weights != nil {
		put(e.weights[r.CellID][Group(r.Grp)])
	}
	for _, a := range e.attrs {
		if v, ok := r.Attrs.V[a]; ok {
			put(v)
		} else {
			put(nil)
		}
	}
	put(r.Locale)
	put(r.Device)
	put(intOrNil(r.Frequency))
	put(timeOrNil(r.StartedAt))
	put(r.CompletedAt.UTC())
	if r.DurationMs != nil {
		put(*r.DurationMs)
	} else {
		put(nil)
	}
	put(timeOrNil(r.ConsentAt))
	answers := r.AnswersJSON.V
	for _, q := range e.study.Questions {
		v, answered := answers[q.Key]
		switch q.Type {
		case MultiChoice:
			chosen := map[string]bool{}
			if list, ok := v.([]any); ok {
				for _, k := range list {
					if s, ok := k.(string); ok {
						chosen[s] = true
					}
				}
			}
			for _, o := range q.Options {
				switch {
				case !answered:
					put(nil)
				case chosen[o.Key]:
					put(int64(1))
				default:
					put(int64(0))
				}
			}
		case NPSQuestion, Rating:
			switch n := v.(type) {
			case float64:
				put(int64(n))
			case json.Number:
				x, _ := n.Int64()
				put(x)
			default:
				put(nil)
			}
		default:
			if s, ok := v.(string); ok {
				put(s)
			} else {
				put(nil)
			}
		}
	}
}

func intOrNil(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

func timeOrNil(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// ColumnNames returns the header row.
func (e *Export) ColumnNames() []string {
	out := make([]string, len(e.Columns))
	for i, c := range e.Columns {
		out[i] = c.Name
	}
	return out
}

// FileName is a safe download name for the export: the study id, then
// the ASCII letters and digits of its name (a Russian name adds nothing).
func (e *Export) FileName(ext string) string {
	var b strings.Builder
	dash := false
	for _, r := range e.study.Name {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	name := "brandlift-" + e.study.ID
	if b.Len() > 0 {
		name += "-" + b.String()
	}
	return name + "." + ext
}
