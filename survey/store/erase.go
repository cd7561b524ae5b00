package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// EraseRespondent deletes a respondent's response and exposure record (the
// right to erasure), and takes the response out of every running count so
// that the report stays equal to a recount of the stored rows.
func (s *Store) EraseRespondent(ctx context.Context, studyID, rid string) (survey.Erasure, error) {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return survey.Erasure{}, err
	}
	hash := st.RespondentHash(rid)
	var out survey.Erasure
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE"})
		}
		// An nps program's repeat answers are keyed by ask; the touches
		// name every one of them.
		asked := tx.Session(&gorm.Session{NewDB: true}).Model(&touchRow{}).Select("response_id").
			Where("study_id = ? AND person = ? AND response_id <> ''", st.ID, hash)
		var rows []responseRow
		if err := q.Where("study_id = ? AND (respondent = ? OR id IN (?))", st.ID, hash, asked).Find(&rows).Error; err != nil {
			return err
		}
		for _, r := range rows {
			if err := uncount(tx, st, &r); err != nil {
				return err
			}
		}
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		res := tx.Where("study_id = ? AND id IN ?", st.ID, append(ids, "")).Delete(&responseRow{})
		if res.Error != nil {
			return res.Error
		}
		out.Responses = res.RowsAffected
		if err := tx.Where("study_id = ? AND person = ?", st.ID, hash).Delete(&touchRow{}).Error; err != nil {
			return err
		}
		// Webhook deliveries carry the answers: the erased go with them.
		for _, r := range rows {
			if err := tx.Where("study_id = ? AND delivery_id IN (?)", st.ID,
				tx.Session(&gorm.Session{NewDB: true}).Model(&deliveryRow{}).Select("id").Where("study_id = ? AND response_id = ?", st.ID, r.ID)).Delete(&attemptRow{}).Error; err != nil {
				return err
			}
			if err := tx.Where("study_id = ? AND response_id = ?", st.ID, r.ID).Delete(&deliveryRow{}).Error; err != nil {
				return err
			}
		}
		res = tx.Where("study_id = ? AND respondent = ?", st.ID, hash).Delete(&exposureRow{})
		out.Exposures = res.RowsAffected
		if res.Error != nil {
			return res.Error
		}
		// An NPS study's contact carries the email: it goes too, with its
		// invitations.
		if err := tx.Where("study_id = ? AND contact_id IN (?)", st.ID,
			tx.Session(&gorm.Session{NewDB: true}).Model(&contactRow{}).Select("id").Where("study_id = ? AND rid = ?", st.ID, rid)).
			Delete(&invitationRow{}).Error; err != nil {
			return err
		}
		res = tx.Where("study_id = ? AND rid = ?", st.ID, rid).Delete(&contactRow{})
		out.Contacts = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return survey.Erasure{}, fmt.Errorf("store: unable to erase respondent: %w", err)
	}
	s.forgetNorms(st.ID) // the study's lifts in the norms changed
	return out, nil
}

// uncount subtracts one stored response from the running counts.
func uncount(tx *gorm.DB, st *survey.Study, r *responseRow) error {
	answers, err := decodeStoredAnswers(st, r.AnswersJSON.V)
	if err != nil {
		return err
	}
	flagged := r.Flags != ""
	day := st.LocalDay(r.CompletedAt)
	for _, sl := range st.TallySlots(answers) {
		if err := tx.Model(&tallyRow{}).Where("study_id = ? AND cell_id = ? AND grp = ? AND flagged = ? AND question_key = ? AND slot = ?",
			r.StudyID, r.CellID, r.Grp, flagged, sl.Question, sl.Value).Update("n", gorm.Expr("n - 1")).Error; err != nil {
			return err
		}
		if err := tx.Model(&dailyTallyRow{}).Where("study_id = ? AND day = ? AND grp = ? AND flagged = ? AND question_key = ? AND slot = ?",
			r.StudyID, day, r.Grp, flagged, sl.Question, sl.Value).Update("n", gorm.Expr("n - 1")).Error; err != nil {
			return err
		}
	}
	if err := tx.Model(&groupCountRow{}).Where("study_id = ? AND grp = ? AND flags = ?", r.StudyID, r.Grp, r.Flags).
		Update("n", gorm.Expr("n - 1")).Error; err != nil {
		return err
	}
	if r.DurationMs != nil {
		return tx.Model(&durationRow{}).Where("study_id = ? AND seconds = ?", r.StudyID, durationSeconds(*r.DurationMs)).
			Update("n", gorm.Expr("n - 1")).Error
	}
	return nil
}

// decodeStoredAnswers restores the Go types of answers read back from JSON
// (numbers arrive as float64, lists as []any).
func decodeStoredAnswers(st *survey.Study, a survey.Answers) (survey.Answers, error) {
	out := survey.Answers{}
	for key, v := range a {
		q := st.Question(key)
		if q == nil {
			continue
		}
		switch x := v.(type) {
		case float64:
			out[key] = int64(x)
		case json.Number:
			n, err := strconv.ParseInt(string(x), 10, 64)
			if err != nil {
				return nil, err
			}
			out[key] = n
		case []any:
			keys := make([]string, 0, len(x))
			for _, k := range x {
				if s, ok := k.(string); ok {
					keys = append(keys, s)
				}
			}
			out[key] = keys
		default:
			out[key] = v
		}
	}
	return out, nil
}
