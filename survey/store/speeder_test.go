package store_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"

	"gorm.io/gorm"
)

// The fixture study's goodAnswers answer 8 questions: a floor of 12 s.
const fixtureFloor = 8 * survey.SpeederFloorPerQuestion

// timed submits goodAnswers for rid as if the page was rendered d ago and
// returns the response's flags.
func timed(t *testing.T, s *store.Store, st *survey.Study, rid string, d time.Duration) string {
	t.Helper()
	ctx := context.Background()
	tok := token(st, rid, survey.GroupExposed)
	who, err := s.Respondent(ctx, st, tok)
	if err != nil {
		t.Fatal(err)
	}
	res, err := s.Submit(ctx, survey.SubmitRequest{Token: tok, Answers: goodAnswers(), Started: st.StartStamp(who.Hash, time.Now().Add(-d))})
	if err != nil {
		t.Fatal(err)
	}
	var flags string
	if err := s.DB().Table("responses").Select("flags").Where("study_id = ? AND id = ?", st.ID, res.ResponseID).Scan(&flags).Error; err != nil {
		t.Fatal(err)
	}
	return flags
}

func TestSpeederFloorOfANewStudy(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		if f := timed(t, s, st, "first", time.Minute); f != "" {
			t.Errorf("first at 60 s: flags %q", f)
		}
		if f := timed(t, s, st, "second", fixtureFloor-time.Second); f != survey.FlagSpeeder {
			t.Errorf("second at 11 s, below the 12 s floor: flags %q, want speeder", f)
		}
		if f := timed(t, s, st, "third", fixtureFloor+time.Second); f != "" {
			t.Errorf("third at 13 s: flags %q", f)
		}
	})
}

// TestSpeederMedianFromThe31st: the 30th complete is judged by the floor,
// and counts, the moment it is committed, for the 31st, which the median
// judges. Nothing is expired by hand: the old 5-second cache of the median
// missed exactly this.
func TestSpeederMedianFromThe31st(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		for i := 0; i < survey.SpeederMinCompletes-1; i++ {
			if f := timed(t, s, st, fmt.Sprint("slow-", i), time.Minute); f != "" {
				t.Fatalf("slow %d: flags %q", i, f)
			}
		}
		// 20 s: above the 12 s floor, below half the 60 s median.
		if f := timed(t, s, st, "30th", 20*time.Second); f != "" {
			t.Errorf("30th at 20 s, 29 completes before it: flags %q, want none (floor)", f)
		}
		if f := timed(t, s, st, "31st", 20*time.Second); f != survey.FlagSpeeder {
			t.Errorf("31st at 20 s, 30 completes before it: flags %q, want speeder (median)", f)
		}
		if f := timed(t, s, st, "32nd", 40*time.Second); f != "" {
			t.Errorf("32nd at 40 s: flags %q", f)
		}
		// Read again from the database, the histogram says the same.
		s.ExpireMedians()
		if f := timed(t, s, st, "33rd", 20*time.Second); f != survey.FlagSpeeder {
			t.Errorf("33rd at 20 s after a fresh read: flags %q, want speeder", f)
		}
	})
}

// TestSpeederMedianAcrossServers: two stores on one database, as two API
// servers. Each counts its own commits at once and the other's within
// DurationsRefresh: re-read by its committer after a commit, or by a
// submission when it has not committed for the study in twice as long.
func TestSpeederMedianAcrossServers(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := surveytest.DSN(t, d)
			a := surveytest.OpenMigrated(t, dsn)
			b := surveytest.OpenMigrated(t, dsn)
			st := newLiveStudy(t, a, nil)
			stB, err := b.Study(context.Background(), st.ID)
			if err != nil {
				t.Fatal(err)
			}
			timed(t, b, stB, "b-0", time.Minute) // b now holds the study's histogram: 1 complete
			for i := 0; i < survey.SpeederMinCompletes; i++ {
				timed(t, a, st, fmt.Sprint("a-", i), time.Minute)
			}
			if f := timed(t, a, st, "a-fast", 20*time.Second); f != survey.FlagSpeeder {
				t.Fatalf("a at 20 s: flags %q, want speeder", f)
			}

			// b's copy is older than the refresh but not twice: b's next
			// commit re-reads it, and the one after sees a's completes.
			b.AgeDurations(store.DurationsRefresh + store.DurationsRefresh/2)
			timed(t, b, stB, "b-1", time.Minute)
			if f := timed(t, b, stB, "b-fast", 20*time.Second); f != survey.FlagSpeeder {
				t.Errorf("b at 20 s after its committer's re-read: flags %q, want speeder", f)
			}

			// A second study, where b's copy has grown twice as old: the
			// submission itself reads again.
			st2 := newLiveStudy(t, a, nil)
			st2B, err := b.Study(context.Background(), st2.ID)
			if err != nil {
				t.Fatal(err)
			}
			timed(t, b, st2B, "b-0", time.Minute)
			for i := 0; i < survey.SpeederMinCompletes; i++ {
				timed(t, a, st2, fmt.Sprint("a-", i), time.Minute)
			}
			b.AgeDurations(2 * store.DurationsRefresh)
			if f := timed(t, b, st2B, "b-fast", 20*time.Second); f != survey.FlagSpeeder {
				t.Errorf("b at 20 s after its submission's re-read: flags %q, want speeder", f)
			}
		})
	}
}

// TestSpeederThresholdCostsNoQueryPerSubmission counts the reads of the
// durations table: a study's first submission reads it (and its commit
// once more, exactly); after that, at most the refreshes due by the clock.
func TestSpeederThresholdCostsNoQueryPerSubmission(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		st := newLiveStudy(t, s, nil)
		var reads atomic.Int64
		err := s.DB().Callback().Query().After("gorm:query").Register("count_durations", func(db *gorm.DB) {
			if db.Statement.Table == "durations" {
				reads.Add(1)
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		timed(t, s, st, "first", time.Minute)
		if n := reads.Load(); n < 1 || n > 2 {
			t.Errorf("first submission: %d reads of durations, want 1 or 2", n)
		}
		reads.Store(0)
		start := time.Now()
		const n = 40
		for i := 0; i < n; i++ {
			timed(t, s, st, fmt.Sprint("r-", i), time.Minute)
		}
		due := 2 * (1 + int64(time.Since(start)/store.DurationsRefresh))
		if got := reads.Load(); got > due {
			t.Errorf("%d submissions read durations %d times, want at most %d", n, got, due)
		}
	})
}
