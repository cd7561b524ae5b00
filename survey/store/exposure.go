package store

import (
	"context"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
)

// maxLabel bounds the creative and placement labels an ad server sends.
const maxLabel = 200

// RecordImpression counts one impression of the exposure pixel for a
// respondent: first and last seen, count, and the latest creative and
// placement. It joins the impressions arriving meanwhile in one batch
// (see impressionBatcher) and returns once that batch committed. Closed
// studies and invalid rids record nothing; the caller still answers with
// the pixel.
func (s *Store) RecordImpression(ctx context.Context, st *survey.Study, imp survey.Impression) error {
	if st.Status == survey.StatusClosed || survey.RIDProblem(imp.RID) != "" {
		return nil
	}
	return s.impressions.write(ctx, &impressionWrite{row: impressionRow(st, imp, time.Now().UTC())})
}

// impressionRow is one impression as a row of exposures, seen at now.
func impressionRow(st *survey.Study, imp survey.Impression, now time.Time) exposureRow {
	return exposureRow{StudyID: st.ID, Respondent: st.RespondentHash(imp.RID), FirstSeen: now, LastSeen: now,
		Count: max(imp.Count, 1), Creative: label(imp.Creative), Placement: label(imp.Placement)}
}

// RecordImpressions records many impressions in one transaction, as an
// import of an ad server's log does. Invalid rids are skipped.
func (s *Store) RecordImpressions(ctx context.Context, st *survey.Study, imps []survey.Impression) error {
	if st.Status == survey.StatusClosed {
		return nil
	}
	now := time.Now().UTC()
	batch := make([]*impressionWrite, 0, len(imps))
	for _, imp := range imps {
		if survey.RIDProblem(imp.RID) != "" {
			continue
		}
		batch = append(batch, &impressionWrite{row: impressionRow(st, imp, now)})
	}
	if len(batch) == 0 {
		return nil
	}
	if err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return upsertExposures(tx, mergeExposures(batch))
	}); err != nil {
		return fmt.Errorf("store: unable to record impressions: %w", err)
	}
	return nil
}

// keep prefers the newer label unless it is empty.
func keep(old, newer string) string {
	if newer == "" {
		return old
	}
	return newer
}

// label keeps an ad server's macro value printable and short (see
// CleanLabel); an unexpanded macro such as ${CREATIVE_ID} is kept as
// sent, so that a broken tag is visible in the data.
func label(s string) string { return survey.CleanLabel(s, maxLabel) }

// Exposure returns the record of a respondent, or ErrNotFound.
func (s *Store) Exposure(ctx context.Context, st *survey.Study, rid string) (survey.Exposure, error) {
	var row exposureRow
	err := s.db.WithContext(ctx).Where("study_id = ? AND respondent = ?", st.ID, st.RespondentHash(rid)).Take(&row).Error
	if err == gorm.ErrRecordNotFound {
		return survey.Exposure{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.Exposure{}, fmt.Errorf("store: unable to read exposure: %w", err)
	}
	return survey.Exposure{FirstSeen: row.FirstSeen.UTC(), LastSeen: row.LastSeen.UTC(), Count: row.Count,
		Creative: row.Creative, Placement: row.Placement}, nil
}
