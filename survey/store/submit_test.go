package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

func TestSubmitStoresOnceUnderConcurrency(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		tok := token(st, "u-1", survey.GroupExposed)
		const n = 50
		results := make([]survey.SubmitResult, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				results[i], errs[i] = s.Submit(context.Background(), survey.SubmitRequest{Token: tok, Answers: goodAnswers()})
			}()
		}
		close(start)
		wg.Wait()
		created := 0
		for i := range results {
			if errs[i] != nil {
				t.Fatalf("submit %d: %v", i, errs[i])
			}
			if results[i].ResponseID != results[0].ResponseID {
				t.Fatalf("submit %d got id %s, first got %s", i, results[i].ResponseID, results[0].ResponseID)
			}
			if !results[i].Duplicate {
				created++
			}
		}
		if created != 1 {
			t.Errorf("%d submissions reported created, want 1", created)
		}
		var count int64
		s.DB().Table("responses").Where("study_id = ?", st.ID).Count(&count)
		if count != 1 {
			t.Fatalf("%d responses stored, want 1", count)
		}
		if err := s.VerifyTallies(context.Background(), st.ID); err != nil {
			t.Fatal(err)
		}
		// A later repeat answers with the same id.
		again, err := s.Submit(context.Background(), survey.SubmitRequest{Token: tok, Answers: goodAnswers()})
		if err != nil || !again.Duplicate || again.ResponseID != results[0].ResponseID {
			t.Fatalf("repeat: %+v %v", again, err)
		}
	})
}

// TestManyRespondentsConcurrently fills batches with distinct respondents
// and checks every running count against a recount.
func TestManyRespondentsConcurrently(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for i := 0; i < 200; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				g := survey.GroupExposed
				if i%3 == 0 {
					g = survey.GroupControl
				}
				a := goodAnswers()
				a["recall"] = []string{"yes", "no"}[i%2]
				a["nps"] = json.Number(fmt.Sprint(i % 11))
				if i%5 == 0 {
					a["check"] = "a" // fails the attention check
				}
				_, err := s.Submit(context.Background(), survey.SubmitRequest{Token: token(st, fmt.Sprintf("r-%d", i), g), Answers: a,
					UserAgent: []string{"Mozilla/5.0 (iPhone)", "Mozilla/5.0 (X11; Linux)"}[i%2]})
				if err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		if err := s.VerifyTallies(context.Background(), st.ID); err != nil {
			t.Fatal(err)
		}
		var flagged int64
		s.DB().Table("responses").Where("study_id = ? AND flags = ?", st.ID, survey.FlagAttention).Count(&flagged)
		if flagged != 40 {
			t.Errorf("%d attention flags, want 40", flagged)
		}
	})
}

func TestSubmitErrors(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, nil)
		other := newLiveStudy(t, s, nil)
		tok := token(st, "u-1", survey.GroupExposed)
		submit := func(tok string, a map[string]any) error {
			_, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: a})
			return err
		}
		if err := submit(tok[:len(tok)-2]+"xx", goodAnswers()); !errors.Is(err, survey.ErrTokenSignature) {
			t.Errorf("tampered: %v", err)
		}
		if err := submit("garbage", goodAnswers()); !errors.Is(err, survey.ErrTokenMalformed) {
			t.Errorf("garbage: %v", err)
		}
		// A token signed by another study's secret but naming this study.
		forged := other.SignToken(&survey.Token{RID: "u-1", Group: survey.GroupExposed})
		forgedPeek, _ := survey.PeekToken(forged)
		if forgedPeek.Study != other.PublicKey {
			t.Fatal("SignToken must name its own study")
		}
		if err := submit(forged, goodAnswers()); err != nil {
			t.Errorf("a valid token of another study is valid there: %v", err)
		}
		expired := st.SignToken(&survey.Token{RID: "u-2", Group: survey.GroupExposed, Expires: time.Now().Add(-time.Minute).Unix()})
		if err := submit(expired, goodAnswers()); !errors.Is(err, survey.ErrTokenExpired) {
			t.Errorf("expired: %v", err)
		}
		noGroup := st.SignToken(&survey.Token{RID: "u-3"})
		if err := submit(noGroup, goodAnswers()); !errors.Is(err, survey.ErrTokenMalformed) {
			t.Errorf("signed_link without group: %v", err)
		}

		bad := map[string]any{"recall": "maybe", "brands": []any{"acme", "none"}, "nps": json.Number("11"),
			"r1": json.Number("0"), "r2": "5", "r3": json.Number("4.5"), "why": strings.Repeat("я", 2001), "extra": 1}
		var ve *survey.ValidationError
		if err := submit(tok, bad); !errors.As(err, &ve) {
			t.Fatalf("bad answers: %v", err)
		}
		want := map[string]string{"answers.recall": "invalid", "answers.brands": "exclusive", "answers.nps": "invalid",
			"answers.r1": "invalid", "answers.r2": "invalid", "answers.r3": "invalid", "answers.why": "too_long",
			"answers.extra": "unknown_question", "answers.check": "required"}
		got := map[string]string{}
		for _, e := range ve.Errors {
			got[e.Field] = e.Code
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("errors\n got %v\nwant %v", got, want)
		}
		var count int64
		s.DB().Table("responses").Where("study_id = ?", st.ID).Count(&count)
		if count != 0 {
			t.Errorf("refused submissions stored %d rows", count)
		}
		s.Transition(ctx, st.ID, survey.Pause)
		var ce *survey.ConflictError
		if err := submit(tok, goodAnswers()); !errors.As(err, &ce) || ce.Status != survey.StatusPaused {
			t.Errorf("paused: %v", err)
		}
	})
}

func TestQuotasAndAutoClose(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, func(in *survey.StudyInput) {
			target, yes := int64(2), true
			in.TargetPerGroup, in.AutoClose = &target, &yes
		})
		submit := func(rid string, g survey.Group, a map[string]any) error {
			_, err := s.Submit(ctx, survey.SubmitRequest{Token: token(st, rid, g), Answers: a})
			return err
		}
		flaggedAnswers := goodAnswers()
		flaggedAnswers["check"] = "a"
		for i, step := range []struct {
			rid     string
			g       survey.Group
			a       map[string]any
			wantErr error
		}{
			{"e1", survey.GroupExposed, goodAnswers(), nil},
			{"e2", survey.GroupExposed, flaggedAnswers, nil}, // flagged: does not count
			{"e3", survey.GroupExposed, goodAnswers(), nil},
			{"e4", survey.GroupExposed, goodAnswers(), survey.ErrGroupFull},
			{"c1", survey.GroupControl, goodAnswers(), nil},
		} {
			if err := submit(step.rid, step.g, step.a); !errors.Is(err, step.wantErr) {
				t.Fatalf("step %d: %v, want %v", i, err, step.wantErr)
			}
		}
		full, _ := s.GroupFull(ctx, st, survey.GroupExposed)
		if !full {
			t.Error("exposed should be full")
		}
		if err := submit("c2", survey.GroupControl, goodAnswers()); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Study(ctx, st.ID)
		if got.Status != survey.StatusClosed {
			t.Errorf("study did not close itself when full: %s", got.Status)
		}
		var ce *survey.ConflictError
		if err := submit("c3", survey.GroupControl, goodAnswers()); !errors.As(err, &ce) || ce.Status != survey.StatusClosed {
			t.Errorf("after auto-close: %v", err)
		}
	})
}

func TestExposureAssignmentAndErasure(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, func(in *survey.StudyInput) {
			a := survey.AssignExposure
			in.Assignment = &a
		})
		for i := 0; i < 3; i++ {
			if err := s.RecordImpression(ctx, st, survey.Impression{RID: "seen", Creative: fmt.Sprint("cr-", i), Placement: "p"}); err != nil {
				t.Fatal(err)
			}
		}
		exp, err := s.Exposure(ctx, st, "seen")
		if err != nil || exp.Count != 3 || exp.Creative != "cr-2" || exp.FirstSeen.After(exp.LastSeen) {
			t.Fatalf("exposure %+v %v", exp, err)
		}
		plain := func(rid string) string { return st.SignToken(&survey.Token{RID: rid}) }
		for _, rid := range []string{"seen", "unseen"} {
			if _, err := s.Submit(ctx, survey.SubmitRequest{Token: plain(rid), Answers: goodAnswers()}); err != nil {
				t.Fatal(err)
			}
		}
		type row struct {
			Grp       string
			Frequency *int
		}
		var rows []row
		s.DB().Table("responses").Select("grp, frequency").Where("study_id = ?", st.ID).Order("grp").Scan(&rows)
		if len(rows) != 2 || rows[0].Grp != "control" || *rows[0].Frequency != 0 || rows[1].Grp != "exposed" || *rows[1].Frequency != 3 {
			t.Fatalf("groups from exposure: %+v", rows)
		}
		// The raw rid is never stored.
		var leaks int64
		s.DB().Table("responses").Where("respondent IN ?", []string{"seen", "unseen"}).Count(&leaks)
		if leaks != 0 {
			t.Error("raw rid stored")
		}
		erased, err := s.EraseRespondent(ctx, st.ID, "seen")
		if err != nil || erased.Responses != 1 || erased.Exposures != 1 {
			t.Fatalf("erase: %+v %v", erased, err)
		}
		if err := s.VerifyTallies(ctx, st.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Exposure(ctx, st, "seen"); !errors.Is(err, survey.ErrNotFound) {
			t.Errorf("exposure survived erasure: %v", err)
		}
	})
}

func TestConsentAndDuration(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		st := newLiveStudy(t, s, func(in *survey.StudyInput) {
			in.Consent = &survey.Text{"ru": "Я согласен на обработку персональных данных", "en": "I agree"}
		})
		tok := token(st, "c-1", survey.GroupControl)
		var ve *survey.ValidationError
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: goodAnswers()}); !errors.As(err, &ve) || ve.Errors[0].Code != survey.CodeConsent {
			t.Fatalf("no consent: %v", err)
		}
		who, err := s.Respondent(ctx, st, tok)
		if err != nil {
			t.Fatal(err)
		}
		stamp := st.StartStamp(who.Hash, time.Now().Add(-42*time.Second))
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: goodAnswers(), Consent: true, Started: stamp, Locale: "en"}); err != nil {
			t.Fatal(err)
		}
		var r struct {
			DurationMs  *int64
			ConsentHash string
			ConsentAt   *time.Time
			Locale      string
		}
		s.DB().Table("responses").Where("study_id = ?", st.ID).Take(&r)
		if r.DurationMs == nil || *r.DurationMs < 42000 || *r.DurationMs > 50000 {
			t.Errorf("duration %v, want about 42 s", r.DurationMs)
		}
		if r.ConsentHash != survey.ConsentHash("I agree") || r.ConsentAt == nil || r.Locale != "en" {
			t.Errorf("consent proof %+v", r)
		}
		// A forged stamp gives no duration rather than a fake one.
		tok2 := token(st, "c-2", survey.GroupControl)
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok2, Answers: goodAnswers(), Consent: true, Started: stamp}); err != nil {
			t.Fatal(err)
		}
		var d *int64
		s.DB().Table("responses").Select("duration_ms").Where("study_id = ? AND locale = ?", st.ID, "ru").Scan(&d)
		if d != nil {
			t.Errorf("a stamp of another respondent gave duration %d", *d)
		}
	})
}

func TestSpeedersAndStraightliners(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	ctx := context.Background()
	st := newLiveStudy(t, s, nil)
	submitAfter := func(rid string, d time.Duration, a map[string]any) {
		t.Helper()
		tok := token(st, rid, survey.GroupExposed)
		who, _ := s.Respondent(ctx, st, tok)
		if _, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: a, Started: st.StartStamp(who.Hash, time.Now().Add(-d))}); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < survey.SpeederMinCompletes; i++ {
		submitAfter(fmt.Sprint("slow-", i), 60*time.Second, goodAnswers())
	}
	s.ExpireMedians()
	submitAfter("fast", 10*time.Second, goodAnswers())
	line := goodAnswers()
	line["r1"], line["r2"], line["r3"] = json.Number("5"), json.Number("5"), json.Number("7")
	submitAfter("line", 60*time.Second, line)
	flags := map[string]string{}
	var rows []struct {
		Respondent string
		Flags      string
	}
	s.DB().Table("responses").Select("respondent, flags").Where("study_id = ? AND flags <> ''", st.ID).Scan(&rows)
	for _, r := range rows {
		flags[r.Respondent] = r.Flags
	}
	if flags[st.RespondentHash("fast")] != survey.FlagSpeeder || flags[st.RespondentHash("line")] != survey.FlagStraightliner || len(flags) != 2 {
		t.Errorf("flags %v", flags)
	}
}
