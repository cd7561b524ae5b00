package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/brandlift/brandlift/survey"
)

// likeEscaper escapes LIKE's wildcards in a search text, so that "50%"
// finds names containing "50%" rather than every name containing "50".
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Progress is how far a study has filled: the unflagged responses per
// group, the same count the target and the automatic close use, and the
// flagged ones apart.
type Progress struct {
	Counts  map[survey.Group]int64 `json:"counts"`
	Flagged int64                  `json:"flagged"`
}

// Total is every unflagged response of the study.
func (p Progress) Total() int64 {
	var n int64
	for _, c := range p.Counts {
		n += c
	}
	return n
}

// StudyProgress reads the progress of the given studies in one query of
// the running group counts (never the responses themselves). A study with
// no response has an empty Progress.
func (s *Store) StudyProgress(ctx context.Context, ids []string) (map[string]Progress, error) {
	out := make(map[string]Progress, len(ids))
	for _, id := range ids {
		out[id] = Progress{Counts: map[survey.Group]int64{}}
	}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		StudyID string
		Grp     string
		Flagged bool
		N       int64
	}
	err := s.db.WithContext(ctx).Model(&groupCountRow{}).
		Select("study_id, grp, flags <> '' AS flagged, COALESCE(SUM(n), 0) AS n").
		Where("study_id IN ?", ids).Group("study_id, grp, flags <> ''").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read study progress: %w", err)
	}
	for _, r := range rows {
		p := out[r.StudyID]
		if r.Flagged {
			p.Flagged += r.N
		} else {
			p.Counts[survey.Group(r.Grp)] += r.N
		}
		out[r.StudyID] = p
	}
	return out, nil
}
