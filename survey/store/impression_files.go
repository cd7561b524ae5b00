package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"
	"gorm.io/gorm"
)

// impressionFileRow is the impression_files table: the files of
// impression logs a study took, with the report of each.
type impressionFileRow struct {
	StudyID   string `gorm:"primaryKey"`
	FileID    string `gorm:"primaryKey"`
	Report    jsonColumn[survey.ImpressionImport]
	CreatedAt time.Time
}

func (impressionFileRow) TableName() string { return "impression_files" }

// ImpressionFile returns the stored report of a file the study took, or
// survey.ErrNotFound.
func (s *Store) ImpressionFile(ctx context.Context, studyID, fileID string) (survey.ImpressionImport, error) {
	var row impressionFileRow
	err := s.db.WithContext(ctx).Where("study_id = ? AND file_id = ?", studyID, fileID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return survey.ImpressionImport{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.ImpressionImport{}, fmt.Errorf("store: unable to read impression file: %w", err)
	}
	return replayOf(row.Report.V), nil
}

// replayOf marks a stored report as the answer to a repeated upload.
func replayOf(r survey.ImpressionImport) survey.ImpressionImport {
	r.Replay = true
	r.ImportedAt = r.ImportedAt.UTC()
	if r.Rejections == nil {
		r.Rejections = []survey.ImpressionRejection{}
	}
	if r.RejectedByReason == nil {
		r.RejectedByReason = map[string]int64{}
	}
	return r
}
