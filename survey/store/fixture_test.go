package store_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// studyJSON is a brand-lift study with every question type.
const studyJSON = `{
 "name": "Fixture", "brand": "Acme", "locales": ["ru","en"], "control_share": 0.5,
 "questions": [
  {"key":"recall","type":"single_choice","metric":"ad_recall","text":{"ru":"Видели?","en":"Seen?"},
   "options":[{"key":"yes","text":{"ru":"Да","en":"Yes"},"positive":true},{"key":"no","text":{"ru":"Нет","en":"No"}}]},
  {"key":"brands","type":"multi_choice","metric":"awareness","text":{"ru":"Знаете?","en":"Know?"},
   "options":[{"key":"acme","text":{"ru":"Acme","en":"Acme"},"positive":true},{"key":"rival","text":{"ru":"Rival","en":"Rival"}},
              {"key":"none","text":{"ru":"Никого","en":"None"},"exclusive":true}]},
  {"key":"nps","type":"nps","text":{"ru":"NPS","en":"NPS"}},
  {"key":"r1","type":"rating","text":{"ru":"1","en":"1"}},
  {"key":"r2","type":"rating","text":{"ru":"2","en":"2"}},
  {"key":"r3","type":"rating","scale":7,"text":{"ru":"3","en":"3"}},
  {"key":"check","type":"single_choice","attention":"b","text":{"ru":"Выберите Б","en":"Pick B"},
   "options":[{"key":"a","text":{"ru":"А","en":"A"}},{"key":"b","text":{"ru":"Б","en":"B"}}]},
  {"key":"why","type":"text","required":false,"text":{"ru":"Почему?","en":"Why?"}}
 ]}`

// newLiveStudy creates the fixture study with changes applied, launched.
func newLiveStudy(t *testing.T, s *store.Store, change func(in *survey.StudyInput)) *survey.Study {
	t.Helper()
	return launchStudy(t, s, studyJSON, change)
}

// launchStudy creates the study the JSON describes, with changes applied,
// and launches it.
func launchStudy(t testing.TB, s *store.Store, studyJSON string, change func(in *survey.StudyInput)) *survey.Study {
	t.Helper()
	var in survey.StudyInput
	if err := json.Unmarshal([]byte(studyJSON), &in); err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(&in)
	}
	ctx := context.Background()
	st, err := s.CreateStudy(ctx, &in)
	if err != nil {
		t.Fatal(err)
	}
	st, err = s.Transition(ctx, st.ID, survey.Launch)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// goodAnswers answers every question, passing the attention check.
func goodAnswers() map[string]any {
	return map[string]any{
		"recall": "yes", "brands": []any{"acme", "rival"}, "nps": json.Number("9"),
		"r1": json.Number("4"), "r2": json.Number("5"), "r3": json.Number("2"), "check": "b", "why": "потому что",
	}
}

func token(st *survey.Study, rid string, g survey.Group) string {
	return st.SignToken(&survey.Token{RID: rid, Group: g, Attrs: map[string]string{"age": "25-34"}})
}
