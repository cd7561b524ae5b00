package store

import (
	"context"

	"github.com/brandlift/brandlift/survey"

	"database/sql"
	"fmt"
	"sort"
	"strings"

	"github.com/brandlift/brandlift/survey/results"
	"gorm.io/gorm"
)

// ExportOptions select what the raw export holds.
type ExportOptions struct {
	Weighted bool // add a weight column (raking, as in the report)
}

// Export is a study's raw responses as a table: one row per response.
type Export struct {
	Columns []survey.ExportColumn
	study   *survey.Study
	attrs   []string
	weights map[string]map[survey.Group]float64 // cell id -> group -> weight
	store   *Store
	db      *gorm.DB // the primary, or the replica (reportSource)
	// Freshness says which database the rows come from and how current
	// they are; the API sends it in headers before the rows.
	Freshness results.Freshness
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
	e.Freshness, err = s.readReport(ctx, func(db *gorm.DB) (err error) {
		e.db = db
		if o.Weighted {
			if e.weights, err = cellWeights(ctx, db, st); err != nil {
				return err
			}
		}
		e.attrs, err = attributeNames(ctx, db, st.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	cols := []survey.ExportColumn{{Name: "response_id", Type: survey.ColString, Nullable: false}, {Name: "group", Type: survey.ColString, Nullable: false},
		{Name: "status", Type: survey.ColString, Nullable: false}, {Name: "flags", Type: survey.ColString, Nullable: false}}
	// The creative cell and the wave are columns of their own, only in
	// the studies that have them: group stays exposed or control.
	if st.HasCells() {
		cols = append(cols, survey.ExportColumn{Name: "cell", Type: survey.ColString, Nullable: true})
	}
	if st.HasWaves() {
		cols = append(cols, survey.ExportColumn{Name: "wave", Type: survey.ColString, Nullable: false})
	}
	if o.Weighted {
		cols = append(cols, survey.ExportColumn{Name: "weight", Type: survey.ColFloat, Nullable: false})
	}
	for _, a := range e.attrs {
		cols = append(cols, survey.ExportColumn{Name: "attr_" + a, Type: survey.ColString, Nullable: true})
	}
	cols = append(cols, survey.ExportColumn{Name: "locale", Type: survey.ColString, Nullable: false}, survey.ExportColumn{Name: "device", Type: survey.ColString, Nullable: false},
		survey.ExportColumn{Name: "frequency", Type: survey.ColInt, Nullable: true}, survey.ExportColumn{Name: "started_at", Type: survey.ColTime, Nullable: true},
		survey.ExportColumn{Name: "completed_at", Type: survey.ColTime, Nullable: false}, survey.ExportColumn{Name: "duration_ms", Type: survey.ColInt, Nullable: true},
		survey.ExportColumn{Name: "consent_at", Type: survey.ColTime, Nullable: true}, survey.ExportColumn{Name: "consent_version", Type: survey.ColInt, Nullable: true},
		survey.ExportColumn{Name: "consent_sha256", Type: survey.ColString, Nullable: true})
	for _, q := range st.Questions {
		switch q.Type {
		case survey.MultiChoice:
			for _, o := range q.Options {
				cols = append(cols, survey.ExportColumn{Name: "q_" + q.Key + "_" + o.Key, Type: survey.ColInt, Nullable: true})
			}
		case survey.NPSQuestion, survey.Rating:
			cols = append(cols, survey.ExportColumn{Name: "q_" + q.Key, Type: survey.ColInt, Nullable: true})
		default:
			cols = append(cols, survey.ExportColumn{Name: "q_" + q.Key, Type: survey.ColString, Nullable: true})
		}
	}
	e.Columns = uniqueNames(cols)
	return e, nil
}

// uniqueNames renames clashing columns (a question "brands_acme" beside
// option "acme" of multi-choice "brands" both give q_brands_acme) with a
// numeric suffix, so that every format can hold the table.
func uniqueNames(cols []survey.ExportColumn) []survey.ExportColumn {
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
func attributeNames(ctx context.Context, db *gorm.DB, studyID string) ([]string, error) {
	var cells []cellRow
	if err := db.WithContext(ctx).Select("attrs").Where("study_id = ?", studyID).Find(&cells).Error; err != nil {
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
func cellWeights(ctx context.Context, db *gorm.DB, st *survey.Study) (map[string]map[survey.Group]float64, error) {
	data, err := loadTallies(ctx, db, st.ID, false)
	if err != nil {
		return nil, err
	}
	return results.CellWeights(st, data)
}

// Rows streams the responses in id (completion) order, one row at a time,
// as values matching Columns: string, int64, float64, time.Time, or nil for
// an empty nullable cell. Memory stays flat whatever the study's size.
// Answers and attributes are taken apart by PostgreSQL's own JSON
// operators, so each row is scanned into plain typed values; on SQLite
// they are decoded once per row in Go (export_sqlite.go).
func (e *Export) Rows(ctx context.Context, fn func(row []any) error) error {
	exprs, kinds := e.selectList()
	query := "SELECT " + strings.Join(exprs, ", ") + " FROM responses WHERE study_id = ? ORDER BY id"
	rows, err := e.db.WithContext(ctx).Raw(query, e.study.ID).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to read responses: %w", err)
	}
	defer rows.Close()
	holders := make([]any, len(kinds))
	for i, k := range kinds {
		switch k {
		case survey.ColInt:
			holders[i] = new(sql.NullInt64)
		case survey.ColTime:
			holders[i] = new(sql.NullTime)
		default:
			holders[i] = new(sql.NullString)
		}
	}
	row := make([]any, len(e.Columns))
	for rows.Next() {
		if err := rows.Scan(holders...); err != nil {
			return fmt.Errorf("store: unable to scan response: %w", err)
		}
		e.fill(row, holders)
		if err := fn(row); err != nil {
			return err
		}
	}
	return rows.Err()
}

// exportBase are the columns every export selects first, in this order:
// id, grp, status, flags, then cell_id (for weights), then the timings.
var exportBase = []string{"id", "grp", "status", "flags", "cell_id", "locale", "device",
	"frequency", "started_at", "completed_at", "duration_ms", "consent_at", "consent_version",
	"CASE WHEN consent_hash = '' THEN NULL ELSE consent_hash END"}

var exportBaseKinds = []survey.ColumnType{survey.ColString, survey.ColString, survey.ColString, survey.ColString, survey.ColString, survey.ColString, survey.ColString,
	survey.ColInt, survey.ColTime, survey.ColTime, survey.ColInt, survey.ColTime, survey.ColInt, survey.ColString}

// selectList builds the SELECT expressions and their scan types. Names
// inlined into SQL are question, option and attribute keys, which match
// `[a-z][a-z0-9_]*` (checked again here), never user text.
func (e *Export) selectList() ([]string, []survey.ColumnType) {
	exprs := append([]string(nil), exportBase...)
	kinds := append([]survey.ColumnType(nil), exportBaseKinds...)
	pg := e.store.dialect == Postgres
	if !pg {
		// SQLite's JSON functions, in the pure-Go SQLite, parse a row's
		// JSON again for each expression: they were two thirds of the
		// export's time. The two documents are read as they are stored
		// and taken apart once, in Go (export_sqlite.go).
		return append(exprs, "attrs", "answers"), append(kinds, survey.ColString, survey.ColString)
	}
	text := func(col, key string) string {
		mustBeKey(key)
		if pg {
			return col + "->>'" + key + "'"
		}
		return "json_extract(" + col + ", '$." + key + "')"
	}
	for _, a := range e.attrs {
		exprs, kinds = append(exprs, text("attrs", a)), append(kinds, survey.ColString)
	}
	for _, q := range e.study.Questions {
		switch q.Type {
		case survey.MultiChoice:
			for _, o := range q.Options {
				mustBeKey(o.Key)
				var has string
				if pg {
					has = "CASE WHEN answers->'" + q.Key + "' IS NULL THEN NULL WHEN (answers->'" + q.Key + "') @> '[\"" + o.Key + "\"]' THEN 1 ELSE 0 END"
				} else {
					has = "CASE WHEN json_type(answers, '$." + q.Key + "') IS NULL THEN NULL WHEN EXISTS (SELECT 1 FROM json_each(answers, '$." +
						q.Key + "') WHERE value = '" + o.Key + "') THEN 1 ELSE 0 END"
				}
				exprs, kinds = append(exprs, has), append(kinds, survey.ColInt)
			}
		case survey.NPSQuestion, survey.Rating:
			expr := text("answers", q.Key)
			if pg {
				expr = "(" + expr + ")::bigint"
			}
			exprs, kinds = append(exprs, expr), append(kinds, survey.ColInt)
		default:
			exprs, kinds = append(exprs, text("answers", q.Key)), append(kinds, survey.ColString)
		}
	}
	return exprs, kinds
}

func mustBeKey(k string) {
	if !survey.IsKey(k) {
		panic("survey: not a key: " + k)
	}
}

// fill turns one scanned row into export values.
func (e *Export) fill(row []any, h []any) {
	str := func(i int) string { return h[i].(*sql.NullString).String }
	i := 0
	put := func(v any) { row[i] = v; i++ }
	wave, group, cell := survey.SplitArm(survey.Group(str(1)))
	put(str(0))
	put(string(group))
	put(str(2))
	put(str(3))
	if e.study.HasCells() {
		if cell == "" {
			put(nil) // control, or exposed to a creative of no cell
		} else {
			put(cell)
		}
	}
	if e.study.HasWaves() {
		put(wave)
	}
	if e.weights != nil {
		put(e.weights[str(4)][group])
	}
	j := len(exportBase)
	var values []any // SQLite: the attributes' and answers' cells, from their JSON
	if e.store.dialect == SQLite {
		values = e.decodeJSONCells(h[j].(*sql.NullString), h[j+1].(*sql.NullString))
	}
	for range e.attrs {
		if values != nil {
			put(values[0])
			values = values[1:]
			continue
		}
		put(nullable(h[j]))
		j++
	}
	put(str(5))
	put(str(6))
	put(nullable(h[7]))
	put(nullable(h[8]))
	put(h[9].(*sql.NullTime).Time.UTC())
	put(nullable(h[10]))
	put(nullable(h[11]))
	put(nullable(h[12]))
	put(nullable(h[13]))
	if values != nil {
		for _, v := range values {
			put(v)
		}
		return
	}
	for ; j < len(h); j++ {
		put(nullable(h[j]))
	}
}

// nullable unwraps a scanned value: nil when NULL.
func nullable(h any) any {
	switch v := h.(type) {
	case *sql.NullString:
		if v.Valid {
			return v.String
		}
	case *sql.NullInt64:
		if v.Valid {
			return v.Int64
		}
	case *sql.NullTime:
		if v.Valid {
			return v.Time.UTC()
		}
	}
	return nil
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
