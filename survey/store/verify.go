package store

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// VerifyTallies recounts a study's running counts from its stored responses,
// streaming them row by row, and returns an error listing every counter
// that differs. The report reads the running counts; this proves they equal
// what a recount of the raw rows gives.
func (s *Store) VerifyTallies(ctx context.Context, studyID string) error {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return err
	}
	want := map[string]int64{}
	rows, err := s.db.WithContext(ctx).Model(&responseRow{}).Where("study_id = ?", studyID).Rows()
	if err != nil {
		return fmt.Errorf("store: unable to read responses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r responseRow
		if err := s.db.ScanRows(rows, &r); err != nil {
			return fmt.Errorf("store: unable to scan response: %w", err)
		}
		answers, err := decodeStoredAnswers(st, r.AnswersJSON.V)
		if err != nil {
			return err
		}
		flagged := r.Flags != ""
		day := st.LocalDay(r.CompletedAt)
		for _, sl := range st.TallySlots(answers) {
			want[fmt.Sprintf("tally|%s|%s|%v|%s|%s", r.CellID, r.Grp, flagged, sl.Question, sl.Value)]++
			want[fmt.Sprintf("daily|%s|%s|%v|%s|%s", day, r.Grp, flagged, sl.Question, sl.Value)]++
		}
		want[fmt.Sprintf("group|%s|%s", r.Grp, r.Flags)]++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	got := map[string]int64{}
	var tallies []tallyRow
	var daily []dailyTallyRow
	var groups []groupCountRow
	db := s.db.WithContext(ctx)
	if err := db.Where("study_id = ?", studyID).Find(&tallies).Error; err != nil {
		return err
	}
	if err := db.Where("study_id = ?", studyID).Find(&daily).Error; err != nil {
		return err
	}
	if err := db.Where("study_id = ?", studyID).Find(&groups).Error; err != nil {
		return err
	}
	for _, t := range tallies {
		got[fmt.Sprintf("tally|%s|%s|%v|%s|%s", t.CellID, t.Grp, t.Flagged, t.QuestionKey, t.Slot)] += t.N
	}
	for _, t := range daily {
		got[fmt.Sprintf("daily|%s|%s|%v|%s|%s", t.Day, t.Grp, t.Flagged, t.QuestionKey, t.Slot)] += t.N
	}
	for _, g := range groups {
		got[fmt.Sprintf("group|%s|%s", g.Grp, g.Flags)] += g.N
	}
	var diffs []string
	for k, n := range want {
		if got[k] != n {
			diffs = append(diffs, fmt.Sprintf("%s: stored %d, recount %d", k, got[k], n))
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok && n != 0 {
			diffs = append(diffs, fmt.Sprintf("%s: stored %d, recount 0", k, n))
		}
	}
	if len(diffs) > 0 {
		sort.Strings(diffs)
		return fmt.Errorf("store: %d running counts differ from a recount: %s", len(diffs), strings.Join(diffs[:min(len(diffs), 10)], "; "))
	}
	return nil
}

// ResponseCheck is what VerifyResponses found for one study.
type ResponseCheck struct {
	Stored      int64    // responses stored
	Respondents int64    // distinct respondents among them
	Missing     []string // expected response ids that are not stored
}

// VerifyResponses checks that every response id a client was given is
// stored, and counts stored responses and distinct respondents, so that a
// load or fault run can prove nothing acknowledged was lost and nothing
// stored twice.
func (s *Store) VerifyResponses(ctx context.Context, studyID string, ids []string) (ResponseCheck, error) {
	var out ResponseCheck
	db := s.db.WithContext(ctx)
	err := db.Model(&responseRow{}).Where("study_id = ?", studyID).
		Select("COUNT(*) AS stored, COUNT(DISTINCT respondent) AS respondents").Row().Scan(&out.Stored, &out.Respondents)
	if err != nil {
		return out, fmt.Errorf("store: unable to count responses: %w", err)
	}
	for from := 0; from < len(ids); from += inListChunk {
		chunk := ids[from:min(len(ids), from+inListChunk)]
		var found []string
		if err := db.Model(&responseRow{}).Where("study_id = ? AND id IN ?", studyID, chunk).Pluck("id", &found).Error; err != nil {
			return out, fmt.Errorf("store: unable to look up responses: %w", err)
		}
		have := make(map[string]bool, len(found))
		for _, id := range found {
			have[id] = true
		}
		for _, id := range chunk {
			if !have[id] {
				out.Missing = append(out.Missing, id)
			}
		}
	}
	return out, nil
}
