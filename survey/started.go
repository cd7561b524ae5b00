package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"time"
)

// StartStamp returns a signed record of when the survey page was first
// rendered for this respondent. The page puts it in its form; on submit,
// the server reads the time back from it, so the duration it stores is
// measured by the server and a client cannot shorten or invent it.
func (st *Study) StartStamp(respondent string, at time.Time) string {
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(at.UnixMilli()))
	body := base64.RawURLEncoding.EncodeToString(ms[:])
	return body + "." + base64.RawURLEncoding.EncodeToString(st.stampMAC(respondent, body))
}

func (st *Study) stampMAC(respondent, body string) []byte {
	m := hmac.New(sha256.New, st.keys.secret)
	m.Write([]byte("started\x00" + respondent + "\x00" + body))
	return m.Sum(nil)[:16]
}

// ReadStartStamp returns the render time in a stamp made for this
// respondent, or false when the stamp is missing, forged, made for someone
// else, or in the future.
func (st *Study) ReadStartStamp(stamp, respondent string, now time.Time) (time.Time, bool) {
	body, sig, ok := strings.Cut(stamp, ".")
	if !ok {
		return time.Time{}, false
	}
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(mac, st.stampMAC(respondent, body)) {
		return time.Time{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil || len(raw) != 8 {
		return time.Time{}, false
	}
	at := time.UnixMilli(int64(binary.BigEndian.Uint64(raw))).UTC()
	if at.After(now) {
		return time.Time{}, false
	}
	return at, true
}

// Limits on the timing an API client reports with a response.
const (
	// ClockSkew is how far ahead of ours a client's clock may run: a
	// started_at up to this far in the future counts as now.
	ClockSkew = 5 * time.Second
	// MaxDuration is the longest completion time a response may report,
	// also the last bucket of the durations histogram.
	MaxDuration = 24 * time.Hour
	// TimingTolerance is how much longer the time from started_at to our
	// receipt may be than duration_ms: the respondent's last answer
	// travels through the panel's server and may be retried after an
	// outage, and a retry must not be refused for it. Five minutes still
	// catches seconds sent as milliseconds in a survey of more than five
	// minutes, and a started_at in the wrong time zone (a whole hour off).
	TimingTolerance = 5 * time.Minute
)

// ResponseTiming decides when a respondent started and how long they took.
// The page's signed stamp, when it verifies for this respondent, wins: it
// was measured by the server. Otherwise it is what an API client sent:
// duration_ms as given, or the time since started_at. The client's values
// are checked whether or not the stamp wins, each problem added to v under
// its field name:
//
//   - started_at not after now+ClockSkew; not more than MaxDuration before
//     now; not before the study went live (minus ClockSkew). Tokens carry
//     no issue time, so launch is the earliest moment a respondent can have
//     opened a link of the study;
//   - duration_ms from 0 to MaxDuration;
//   - with both, started_at+duration_ms between now-TimingTolerance and
//     now+ClockSkew: the respondent cannot have answered for longer than
//     the time since they started, nor finished long before the post.
//
// Either result may be nil; a duration from started_at alone is never
// negative.
func (st *Study) ResponseTiming(req *SubmitRequest, respondent string, now time.Time, v *ValidationError) (*time.Time, *int64) {
	startedAt, durationMs := st.clientTiming(req.StartedAt, req.DurationMs, now, v)
	if at, ok := st.ReadStartStamp(req.Started, respondent, now); ok {
		d := now.Sub(at).Milliseconds()
		return &at, &d
	}
	return startedAt, durationMs
}

// clientTiming validates an API client's started_at and duration_ms and
// returns what to store; nil for a value missing or refused.
func (st *Study) clientTiming(startedAt *time.Time, durationMs *int64, now time.Time, v *ValidationError) (*time.Time, *int64) {
	before := len(v.Errors)
	if startedAt != nil {
		live := st.CreatedAt
		if st.LaunchedAt != nil {
			live = *st.LaunchedAt
		}
		switch at := *startedAt; {
		case at.After(now.Add(ClockSkew)):
			v.AddCode("started_at", CodeInvalid, "is in the future (%s; the server's time is %s)",
				at.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		case at.Before(now.Add(-MaxDuration)):
			v.AddCode("started_at", CodeInvalid, "is more than a day before now")
		case at.Before(live.Add(-ClockSkew)):
			v.AddCode("started_at", CodeInvalid, "is before the study went live (%s): no link of it could be opened then",
				live.UTC().Format(time.RFC3339))
		}
	}
	if durationMs != nil && (*durationMs < 0 || *durationMs > MaxDuration.Milliseconds()) {
		v.AddCode("duration_ms", CodeInvalid, "must be from 0 to %d (a day)", MaxDuration.Milliseconds())
	}
	if len(v.Errors) > before {
		return nil, nil
	}
	var at *time.Time
	if startedAt != nil {
		t := startedAt.UTC()
		if t.After(now) { // within the skew: it started now
			t = now.UTC()
		}
		at = &t
	}
	switch {
	case at != nil && durationMs != nil:
		end := startedAt.Add(time.Duration(*durationMs) * time.Millisecond)
		switch {
		case end.After(now.Add(ClockSkew)):
			v.AddCode("duration_ms", CodeInvalid, "is longer than the time since started_at (%d ms)",
				now.Sub(*startedAt).Milliseconds())
		case end.Before(now.Add(-TimingTolerance)):
			v.AddCode("duration_ms", CodeInvalid,
				"does not fit started_at: started_at plus duration_ms is %s before now, more than the %d minutes allowed",
				now.Sub(end).Round(time.Second), int(TimingTolerance.Minutes()))
		default:
			return at, durationMs
		}
		return nil, nil
	case at != nil:
		d := now.Sub(*at).Milliseconds()
		return at, &d
	}
	return nil, durationMs
}
