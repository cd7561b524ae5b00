package store

import (
	"context"
	"fmt"
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
	return s.SearchTextAnswers(ctx, st, question, "", limit, cursor)
}

// SearchTextAnswers is TextAnswers restricted to the answers that contain
// search (ignoring case: for every letter on PostgreSQL, for Latin letters
// only on SQLite); an empty search keeps every answer.
func (s *Store) SearchTextAnswers(ctx context.Context, st *survey.Study, question, search string, limit int, cursor string) ([]results.TextAnswer, string, error) {
	q := st.Question(question)
	if q == nil || q.Type != survey.TextQuestion {
		return nil, "", &survey.ValidationError{Errors: []survey.FieldError{{Field: "question", Message: "no text question with this key"}}}
	}
	tx := s.db.WithContext(ctx).Model(&responseRow{}).Select("id, grp, answers, completed_at").
		Where("study_id = ?", st.ID)
	tx = s.jsonText(tx, question)
	if search != "" {
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
		out = append(out, results.TextAnswer{ResponseID: r.ID, Group: group, Cell: cell, Wave: wave, Text: text, CompletedAt: r.CompletedAt.UTC().Truncate(time.Millisecond)})
	}
	return out, next, nil
}
