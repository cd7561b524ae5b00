package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestSQLiteExportDecodesLikeJSONExtract: on SQLite the export decodes
// the stored JSON in Go; every cell must be what SQLite's own JSON
// functions give for the same column, for text with escapes, quotes,
// line breaks and characters outside the BMP, and for stored values of
// unexpected types (written directly, as an older version or a hand
// edit might have left them).
func TestSQLiteExportDecodesLikeJSONExtract(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	st := newLiveStudy(t, s, nil)
	ctx := context.Background()
	texts := []string{"кавычки \"внутри\" и \\ слэш", "строка 1\nстрока 2\tтаб", "emoji 🎉 и \u2028 разделитель", "", "<b>&amp;</b>, ; '"}
	for i, text := range texts {
		a := goodAnswers()
		a["why"] = text
		if i == 1 {
			delete(a, "why")
			a["brands"] = []any{"none"}
		}
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: token(st, fmt.Sprint("x", i), survey.GroupExposed), Answers: a}); err != nil {
			t.Fatal(err)
		}
	}
	odd := []string{
		`{"recall": 9, "nps": "7", "r1": 4.0, "r2": 3.5, "why": 12.5, "brands": null, "check": true}`,
		`{"recall": null, "nps": null, "why": ["a", "b"], "brands": [], "r3": "x"}`,
		`{}`,
	}
	for i, answers := range odd {
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: token(st, fmt.Sprint("odd", i), survey.GroupControl), Answers: goodAnswers()}); err != nil {
			t.Fatal(err)
		}
		if err := s.DB().Exec("UPDATE responses SET answers = ? WHERE study_id = ? AND id = (SELECT MAX(id) FROM responses WHERE study_id = ?)",
			answers, st.ID, st.ID).Error; err != nil {
			t.Fatal(err)
		}
	}
	e, err := s.NewExport(ctx, st.ID, store.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, c := range e.Columns {
		col[c.Name] = i
	}
	rows := 0
	err = e.Rows(ctx, func(row []any) error {
		rows++
		id := row[col["response_id"]].(string)
		for _, q := range st.Questions {
			if q.Type == survey.MultiChoice {
				for _, o := range q.Options {
					expr := "CASE WHEN json_type(answers, '$." + q.Key + "') IS NULL THEN NULL WHEN EXISTS (SELECT 1 FROM json_each(answers, '$." +
						q.Key + "') WHERE value = '" + o.Key + "') THEN 1 ELSE 0 END"
					checkCell(t, s, st.ID, id, expr, survey.ColInt, row[col["q_"+q.Key+"_"+o.Key]])
				}
				continue
			}
			kind := survey.ColString
			if q.Type == survey.NPSQuestion || q.Type == survey.Rating {
				kind = survey.ColInt
			}
			checkCell(t, s, st.ID, id, "json_extract(answers, '$."+q.Key+"')", kind, row[col["q_"+q.Key]])
		}
		checkCell(t, s, st.ID, id, "json_extract(attrs, '$.age')", survey.ColString, row[col["attr_age"]])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if rows != len(texts)+len(odd) {
		t.Fatalf("%d rows exported, want %d", rows, len(texts)+len(odd))
	}
}

// checkCell compares an exported cell with SQLite's value of expr for the
// response, scanned as the export scanned it before it decoded in Go.
func checkCell(t *testing.T, s *store.Store, studyID, id, expr string, kind survey.ColumnType, got any) {
	t.Helper()
	q := s.DB().Raw("SELECT "+expr+" FROM responses WHERE study_id = ? AND id = ?", studyID, id)
	var want any
	if kind == survey.ColInt {
		var n sql.NullInt64
		if err := q.Row().Scan(&n); err != nil {
			// SQLite gives a real or text that int64 cannot hold; the
			// export may give anything but must not fail.
			return
		}
		if n.Valid {
			want = n.Int64
		}
	} else {
		var v sql.NullString
		if err := q.Row().Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v.Valid {
			want = v.String
		}
	}
	if got != want {
		t.Errorf("response %s, %s: exported %#v, SQLite gives %#v", id, expr, got, want)
	}
}
