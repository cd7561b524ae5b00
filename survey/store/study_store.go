package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// StudyFilter selects a page of studies, newest first.
type StudyFilter struct {
	Status survey.Status
	Kind   survey.Kind
	Limit  int    // 1..200; 0 means 50
	Cursor string // from the previous page's NextCursor
	// Search keeps the studies whose name contains it, ignoring case
	// (on SQLite, case is ignored for Latin letters only).
	Search string
}

// MaxPageSize is the largest page of studies a list returns.
const MaxPageSize = 200

// CreateStudy validates the input on top of the defaults and stores a new
// draft study with a fresh public key and secret.
func (s *Store) CreateStudy(ctx context.Context, in *survey.StudyInput) (*survey.Study, error) {
	spec := survey.DefaultSpec()
	in.Apply(&spec)
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	now := time.Now().UTC()
	secret := survey.RandomBytes(32)
	row := studyRow{
		ID: survey.NewID(), PublicKey: survey.RandomToken(16), Secret: secret, AssignmentKey: secret,
		Status: string(survey.StatusDraft), CreatedAt: now, UpdatedAt: now,
	}
	row.setSpec(&spec)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		if len(spec.Consent) > 0 {
			v, err := addConsentVersion(tx, row.ID, spec.Consent, now)
			if err != nil {
				return err
			}
			if err := tx.Model(&studyRow{}).Where("id = ?", row.ID).Update("consent_version", v).Error; err != nil {
				return err
			}
		}
		return insertQuestions(tx, row.ID, spec.Questions)
	})
	if err != nil {
		return nil, fmt.Errorf("store: unable to create study: %w", err)
	}
	return s.Study(ctx, row.ID)
}

func insertQuestions(tx *gorm.DB, studyID string, qs []survey.Question) error {
	qrows, orows := questionRows(studyID, qs)
	// In pieces: MaxQuestions x MaxOptions rows would pass the drivers'
	// parameter limits in one statement.
	if len(qrows) > 0 {
		if err := tx.CreateInBatches(&qrows, rowsPerInsert(10)).Error; err != nil {
			return err
		}
	}
	if len(orows) > 0 {
		if err := tx.CreateInBatches(&orows, rowsPerInsert(8)).Error; err != nil {
			return err
		}
	}
	return nil
}

// Study returns one study with its questions.
func (s *Store) Study(ctx context.Context, id string) (*survey.Study, error) {
	return s.studyWhere(ctx, "id = ?", id)
}

// StudyByPublicKey returns the study that respondent URLs name.
func (s *Store) StudyByPublicKey(ctx context.Context, publicKey string) (*survey.Study, error) {
	return s.studyWhere(ctx, "public_key = ?", publicKey)
}

func (s *Store) studyWhere(ctx context.Context, cond string, arg string) (*survey.Study, error) {
	if survey.TextProblem(arg) != "" {
		return nil, survey.ErrNotFound // no id or key holds such text; never ask the database
	}
	var row studyRow
	err := s.db.WithContext(ctx).Where(cond, arg).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, survey.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to fetch study: %w", err)
	}
	studies, err := s.withQuestions(ctx, []studyRow{row})
	if err != nil {
		return nil, err
	}
	return &studies[0], nil
}

// Studies returns a page of studies, newest first, and the cursor of the
// next page ("" on the last page).
func (s *Store) Studies(ctx context.Context, f StudyFilter) ([]survey.Study, string, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, MaxPageSize)
	q := s.db.WithContext(ctx).Order("id DESC").Limit(limit + 1)
	if f.Status != "" {
		q = q.Where("status = ?", string(f.Status))
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", string(f.Kind))
	}
	if f.Cursor != "" {
		q = q.Where("id < ?", f.Cursor)
	}
	if f.Search != "" {
		q = q.Where("LOWER(name) LIKE ? ESCAPE '\\'", "%"+likeEscaper.Replace(strings.ToLower(f.Search))+"%")
	}
	var rows []studyRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, "", fmt.Errorf("store: unable to list studies: %w", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	studies, err := s.withQuestions(ctx, rows)
	return studies, next, err
}

// withQuestions loads the questions and options of the given studies in two
// queries and assembles them.
func (s *Store) withQuestions(ctx context.Context, rows []studyRow) ([]survey.Study, error) {
	if len(rows) == 0 {
		return []survey.Study{}, nil
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	var qrows []questionRow
	var orows []optionRow
	db := s.db.WithContext(ctx)
	if err := db.Where("study_id IN ?", ids).Order("study_id, position").Find(&qrows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch questions: %w", err)
	}
	if err := db.Where("study_id IN ?", ids).Order("study_id, question_key, position").Find(&orows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to fetch options: %w", err)
	}
	options := map[[2]string][]survey.Option{}
	for _, o := range orows {
		k := [2]string{o.StudyID, o.QuestionKey}
		options[k] = append(options[k], survey.Option{Key: o.Key, Text: o.Text.V, Positive: o.Positive, Fixed: o.Fixed, Exclusive: o.Exclusive})
	}
	questions := map[string][]survey.Question{}
	for _, q := range qrows {
		questions[q.StudyID] = append(questions[q.StudyID], survey.Question{
			Key: q.Key, Type: survey.QuestionType(q.Type), Metric: survey.Metric(q.Metric), Text: q.Text.V,
			Required: q.Required, Randomize: q.Randomize, Scale: q.Scale, Attention: q.Attention,
			Options: options[[2]string{q.StudyID, q.Key}],
		})
	}
	out := make([]survey.Study, len(rows))
	for i := range rows {
		out[i] = rows[i].study()
		out[i].Questions = questions[rows[i].ID]
		if out[i].Questions == nil {
			out[i].Questions = []survey.Question{}
		}
	}
	return out, nil
}

// UpdateStudy applies a patch. Fields that decide who is asked what (see
// frozenChanges) may not change once the study has been live; a closed
// study cannot change at all.
func (s *Store) UpdateStudy(ctx context.Context, id string, in *survey.StudyInput) (*survey.Study, error) {
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.lockStudy(tx, id)
		if err != nil {
			return err
		}
		current := row.study()
		if current.Status == survey.StatusClosed {
			return &survey.ConflictError{Status: current.Status, Detail: "a closed study cannot be changed"}
		}
		qs, err := s.withQuestions(ctx, []studyRow{*row})
		if err != nil {
			return err
		}
		old := qs[0].Spec
		updated := old
		updated.Questions = append([]survey.Question(nil), old.Questions...)
		in.Apply(&updated)
		if row.LaunchedAt != nil {
			if changed := survey.FrozenChanges(&old, &updated); len(changed) > 0 {
				return &survey.ConflictError{Status: current.Status, Field: changed[0], Detail: fmt.Sprintf(
					"%s cannot change once a study has been live (status %s)", strings.Join(changed, ", "), current.Status)}
			}
		}
		if err := updated.Validate(); err != nil {
			return err
		}
		row.setSpec(&updated)
		row.UpdatedAt = time.Now().UTC()
		// A new consent text is a new version, live or not: what earlier
		// respondents accepted stays readable as they saw it.
		if !reflect.DeepEqual(old.Consent, updated.Consent) {
			row.ConsentVersion = 0
			if len(updated.Consent) > 0 {
				v, err := addConsentVersion(tx, id, updated.Consent, row.UpdatedAt)
				if err != nil {
					return err
				}
				row.ConsentVersion = v
			}
		}
		if err := tx.Save(row).Error; err != nil {
			return err
		}
		if in.Questions == nil {
			return nil
		}
		if err := tx.Where("study_id = ?", id).Delete(&optionRow{}).Error; err != nil {
			return err
		}
		if err := tx.Where("study_id = ?", id).Delete(&questionRow{}).Error; err != nil {
			return err
		}
		return insertQuestions(tx, id, updated.Questions)
	})
	if err != nil {
		return nil, storeError("update study", err)
	}
	st, err := s.Study(ctx, id)
	if err == nil {
		s.forget(st.PublicKey)
	}
	return st, err
}

// lockStudy reads a study row inside a transaction, locking it on
// PostgreSQL (SQLite's immediate transactions already hold the write lock).
func (s *Store) lockStudy(tx *gorm.DB, id string) (*studyRow, error) {
	q := tx
	if s.dialect == Postgres {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var row studyRow
	err := q.Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, survey.ErrNotFound
	}
	return &row, err
}

// DeleteStudy removes a study and everything it owns. Only a draft, or a
// closed study with force, may be deleted: deleting a running study would
// lose answers that respondents are still giving.
func (s *Store) DeleteStudy(ctx context.Context, id string, force bool) error {
	publicKey := ""
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.lockStudy(tx, id)
		if err != nil {
			return err
		}
		publicKey = row.PublicKey
		status := survey.Status(row.Status)
		switch {
		case status == survey.StatusDraft:
		case status == survey.StatusClosed && force:
		case status == survey.StatusClosed:
			return &survey.ConflictError{Status: status, Detail: "a closed study holds responses; delete it with ?force=true"}
		default:
			return &survey.ConflictError{Status: status, Detail: fmt.Sprintf("a %s study cannot be deleted; close it first", status)}
		}
		for _, table := range ownedTables {
			if err := tx.Exec("DELETE FROM "+table+" WHERE study_id = ?", id).Error; err != nil {
				return err
			}
		}
		return tx.Delete(&studyRow{}, "id = ?", id).Error
	})
	if err == nil {
		s.forget(publicKey)
	}
	return storeError("delete study", err)
}

// ownedTables are the tables whose rows belong to one study, children
// first; deleting a study empties them explicitly so that a large study is
// not left to a chain of cascades.
var ownedTables = []string{
	"consent_versions", "responses", "cells", "tallies", "daily_tallies", "group_counts", "durations", "exposures",
	"question_options", "questions", "webhook_attempts", "webhook_deliveries", "webhooks", "contacts", "touches", "invitations",
	"impression_files",
}

// storeError passes domain errors through and wraps the rest.
func storeError(action string, err error) error {
	if err == nil {
		return nil
	}
	var ve *survey.ValidationError
	var ce *survey.ConflictError
	if errors.Is(err, survey.ErrNotFound) || errors.As(err, &ve) || errors.As(err, &ce) {
		return err
	}
	return fmt.Errorf("store: unable to %s: %w", action, err)
}
