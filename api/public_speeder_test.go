package api

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// timedStudy is the example study, launched two hours ago so that a
// started_at in the past hour is after its launch.
func (a *testApp) timedStudy() survey.Study {
	a.t.Helper()
	st := a.launched(nil)
	launched := time.Now().UTC().Add(-2 * time.Hour)
	if err := a.store.DB().Exec("UPDATE studies SET launched_at = ? WHERE id = ?", launched, st.ID).Error; err != nil {
		a.t.Fatal(err)
	}
	return st
}

// storedTiming is what the responses table holds for a response.
type storedTiming struct {
	StartedAt  *time.Time
	DurationMs *int64
	Flags      string
}

func (a *testApp) storedTiming(studyID, id string) storedTiming {
	a.t.Helper()
	var r storedTiming
	if err := a.store.DB().Table("responses").Select("started_at, duration_ms, flags").
		Where("study_id = ? AND id = ?", studyID, id).Take(&r).Error; err != nil {
		a.t.Fatal(err)
	}
	return r
}

// TestPublicSpeederTiming posts started_at and duration_ms; the example
// answers answer 4 questions, so the floor is 6 s.
func TestPublicSpeederTiming(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.timedStudy()
		ago := func(d time.Duration) string { return time.Now().Add(-d).UTC().Format(time.RFC3339Nano) }
		for i, c := range []struct {
			name           string
			fields         map[string]any
			minMs, maxMs   int64
			hasStart       bool
			speeder        bool
			startNearMsAgo int64
		}{
			{"started_at 3 s ago", map[string]any{"started_at": ago(3 * time.Second)}, 3000, 13000, true, true, 3000},
			{"started_at a minute ago", map[string]any{"started_at": ago(time.Minute)}, 60000, 70000, true, false, 60000},
			{"started_at in another zone", map[string]any{"started_at": time.Now().Add(-time.Minute).In(time.FixedZone("MSK", 3*3600)).Format(time.RFC3339)},
				59000, 70000, true, false, 60000},
			{"duration_ms 2 s", map[string]any{"duration_ms": 2000}, 2000, 2000, false, true, 0},
			{"duration_ms 45 s", map[string]any{"duration_ms": 45000}, 45000, 45000, false, false, 0},
			{"both: duration_ms is used", map[string]any{"started_at": ago(50 * time.Second), "duration_ms": 5000 + 40000}, 45000, 45000, true, false, 50000},
			{"both, a speeder", map[string]any{"started_at": ago(40 * time.Second), "duration_ms": 4000}, 4000, 4000, true, true, 40000},
		} {
			body := map[string]any{"token": app.links(st, map[string]any{"rid": fmt.Sprint("t-", i), "group": "exposed"})[0].Token,
				"answers": exampleAnswers}
			for k, v := range c.fields {
				body[k] = v
			}
			var reply SubmitReply
			app.do("POST", "/api/v1/public/responses", "", body).status(http.StatusCreated).decode(&reply)
			r := app.storedTiming(st.ID, reply.ID)
			if r.DurationMs == nil || *r.DurationMs < c.minMs || *r.DurationMs > c.maxMs {
				t.Errorf("%s: duration %v, want %d to %d ms", c.name, fmtPtr(r.DurationMs), c.minMs, c.maxMs)
			}
			if (r.StartedAt != nil) != c.hasStart {
				t.Errorf("%s: started_at %v", c.name, r.StartedAt)
			}
			if r.StartedAt != nil {
				if off := time.Since(*r.StartedAt).Milliseconds() - c.startNearMsAgo; off < -1000 || off > 10000 {
					t.Errorf("%s: started_at %v is %d ms off", c.name, r.StartedAt, off)
				}
			}
			if (r.Flags == survey.FlagSpeeder) != c.speeder {
				t.Errorf("%s: flags %q, speeder %v", c.name, r.Flags, c.speeder)
			}
		}
	})
}

// TestPublicSpeederStampWins: the page's signed stamp is measured by the
// server and beats what the client says.
func TestPublicSpeederStampWins(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.timedStudy()
		full, err := app.store.Study(context.Background(), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok := app.links(st, map[string]any{"rid": "stamped", "group": "exposed"})[0].Token
		stamp := full.StartStamp(full.RespondentHash("stamped"), time.Now().Add(-90*time.Second))
		var reply SubmitReply
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers,
			"started": stamp, "started_at": time.Now().Add(-2 * time.Second).Format(time.RFC3339), "duration_ms": 1500}).
			status(http.StatusCreated).decode(&reply)
		r := app.storedTiming(st.ID, reply.ID)
		if r.DurationMs == nil || *r.DurationMs < 90000 || *r.DurationMs > 100000 || r.Flags != "" {
			t.Errorf("stored %v ms, flags %q; want the stamp's 90 s, no flag", fmtPtr(r.DurationMs), r.Flags)
		}
	})
}

// TestPublicSpeederMedian: from the 31st complete with a duration, half
// the median decides; 20 s is above the floor and below half of 60 s.
func TestPublicSpeederMedian(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.timedStudy()
		respondents := make([]map[string]any, survey.SpeederMinCompletes+1)
		for i := range respondents {
			respondents[i] = map[string]any{"rid": fmt.Sprint("m-", i), "group": "control"}
		}
		links := app.links(st, respondents...)
		post := func(l Link, ms int) string {
			var reply SubmitReply
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token, "answers": exampleAnswers, "duration_ms": ms}).
				status(http.StatusCreated).decode(&reply)
			return app.storedTiming(st.ID, reply.ID).Flags
		}
		for _, l := range links[:survey.SpeederMinCompletes-1] {
			post(l, 60000)
		}
		if f := post(links[survey.SpeederMinCompletes-1], 20000); f != "" {
			t.Errorf("30th at 20 s: flags %q, want none (the floor)", f)
		}
		if f := post(links[survey.SpeederMinCompletes], 20000); f != survey.FlagSpeeder {
			t.Errorf("31st at 20 s: flags %q, want speeder (half the median)", f)
		}
	})
}

// TestPublicSpeederTimingRefused: each impossible timing is a 422 naming
// its field, and nothing is stored.
func TestPublicSpeederTimingRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.timedStudy()
		ago := func(d time.Duration) string { return time.Now().Add(-d).UTC().Format(time.RFC3339) }
		for i, c := range []struct {
			name   string
			fields map[string]any
			status int
			field  string
		}{
			{"started_at in the future", map[string]any{"started_at": ago(-time.Minute)}, 422, "started_at"},
			{"started_at before the launch", map[string]any{"started_at": ago(3 * time.Hour)}, 422, "started_at"},
			{"started_at over a day ago", map[string]any{"started_at": ago(25 * time.Hour)}, 422, "started_at"},
			{"duration_ms negative", map[string]any{"duration_ms": -1}, 422, "duration_ms"},
			{"duration_ms over a day", map[string]any{"duration_ms": 86_400_001}, 422, "duration_ms"},
			{"duration_ms longer than since started_at", map[string]any{"started_at": ago(10 * time.Second), "duration_ms": 60000}, 422, "duration_ms"},
			{"duration_ms ends long before the post", map[string]any{"started_at": ago(time.Hour), "duration_ms": 60000}, 422, "duration_ms"},
			{"started_at not a time", map[string]any{"started_at": "yesterday"}, 400, "started_at"},
			{"duration_ms not an integer", map[string]any{"duration_ms": 1.5}, 400, "duration_ms"},
		} {
			body := map[string]any{"token": app.links(st, map[string]any{"rid": fmt.Sprint("r-", i), "group": "exposed"})[0].Token,
				"answers": exampleAnswers}
			for k, v := range c.fields {
				body[k] = v
			}
			p := app.do("POST", "/api/v1/public/responses", "", body).status(c.status).problem()
			if len(p.Errors) != 1 || p.Errors[0].Field != c.field {
				t.Errorf("%s: errors %+v, want one on %s", c.name, p.Errors, c.field)
			}
		}
		var n int64
		app.store.DB().Table("responses").Where("study_id = ?", st.ID).Count(&n)
		if n != 0 {
			t.Errorf("%d responses stored, want none", n)
		}
	})
}

func fmtPtr(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
