package survey

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
		day := r.CompletedAt.UTC().Format("2006-01-02")
		for _, sl := range st.tallySlots(answers) {
			want[fmt.Sprintf("tally|%s|%s|%v|%s|%s", r.CellID, r.Grp, flagged, sl.question, sl.value)]++
			want[fmt.Sprintf("daily|%s|%s|%v|%s|%s", day, r.Grp, flagged, sl.question, sl.value)]++
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
