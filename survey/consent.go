package survey

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// ConsentVersion is one text of a study's personal-data consent, kept as
// proof of what respondents accepted (152-FZ: consent is a document of its
// own). Changing a study's consent adds a version; none is overwritten,
// and every response names the version it accepted.
type ConsentVersion struct {
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	Texts     Text      `json:"texts"`
	// SHA256 is, per locale, the hash of the exact text: what each
	// response stores beside the version (see ConsentHash).
	SHA256 map[string]string `json:"sha256"`
}

// ConsentHash is the proof kept with a response of which consent text was
// shown: SHA-256 of the exact text in the respondent's locale.
func ConsentHash(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}
