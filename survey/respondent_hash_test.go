package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

// TestRespondentHasher: the reusable hasher gives, call after call, the
// documented HMAC (keyed by the assignment key, "respondent\x00" + rid,
// first 16 bytes in hex), as RespondentHash does.
func TestRespondentHasher(t *testing.T) {
	key := []byte("assignment-key-of-the-study")
	st := &Study{}
	st.SetKeys(NewSigningKeys([]byte("secret"), nil, nil, key))
	hash := st.RespondentHasher()
	for _, rid := range []string{"u-1", "", "очень-длинный-идентификатор-респондента-" + string(make([]byte, 200)), "u-1", "u-2"} {
		m := hmac.New(sha256.New, key)
		m.Write([]byte("respondent\x00" + rid))
		want := hex.EncodeToString(m.Sum(nil)[:16])
		if got := hash(rid); got != want {
			t.Errorf("hasher(%q) = %s, want %s", rid, got, want)
		}
		if got := st.RespondentHash(rid); got != want {
			t.Errorf("RespondentHash(%q) = %s, want %s", rid, got, want)
		}
	}
}
