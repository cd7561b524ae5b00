package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// poisonTrigger makes the database itself refuse any response whose
// attributes say "poison", as PostgreSQL refuses U+0000: a real refusal
// by the database of one row's data, which validation did not foresee.
var poisonTrigger = map[store.Dialect][]string{
	store.SQLite: {`CREATE TRIGGER poison BEFORE INSERT ON responses WHEN NEW.attrs LIKE '%poison%'
		BEGIN SELECT RAISE(ABORT, 'poisoned row'); END`},
	store.Postgres: {`CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.attrs::text LIKE '%poison%' THEN RAISE EXCEPTION 'poisoned row' USING ERRCODE = '23514'; END IF; RETURN NEW; END $$`,
		`CREATE TRIGGER poison BEFORE INSERT ON responses FOR EACH ROW EXECUTE FUNCTION poison()`},
}

// TestOneRefusedSubmissionFailsAlone: 1 poisoned and 255 valid
// submissions at once, several times over, so that they share group
// commits. Every valid one is stored; the poisoned one alone is refused,
// every time it is sent.
func TestOneRefusedSubmissionFailsAlone(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		for _, stmt := range poisonTrigger[s.Dialect()] {
			if err := s.DB().Exec(stmt).Error; err != nil {
				t.Fatal(err)
			}
		}
		st := newLiveStudy(t, s, nil)
		ctx := context.Background()
		poison := st.SignToken(&survey.Token{RID: "bad", Group: survey.GroupExposed, Attrs: map[string]string{"mark": "poison"}})
		for round := 0; round < 3; round++ {
			const valid = 255
			errs := make([]error, valid+1)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := 0; i <= valid; i++ {
				tok := poison
				if i < valid {
					tok = token(st, fmt.Sprintf("r%d-%d", round, i), survey.GroupControl)
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: goodAnswers()})
					if err == nil && res.Duplicate {
						err = errors.New("reported duplicate")
					}
					errs[i] = err
				}()
			}
			close(start)
			wg.Wait()
			for i, err := range errs[:valid] {
				if err != nil {
					t.Fatalf("round %d: valid submission %d failed beside the poisoned one: %v", round, i, err)
				}
			}
			if !errors.Is(errs[valid], store.ErrRefused) {
				t.Fatalf("round %d: poisoned submission: %v, want ErrRefused", round, errs[valid])
			}
		}
		check, err := s.VerifyResponses(ctx, st.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if check.Stored != 3*255 || check.Respondents != check.Stored {
			t.Errorf("stored %d responses of %d respondents, want %d", check.Stored, check.Respondents, 3*255)
		}
		if err := s.VerifyTallies(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
	})
}
