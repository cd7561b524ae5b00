package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
)

type consentRow struct {
	StudyID   string `gorm:"primaryKey"`
	Version   int    `gorm:"primaryKey"`
	CreatedAt time.Time
	Texts     jsonColumn[survey.Text]
}

func (consentRow) TableName() string { return "consent_versions" }

func (r *consentRow) version() survey.ConsentVersion {
	v := survey.ConsentVersion{Version: r.Version, CreatedAt: r.CreatedAt.UTC(), Texts: r.Texts.V, SHA256: map[string]string{}}
	for l, text := range r.Texts.V {
		v.SHA256[l] = survey.ConsentHash(text)
	}
	return v
}

// ConsentVersions lists a study's consent texts, oldest first; ErrNotFound
// when the study does not exist.
func (s *Store) ConsentVersions(ctx context.Context, studyID string) ([]survey.ConsentVersion, error) {
	if _, err := s.Study(ctx, studyID); err != nil {
		return nil, err
	}
	var rows []consentRow
	if err := s.db.WithContext(ctx).Where("study_id = ?", studyID).Order("version").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read consent versions: %w", err)
	}
	out := make([]survey.ConsentVersion, len(rows))
	for i := range rows {
		out[i] = rows[i].version()
	}
	return out, nil
}

// addConsentVersion stores texts as the study's next consent version and
// returns its number.
func addConsentVersion(tx *gorm.DB, studyID string, texts survey.Text, at time.Time) (int, error) {
	var last int
	if err := tx.Model(&consentRow{}).Where("study_id = ?", studyID).Select("COALESCE(MAX(version), 0)").Scan(&last).Error; err != nil {
		return 0, err
	}
	row := consentRow{StudyID: studyID, Version: last + 1, CreatedAt: at, Texts: jsonColumn[survey.Text]{texts}}
	if err := tx.Create(&row).Error; err != nil {
		return 0, err
	}
	return row.Version, nil
}

// consentShown is the consent text in a locale of the version a
// respondent was shown: the study's current one, or an older one when the
// text changed while the page was open. "" when the version asks for no
// consent in that locale; ErrNotFound for a version that never existed.
func (s *Store) consentShown(ctx context.Context, st *survey.Study, version int, locale string) (string, error) {
	if version == st.ConsentVersion {
		return st.Consent[locale], nil
	}
	var row consentRow
	err := s.db.WithContext(ctx).Where("study_id = ? AND version = ?", st.ID, version).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", survey.ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: unable to read consent version: %w", err)
	}
	return row.Texts.V[locale], nil
}
