package store

import (
	"context"
	"fmt"
	"sort"
)

// ImpressionCheck is what VerifyImpressions found.
type ImpressionCheck struct {
	Stored   int64    // impressions in the study's exposures table
	Expected int64    // impressions the caller was answered for
	Wrong    []string // rids whose stored count differs, sorted
	Extra    int64    // stored rows of respondents the caller did not name
}

// VerifyImpressions compares the study's exposures with the impressions
// a load run was answered for, per respondent: each count must be exact,
// neither lost nor counted twice, and no other respondent may appear.
func (s *Store) VerifyImpressions(ctx context.Context, studyID string, want map[string]int64) (ImpressionCheck, error) {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return ImpressionCheck{}, err
	}
	var rows []exposureRow
	if err := s.db.WithContext(ctx).Select("respondent", "count").Where("study_id = ?", studyID).Find(&rows).Error; err != nil {
		return ImpressionCheck{}, fmt.Errorf("store: unable to read exposures: %w", err)
	}
	stored := make(map[string]int64, len(rows))
	var check ImpressionCheck
	for _, r := range rows {
		stored[r.Respondent] = r.Count
		check.Stored += r.Count
	}
	for rid, n := range want {
		check.Expected += n
		h := st.RespondentHash(rid)
		if stored[h] != n {
			check.Wrong = append(check.Wrong, rid)
		}
		delete(stored, h)
	}
	check.Extra = int64(len(stored))
	sort.Strings(check.Wrong)
	return check, nil
}
