package survey

import (
	"encoding/base64"
	"time"
)

// StudyWithKeys builds a study around known keys, for worked examples.
func StudyWithKeys(publicKey string, secret []byte, controlShare float64) *Study {
	st := &Study{PublicKey: publicKey, keys: SigningKeys{secret: secret, assignment: secret}}
	st.ControlShare = controlShare
	st.Kind, st.Assignment = KindBrandLift, AssignSignedLink
	return st
}

// RotateForTest gives the study a new secret and keeps the old one valid until until.
func (st *Study) RotateForTest(newSecret []byte, until time.Time) {
	st.keys.previous, st.keys.previousUntil, st.keys.secret = st.keys.secret, &until, newSecret
}

// SignForTest signs an arbitrary body as tokens are signed.
func SignForTest(secret []byte, body string) string {
	return body + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(secret, body))
}
