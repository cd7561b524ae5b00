package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"

	"gorm.io/gorm"
)

// jsonText is the SQL expression reading a text answer from answers.
func (s *Store) jsonText(tx *gorm.DB, key string) *gorm.DB {
	if s.dialect == Postgres {
		return tx.Where("answers->>? <> ''", key)
	}
	return tx.Where("json_extract(answers, ?) <> ''", `$."`+key+`"`)
}

// TextAnswers pages through a text question's answers, newest first.
// cursor is the last response id of the previous page; the returned cursor
// is "" on the last page.
func (s *Store) TextAnswers(ctx context.Context, st *survey.Study, question string, limit int, cursor string) ([]results.TextAnswer, string, error) {
	return s.SearchTextAnswers(ctx, st, question, results.TextFilter{}, limit, cursor)
}

// SearchTextAnswers is TextAnswers restricted by f: the answers that
// contain f.Search (ignoring case: for every letter on PostgreSQL, for
// Latin letters only on SQLite), of respondents whose NPS answer is in
// f.Category, with the attributes f.Attrs, completed in [f.From, f.To).
func (s *Store) SearchTextAnswers(ctx context.Context, st *survey.Study, question string, f results.TextFilter, limit int, cursor string) ([]results.TextAnswer, string, error) {
	return s.searchTextAnswers(ctx, s.db, st, question, f, limit, cursor)
}

// searchTextAnswers is SearchTextAnswers on db, the primary or the replica.
func (s *Store) searchTextAnswers(ctx context.Context, db *gorm.DB, st *survey.Study, question string, f results.TextFilter, limit int, cursor string) ([]results.TextAnswer, string, error) {
	q := st.Question(question)
	if q == nil || q.Type != survey.TextQuestion {
		return nil, "", &survey.ValidationError{Errors: []survey.FieldError{{Field: "question", Message: "no text question with this key"}}}
	}
	tx := db.WithContext(ctx).Model(&responseRow{}).Select("id, grp, attrs, answers, completed_at").
		Where("study_id = ?", st.ID)
	tx = s.jsonText(tx, question)
	tx = s.commentFilters(tx, st, f)
	if search := f.Search; search != "" {
		pattern := "%" + likeEscaper.Replace(strings.ToLower(search)) + "%"
		if s.dialect == Postgres {
			tx = tx.Where("LOWER(answers->>?) LIKE ? ESCAPE '\\'", question, pattern)
		} else {
			tx = tx.Where("LOWER(json_extract(answers, ?)) LIKE ? ESCAPE '\\'", `$."`+question+`"`, pattern)
		}
	}
	if cursor != "" {
		tx = tx.Where("id < ?", cursor)
	}
	var rows []responseRow
	if err := tx.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("store: unable to read text answers: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	out := make([]results.TextAnswer, 0, len(rows))
	for _, r := range rows {
		text, _ := r.AnswersJSON.V[question].(string)
		wave, group, cell := survey.SplitArm(survey.Group(r.Grp))
		a := results.TextAnswer{ResponseID: r.ID, Group: group, Cell: cell, Wave: wave, Text: text,
			CompletedAt: r.CompletedAt.UTC().Truncate(time.Millisecond), Attrs: r.Attrs.V}
		if a.Attrs == nil {
			a.Attrs = map[string]string{}
		}
		if n := st.NPSOf(r.AnswersJSON.V); n != nil {
			a.NPS = &n.Score
			a.Category = n.Category
		}
		out = append(out, a)
	}
	return out, next, nil
}

// npsRanges are the scores of each NPS category.
var npsRanges = map[string][2]int{"promoter": {9, 10}, "passive": {7, 8}, "detractor": {0, 6}}

// commentFilters narrows a text answers query by NPS category, attributes
// and completion time, all in SQL.
func (s *Store) commentFilters(tx *gorm.DB, st *survey.Study, f results.TextFilter) *gorm.DB {
	if r, ok := npsRanges[f.Category]; ok {
		if n := st.NPSQuestionKey(); n != "" {
			if s.dialect == Postgres {
				tx = tx.Where("(answers->>?)::int BETWEEN ? AND ?", n, r[0], r[1])
			} else {
				tx = tx.Where("CAST(json_extract(answers, ?) AS INTEGER) BETWEEN ? AND ?", `$."`+n+`"`, r[0], r[1])
			}
		} else {
			tx = tx.Where("1 = 0") // no NPS question: no answer is in a category
		}
	}
	keys := make([]string, 0, len(f.Attrs))
	for k := range f.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if s.dialect == Postgres {
			tx = tx.Where("attrs->>? = ?", k, f.Attrs[k])
		} else {
			tx = tx.Where("json_extract(attrs, ?) = ?", `$."`+k+`"`, f.Attrs[k])
		}
	}
	if f.From != nil {
		tx = tx.Where("completed_at >= ?", f.From.UTC())
	}
	if f.To != nil {
		tx = tx.Where("completed_at < ?", f.To.UTC())
	}
	return tx
}
