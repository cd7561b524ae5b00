package survey_test

import (
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// exampleSecret is the key of docs/INTEGRATION.md: bytes 0, 1, ... 31.
func exampleSecret() []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

const (
	examplePayload = `{"s":"Xk3vQ9pL2mN8rT5wYz1aBc","r":"u-1","g":"exposed","a":{"age":"25-34","region":"msk"},"x":1798761600}`
	exampleToken   = "eyJzIjoiWGszdlE5cEwybU44clQ1d1l6MWFCYyIsInIiOiJ1LTEiLCJnIjoiZXhwb3NlZCIsImEiOnsiYWdlIjoiMjUtMzQiLCJyZWdpb24iOiJtc2sifSwieCI6MTc5ODc2MTYwMH0.u2cOEcWAqjinkod3XHDLZdB5vqjvShhfXFPmVBNKZOk"
)

// TestTokenWorkedExample checks the worked example of docs/INTEGRATION.md:
// our signer gives the documented token for the documented payload, our
// verifier accepts it, and the document shows exactly these values.
func TestTokenWorkedExample(t *testing.T) {
	if got := base64.RawURLEncoding.EncodeToString(exampleSecret()); got != "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8" {
		t.Fatalf("secret encodes as %s", got)
	}
	tok := survey.Token{Study: "Xk3vQ9pL2mN8rT5wYz1aBc", RID: "u-1", Group: survey.GroupExposed,
		Attrs: map[string]string{"age": "25-34", "region": "msk"}, Expires: 1798761600}
	if got := tok.Sign(exampleSecret()); got != exampleToken {
		t.Fatalf("Sign = %s\nwant   %s", got, exampleToken)
	}
	body, _, _ := strings.Cut(exampleToken, ".")
	if raw, _ := base64.RawURLEncoding.DecodeString(body); string(raw) != examplePayload {
		t.Fatalf("payload %s", raw)
	}
	st := survey.StudyWithKeys("Xk3vQ9pL2mN8rT5wYz1aBc", exampleSecret(), 0.3)
	got, err := st.VerifyToken(exampleToken, time.Unix(1798761599, 0))
	if err != nil || got.RID != "u-1" || got.Attrs["region"] != "msk" {
		t.Fatalf("verify: %+v %v", got, err)
	}
	if _, err := st.VerifyToken(exampleToken, time.Unix(1798761600, 0)); !errors.Is(err, survey.ErrTokenExpired) {
		t.Errorf("at expiry: %v", err)
	}
	doc, err := os.ReadFile("../docs/INTEGRATION.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{exampleToken, examplePayload, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"} {
		if !strings.Contains(string(doc), s) {
			t.Errorf("docs/INTEGRATION.md does not show %q", s)
		}
	}
}

func TestTokenRejections(t *testing.T) {
	st := survey.StudyWithKeys("pk", exampleSecret(), 0.5)
	now := time.Now()
	good := st.SignToken(&survey.Token{RID: "u", Group: survey.GroupControl})
	if _, err := st.VerifyToken(good, now); err != nil {
		t.Fatal(err)
	}
	body, sig, _ := strings.Cut(good, ".")
	flip := func(s string) string {
		b := []byte(s)
		if b[3] == 'A' {
			b[3] = 'B'
		} else {
			b[3] = 'A'
		}
		return string(b)
	}
	other := survey.StudyWithKeys("pk2", exampleSecret(), 0.5)
	cases := map[string]struct {
		token string
		want  error
	}{
		"signature changed":  {body + "." + flip(sig), survey.ErrTokenSignature},
		"payload changed":    {flip(body) + "." + sig, survey.ErrTokenMalformed},
		"no signature":       {body, survey.ErrTokenMalformed},
		"empty":              {"", survey.ErrTokenMalformed},
		"not base64":         {"!!!.???", survey.ErrTokenMalformed},
		"other study":        {other.SignToken(&survey.Token{RID: "u", Group: survey.GroupControl}), survey.ErrTokenSignature},
		"unknown field":      {signRaw(`{"s":"pk","r":"u","z":1}`), survey.ErrTokenMalformed},
		"bad group":          {signRaw(`{"s":"pk","r":"u","g":"both"}`), survey.ErrTokenMalformed},
		"bad attribute name": {signRaw(`{"s":"pk","r":"u","a":{"Bad Name":"x"}}`), survey.ErrTokenMalformed},
		"no rid":             {signRaw(`{"s":"pk"}`), survey.ErrTokenMalformed},
		"too long":           {strings.Repeat("a", survey.MaxTokenLength+1), survey.ErrTokenMalformed},
	}
	for name, c := range cases {
		if _, err := st.VerifyToken(c.token, now); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", name, err, c.want)
		}
	}
}

func signRaw(payload string) string {
	tok := base64.RawURLEncoding.EncodeToString([]byte(payload))
	return tok + "." + strings.TrimPrefix(survey.SignForTest(exampleSecret(), tok), tok+".")
}

func TestSecretRotationGrace(t *testing.T) {
	st := survey.StudyWithKeys("pk", exampleSecret(), 0.5)
	old := st.SignToken(&survey.Token{RID: "u", Group: survey.GroupControl})
	groupBefore := st.HoldoutGroup("u")
	now := time.Now()
	st.RotateForTest([]byte("a brand new secret of 32 bytes!!"), now.Add(time.Hour))
	if _, err := st.VerifyToken(old, now); err != nil {
		t.Errorf("old token during grace: %v", err)
	}
	if _, err := st.VerifyToken(old, now.Add(2*time.Hour)); !errors.Is(err, survey.ErrTokenSignature) {
		t.Errorf("old token after grace: %v", err)
	}
	if _, err := st.VerifyToken(st.SignToken(&survey.Token{RID: "u", Group: survey.GroupControl}), now.Add(2*time.Hour)); err != nil {
		t.Errorf("new token: %v", err)
	}
	if st.HoldoutGroup("u") != groupBefore {
		t.Error("rotation moved a respondent between groups")
	}
}
