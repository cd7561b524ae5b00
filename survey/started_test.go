package survey_test

import (
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

func TestResponseTiming(t *testing.T) {
	now := time.Date(2026, 11, 16, 12, 0, 0, 0, time.UTC)
	launched := now.Add(-36 * time.Hour)
	st := &survey.Study{PublicKey: "pk", CreatedAt: launched.Add(-time.Hour), LaunchedAt: &launched}
	st.SetKeys(survey.NewSigningKeys(exampleSecret(), nil, nil, exampleSecret()))
	at := func(d time.Duration) *time.Time { v := now.Add(d); return &v }
	ms := func(v int64) *int64 { return &v }
	stamp := st.StartStamp("who", now.Add(-90*time.Second))
	for _, c := range []struct {
		name      string
		req       survey.SubmitRequest
		started   *time.Time
		duration  *int64
		badFields []string
	}{
		{"nothing", survey.SubmitRequest{}, nil, nil, nil},
		{"stamp", survey.SubmitRequest{Started: stamp}, at(-90 * time.Second), ms(90000), nil},
		{"stamp wins", survey.SubmitRequest{Started: stamp, StartedAt: at(-10 * time.Minute), DurationMs: ms(600_000)},
			at(-90 * time.Second), ms(90000), nil},
		{"stamp of another respondent", survey.SubmitRequest{Started: st.StartStamp("else", now.Add(-time.Minute)), DurationMs: ms(7000)},
			nil, ms(7000), nil},
		{"started_at", survey.SubmitRequest{StartedAt: at(-42 * time.Second)}, at(-42 * time.Second), ms(42000), nil},
		{"started_at within skew", survey.SubmitRequest{StartedAt: at(4 * time.Second)}, at(0), ms(0), nil},
		{"duration_ms", survey.SubmitRequest{DurationMs: ms(41250)}, nil, ms(41250), nil},
		{"duration_ms 0", survey.SubmitRequest{DurationMs: ms(0)}, nil, ms(0), nil},
		{"duration_ms a day", survey.SubmitRequest{DurationMs: ms(86_400_000)}, nil, ms(86_400_000), nil},
		{"both", survey.SubmitRequest{StartedAt: at(-60 * time.Second), DurationMs: ms(50000)}, at(-60 * time.Second), ms(50000), nil},
		{"both, posted 5 min late", survey.SubmitRequest{StartedAt: at(-6 * time.Minute), DurationMs: ms(60000)},
			at(-6 * time.Minute), ms(60000), nil},
		{"both, client clock 5 s ahead", survey.SubmitRequest{StartedAt: at(-55 * time.Second), DurationMs: ms(60000)},
			at(-55 * time.Second), ms(60000), nil},

		{"started_at in the future", survey.SubmitRequest{StartedAt: at(6 * time.Second)}, nil, nil, []string{"started_at"}},
		{"started_at over a day ago", survey.SubmitRequest{StartedAt: at(-24*time.Hour - time.Second)}, nil, nil, []string{"started_at"}},
		{"duration_ms negative", survey.SubmitRequest{DurationMs: ms(-1)}, nil, nil, []string{"duration_ms"}},
		{"duration_ms over a day", survey.SubmitRequest{DurationMs: ms(86_400_001)}, nil, nil, []string{"duration_ms"}},
		{"both, longer than since started_at", survey.SubmitRequest{StartedAt: at(-60 * time.Second), DurationMs: ms(65001)},
			nil, nil, []string{"duration_ms"}},
		{"both, ends long before the post", survey.SubmitRequest{StartedAt: at(-10 * time.Minute), DurationMs: ms(299_999)},
			nil, nil, []string{"duration_ms"}},
		{"both bad", survey.SubmitRequest{StartedAt: at(time.Minute), DurationMs: ms(-5)}, nil, nil,
			[]string{"started_at", "duration_ms"}},
		{"stamp wins, bad client values still refused", survey.SubmitRequest{Started: stamp, DurationMs: ms(-5)},
			at(-90 * time.Second), ms(90000), []string{"duration_ms"}},
	} {
		v := &survey.ValidationError{}
		started, duration := st.ResponseTiming(&c.req, "who", now, v)
		var fields []string
		for _, e := range v.Errors {
			fields = append(fields, e.Field)
		}
		if len(fields) != len(c.badFields) {
			t.Errorf("%s: errors %v, want fields %v", c.name, v.Errors, c.badFields)
		} else {
			for i := range fields {
				if fields[i] != c.badFields[i] || v.Errors[i].Code != survey.CodeInvalid {
					t.Errorf("%s: errors %v, want fields %v", c.name, v.Errors, c.badFields)
				}
			}
		}
		if len(c.badFields) > 0 && c.req.Started == "" {
			continue // refused: nothing to store
		}
		if (started == nil) != (c.started == nil) || started != nil && !started.Equal(*c.started) {
			t.Errorf("%s: started %v, want %v", c.name, started, c.started)
		}
		if (duration == nil) != (c.duration == nil) || duration != nil && *duration != *c.duration {
			t.Errorf("%s: duration %v, want %v", c.name, fmtMs(duration), fmtMs(c.duration))
		}
	}
}

// TestResponseTimingBeforeLaunch: tokens carry no issue time, so a
// started_at before the study went live is the one that cannot be true.
func TestResponseTimingBeforeLaunch(t *testing.T) {
	now := time.Date(2026, 11, 16, 12, 0, 0, 0, time.UTC)
	launched := now.Add(-time.Hour)
	st := &survey.Study{PublicKey: "pk", CreatedAt: launched.Add(-time.Hour), LaunchedAt: &launched}
	for _, c := range []struct {
		at time.Time
		ok bool
	}{
		{launched.Add(-6 * time.Second), false},
		{launched.Add(-5 * time.Second), true}, // within the clock skew
		{launched, true},
	} {
		v := &survey.ValidationError{}
		st.ResponseTiming(&survey.SubmitRequest{StartedAt: &c.at}, "who", now, v)
		if ok := v.Err() == nil; ok != c.ok {
			t.Errorf("started %s before launch: ok %v, want %v (%v)", launched.Sub(c.at), ok, c.ok, v.Errors)
		}
		if !c.ok && (len(v.Errors) != 1 || v.Errors[0].Field != "started_at") {
			t.Errorf("errors %v, want started_at", v.Errors)
		}
	}
}

func fmtMs(p *int64) any {
	if p == nil {
		return nil
	}
	return *p
}
