package store

import (
	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
)

// The pixel's impression count of each respondent (their frequency, and
// so their cell) is read once per batch, inside the writer's transaction,
// not once per submission before it: one query for the batch instead of a
// round trip per response. Only studies whose group did not already need
// the count (signed links, holdout) read it here; exposure-assigned
// respondents carry it from the group decision.

// setFrequency records a respondent's impression count on the row: always
// when the study assigns by exposure, else only when the pixel saw them.
func setFrequency(row *responseRow, st *survey.Study, count int64) {
	row.Frequency = nil
	if count > 0 || st.Assignment == survey.AssignExposure {
		f := int(min(count, 1<<30))
		row.Frequency = &f
	}
}

// readFrequencies reads, in one query, the impression counts of the
// batch's respondents whose frequency is still to be set.
func readFrequencies(tx *gorm.DB, batch []*pending) (map[[2]string]int64, error) {
	var studies, respondents []string
	seen := map[string]bool{}
	for _, p := range batch {
		if p.exposureKey == "" {
			continue
		}
		if !seen[p.row.StudyID] {
			seen[p.row.StudyID] = true
			studies = append(studies, p.row.StudyID)
		}
		respondents = append(respondents, p.exposureKey)
	}
	counts := map[[2]string]int64{}
	if len(respondents) == 0 {
		return counts, nil
	}
	var rows []exposureRow
	if err := tx.Select("study_id", "respondent", "count").Where("study_id IN ? AND respondent IN ?", studies, respondents).
		Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		counts[[2]string{r.StudyID, r.Respondent}] = r.Count
	}
	return counts, nil
}

// applyFrequencies sets each waiting member's frequency and, since the
// frequency bucket is part of the cell, its cell.
func applyFrequencies(batch []*pending, counts map[[2]string]int64) {
	for _, p := range batch {
		if p.exposureKey == "" {
			continue
		}
		setFrequency(&p.row, p.study, counts[[2]string{p.row.StudyID, p.exposureKey}])
		p.cell = survey.NewCell(p.cell.Attrs, p.cell.Device, survey.FrequencyBucket(p.row.Frequency))
		p.row.CellID = p.cell.ID
	}
}
