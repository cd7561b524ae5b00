package surveytest_test

import (
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestCheckStudyScoped: on every test store, a query on a traffic table
// that does not name the study fails, and one that does runs.
func TestCheckStudyScoped(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			s := surveytest.New(t, d)
			var rows []map[string]any
			err := s.DB().Table("responses").Where("respondent = ?", "x").Find(&rows).Error
			if err == nil || !strings.Contains(err.Error(), "a query on responses without study_id") {
				t.Errorf("unscoped select: %v", err)
			}
			err = s.DB().Exec(`UPDATE tallies SET n = n + 1 WHERE question_key = 'q'`).Error
			if err == nil || !strings.Contains(err.Error(), "a query on tallies without study_id") {
				t.Errorf("unscoped update: %v", err)
			}
			var n int64
			err = s.DB().Raw(`SELECT COUNT(*) FROM exposures e JOIN responses r ON r.study_id = e.study_id`).Scan(&n).Error
			if err == nil {
				t.Error("a join without a study in its condition passed")
			}
			if err := s.DB().Table("responses").Where("study_id = ? AND respondent = ?", "s", "x").Find(&rows).Error; err != nil {
				t.Errorf("scoped select: %v", err)
			}
			if err := s.DB().Table("studies").Find(&rows).Error; err != nil {
				t.Errorf("a reference table: %v", err)
			}
		})
	}
}
