package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// TestExportColumnNamesAreUnique builds a study whose question key equals
// another question's option column, and expects distinct column names.
func TestExportColumnNamesAreUnique(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	st := newLiveStudy(t, s, func(in *survey.StudyInput) {
		var q survey.QuestionInput
		json.Unmarshal([]byte(`{"key":"brands_acme","type":"text","required":false,"text":{"ru":"?","en":"?"}}`), &q)
		qs := append(*in.Questions, q)
		in.Questions = &qs
	})
	e, err := s.NewExport(context.Background(), st.ID, store.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, name := range e.ColumnNames() {
		if seen[name] {
			t.Fatalf("column %s twice in %v", name, e.ColumnNames())
		}
		seen[name] = true
	}
	if !seen["q_brands_acme"] || !seen["q_brands_acme_2"] {
		t.Errorf("columns %v", e.ColumnNames())
	}
}
