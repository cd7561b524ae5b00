package store

import (
	"context"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// maxLabel bounds the creative and placement labels an ad server sends.
const maxLabel = 200

// RecordImpression counts one impression for a respondent: first and last
// seen, count, and the latest creative and placement. Closed studies
// record nothing; the caller still answers with the pixel.
func (s *Store) RecordImpression(ctx context.Context, st *survey.Study, imp survey.Impression) error {
	return s.RecordImpressions(ctx, st, []survey.Impression{imp})
}

// RecordImpressions records many impressions in one transaction, as an
// import of an ad server's log does. Invalid rids are skipped.
func (s *Store) RecordImpressions(ctx context.Context, st *survey.Study, imps []survey.Impression) error {
	if st.Status == survey.StatusClosed {
		return nil
	}
	now := time.Now().UTC()
	byRespondent := map[string]int{}
	var rows []exposureRow
	for _, imp := range imps {
		if survey.RIDProblem(imp.RID) != "" {
			continue
		}
		count := max(imp.Count, 1)
		hash := st.RespondentHash(imp.RID)
		if i, ok := byRespondent[hash]; ok { // one row per respondent per statement
			rows[i].Count += count
			rows[i].Creative, rows[i].Placement = keep(rows[i].Creative, label(imp.Creative)), keep(rows[i].Placement, label(imp.Placement))
			continue
		}
		byRespondent[hash] = len(rows)
		rows = append(rows, exposureRow{StudyID: st.ID, Respondent: hash, FirstSeen: now, LastSeen: now,
			Count: count, Creative: label(imp.Creative), Placement: label(imp.Placement)})
	}
	if len(rows) == 0 {
		return nil
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "study_id"}, {Name: "respondent"}},
		DoUpdates: clause.Assignments(map[string]any{
			"count":     gorm.Expr("exposures.count + excluded.count"),
			"last_seen": gorm.Expr("excluded.last_seen"),
			"creative":  gorm.Expr("CASE WHEN excluded.creative = '' THEN exposures.creative ELSE excluded.creative END"),
			"placement": gorm.Expr("CASE WHEN excluded.placement = '' THEN exposures.placement ELSE excluded.placement END"),
		}),
	}).CreateInBatches(rows, 500).Error
	if err != nil {
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
