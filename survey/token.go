package survey

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// Token is the signed payload of a respondent link. Its wire form is
//
//	base64url(payload JSON) "." base64url(HMAC-SHA256(secret, base64url(payload JSON)))
//
// without padding; docs/INTEGRATION.md shows how to mint one elsewhere.
type Token struct {
	Study   string            `json:"s"`           // the study's public key
	RID     string            `json:"r"`           // the respondent id of the ad server or panel
	Group   Group             `json:"g,omitempty"` // exposed or control (signed_link studies)
	Attrs   map[string]string `json:"a,omitempty"` // segment attributes: age, gender, region...
	Expires int64             `json:"x,omitempty"` // Unix seconds; 0 = never
	Locale  string            `json:"l,omitempty"` // preferred language
	// Cell is an exposed respondent's creative cell in a multi-cell
	// signed-link study; Wave the wave of a wave series. Both are absent
	// from every other study's tokens, so tokens minted before cells and
	// waves existed verify unchanged.
	Cell string `json:"c,omitempty"`
	Wave string `json:"w,omitempty"`
	// Ask is the invitation an email's links belong to: an nps program
	// asks one person again after its throttle window, and each ask is
	// answered once (see Study.ResponseKey).
	Ask string `json:"i,omitempty"`
}

// Token limits keep a link short enough for every ad server and browser.
const (
	MaxRIDLength   = 200
	MaxAttrs       = 20
	MaxAttrValue   = 100
	MaxTokenLength = 4096
)

var attrKeyPattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// IsKey reports whether s has the shape of an attribute, question or
// option key, `[a-z][a-z0-9_]{0,39}`: the only names the store ever puts
// into SQL text (as JSON paths).
func IsKey(s string) bool { return attrKeyPattern.MatchString(s) }

// Token errors; the respondent page and API map each to its own message.
var (
	ErrTokenMalformed = errors.New("token is malformed")
	ErrTokenSignature = errors.New("token signature does not match")
	ErrTokenExpired   = errors.New("token has expired")
)

// Sign returns the wire form of t signed with secret.
func (t *Token) Sign(secret []byte) string {
	payload, err := json.Marshal(t)
	if err != nil {
		panic("survey: token payload cannot be encoded: " + err.Error())
	}
	body := base64.RawURLEncoding.EncodeToString(payload)
	return body + "." + base64.RawURLEncoding.EncodeToString(tokenMAC(secret, body))
}

func tokenMAC(secret []byte, body string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(body))
	return m.Sum(nil)
}

// Validate checks the payload's fields, whoever minted it.
func (t *Token) Validate() error {
	v := &ValidationError{}
	if t.Study == "" {
		v.Add("s", "study public key is missing")
	}
	if msg := RIDProblem(t.RID); msg != "" {
		v.Add("r", "%s", msg)
	}
	switch t.Group {
	case "", GroupExposed, GroupControl:
	default:
		v.Add("g", "group must be exposed or control, got %q", t.Group)
	}
	if t.Cell != "" && !IsKey(t.Cell) {
		v.Add("c", "cell keys match %s, got %q", attrKeyPattern, t.Cell)
	}
	if t.Wave != "" && !IsKey(t.Wave) {
		v.Add("w", "wave keys match %s, got %q", attrKeyPattern, t.Wave)
	}
	if t.Ask != "" {
		if msg := AskProblem(t.Ask); msg != "" {
			v.Add("i", "ask id %s", msg)
		}
	}
	if len(t.Attrs) > MaxAttrs {
		v.Add("a", "at most %d attributes", MaxAttrs)
	}
	for k, val := range t.Attrs {
		if !attrKeyPattern.MatchString(k) {
			v.Add("a."+k, "attribute names must match %s", attrKeyPattern)
		}
		switch {
		case TextProblem(val) != "":
			v.Add("a."+k, "%s", TextProblem(val))
		case val == "" || utf8.RuneCountInString(val) > MaxAttrValue:
			v.Add("a."+k, "attribute values must be 1 to %d characters", MaxAttrValue)
		}
	}
	if t.Locale != "" && !contains(SupportedLocales, t.Locale) {
		v.Add("l", "unsupported locale %q", t.Locale)
	}
	return v.Err()
}

// RIDProblem says what is wrong with a respondent id from an ad server or
// panel, or "" when nothing is: 1 to MaxRIDLength bytes of single-line text.
func RIDProblem(rid string) string {
	if rid == "" || len(rid) > MaxRIDLength {
		return fmt.Sprintf("rid must be 1 to %d bytes of UTF-8", MaxRIDLength)
	}
	if msg := TextProblem(rid); msg != "" {
		return "rid " + msg
	}
	return ""
}

// PeekToken decodes a token's payload without checking its signature, to
// learn which study (and so which secret) it claims. Never trust the result
// before VerifyToken.
func PeekToken(s string) (*Token, error) {
	if len(s) > MaxTokenLength {
		return nil, ErrTokenMalformed
	}
	body, _, ok := strings.Cut(s, ".")
	if !ok || body == "" {
		return nil, ErrTokenMalformed
	}
	payload, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return nil, ErrTokenMalformed
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.DisallowUnknownFields()
	var t Token
	if err := dec.Decode(&t); err != nil || dec.More() {
		return nil, ErrTokenMalformed
	}
	if err := t.Validate(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrTokenMalformed, err)
	}
	return &t, nil
}

// VerifyToken checks a token against the study's secrets (the current one,
// or the previous one during its grace period) in constant time, then its
// expiry, and returns the payload.
func (st *Study) VerifyToken(s string, now time.Time) (*Token, error) {
	t, err := PeekToken(s)
	if err != nil {
		return nil, err
	}
	if t.Study != st.PublicKey {
		return nil, ErrTokenSignature // a token of another study
	}
	body, sig, _ := strings.Cut(s, ".")
	mac, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil {
		return nil, ErrTokenMalformed
	}
	valid := hmac.Equal(mac, tokenMAC(st.keys.secret, body))
	if !valid && st.keys.previous != nil && st.keys.previousUntil != nil && now.Before(*st.keys.previousUntil) {
		valid = hmac.Equal(mac, tokenMAC(st.keys.previous, body))
	}
	if !valid {
		return nil, ErrTokenSignature
	}
	if t.Expires != 0 && now.Unix() >= t.Expires {
		return nil, ErrTokenExpired
	}
	return t, nil
}

// SignToken signs a token with the study's current secret.
func (st *Study) SignToken(t *Token) string {
	t.Study = st.PublicKey
	return t.Sign(st.keys.secret)
}
