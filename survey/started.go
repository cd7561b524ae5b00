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
