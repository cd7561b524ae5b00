package survey

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// LatestTextAnswers is how many text answers the report shows per question.
const LatestTextAnswers = 10

// textMetrics counts the answers to each text question and reads the
// latest few.
func (s *Store) textMetrics(ctx context.Context, st *Study, v *view) ([]any, error) {
	var out []any
	for i := range st.Questions {
		q := &st.Questions[i]
		if q.Type != TextQuestion {
			continue
		}
		m := &TextMetric{Question: q.Key, Type: "text", Answered: map[Group]int64{}}
		for _, g := range (&builder{st: st, v: v}).groups() {
			m.Answered[g] = v.sum(q.Key, g, isSlot(SlotAnswered))
		}
		latest, _, err := s.TextAnswers(ctx, st, q.Key, LatestTextAnswers, "")
		if err != nil {
			return nil, err
		}
		m.Latest = latest
		out = append(out, m)
	}
	return out, nil
}

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
func (s *Store) TextAnswers(ctx context.Context, st *Study, question string, limit int, cursor string) ([]TextAnswer, string, error) {
	q := st.Question(question)
	if q == nil || q.Type != TextQuestion {
		return nil, "", &ValidationError{Errors: []FieldError{{Field: "question", Message: "no text question with this key"}}}
	}
	tx := s.db.WithContext(ctx).Model(&responseRow{}).Select("id, grp, answers, completed_at").
		Where("study_id = ?", st.ID)
	tx = s.jsonText(tx, question)
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
	out := make([]TextAnswer, 0, len(rows))
	for _, r := range rows {
		text, _ := r.AnswersJSON.V[question].(string)
		out = append(out, TextAnswer{ResponseID: r.ID, Group: Group(r.Grp), Text: text, CompletedAt: r.CompletedAt.UTC().Truncate(time.Millisecond)})
	}
	return out, next, nil
}
