package api

import (
	"fmt"
	"strings"
)

// snippet is a small program that mints a survey link for one study, in a
// language the integration panel offers. Each signs exactly as
// survey.Token.Sign does (docs/INTEGRATION.md) and reads the secret from
// the environment variable BRANDLIFT_SECRET, so that the page never
// carries it; dash_integration_test.go runs all three against the server.
type snippet struct {
	ID, Name, File, Run, Code string
}

// mintSnippets writes the three programs for a study; signed says the
// study's group goes in the link (the second argument).
func mintSnippets(baseURL, publicKey string, signed bool) []snippet {
	return []snippet{
		{ID: "snippet-go", Name: "Go", File: "mint.go", Run: runLine("go run mint.go", signed), Code: goSnippet(baseURL, publicKey, signed)},
		{ID: "snippet-python", Name: "Python", File: "mint.py", Run: runLine("python3 mint.py", signed), Code: pythonSnippet(baseURL, publicKey, signed)},
		{ID: "snippet-js", Name: "JavaScript (Node.js)", File: "mint.js", Run: runLine("node mint.js", signed), Code: jsSnippet(baseURL, publicKey, signed)},
	}
}

func runLine(cmd string, signed bool) string {
	if signed {
		return "BRANDLIFT_SECRET=... " + cmd + " u-1 exposed"
	}
	return "BRANDLIFT_SECRET=... " + cmd + " u-1"
}

func goSnippet(baseURL, publicKey string, signed bool) string {
	group := ""
	if signed {
		group = `	group := "exposed" // or "control": this study takes the group from the link
	if len(os.Args) > 2 {
		group = os.Args[2]
	}
	payload["g"] = group
`
	}
	return fmt.Sprintf(`// Mints a Brandlift survey link. Usage: BRANDLIFT_SECRET=... go run mint.go RID
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

const (
	baseURL   = %q
	publicKey = %q
)

// mint signs base64url(payload) with HMAC-SHA256 under the study secret.
func mint(secretB64 string, payload map[string]any) (string, error) {
	if secretB64 == "" {
		return "", errors.New("set BRANDLIFT_SECRET to the study's secret")
	}
	secret, err := base64.RawURLEncoding.DecodeString(secretB64)
	if err != nil {
		return "", err
	}
	js, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	body := base64.RawURLEncoding.EncodeToString(js)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(body))
	return body + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)), nil
}

func main() {
	rid := "u-1"
	if len(os.Args) > 1 {
		rid = os.Args[1]
	}
	payload := map[string]any{"s": publicKey, "r": rid}
%s	// Optional: segment attributes, an expiry in Unix seconds, a language.
	// payload["a"] = map[string]string{"age": "25-34", "region": "msk"}
	// payload["x"] = 1798761600
	// payload["l"] = "ru"
	token, err := mint(os.Getenv("BRANDLIFT_SECRET"), payload)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(baseURL + "/s/" + publicKey + "?t=" + token)
}
`, baseURL, publicKey, group)
}

func pythonSnippet(baseURL, publicKey string, signed bool) string {
	group := ""
	if signed {
		group = `# This study takes the group from the link: "exposed" or "control".
payload["g"] = sys.argv[2] if len(sys.argv) > 2 else "exposed"
`
	}
	return fmt.Sprintf(`# Mints a Brandlift survey link. Usage: BRANDLIFT_SECRET=... python3 mint.py RID
import base64, hashlib, hmac, json, os, sys

BASE_URL = %q
PUBLIC_KEY = %q


def b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).rstrip(b"=").decode()


def mint(secret_b64url: str, payload: dict) -> str:
    secret = base64.urlsafe_b64decode(secret_b64url + "=" * (-len(secret_b64url) %% 4))
    body = b64url(json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode())
    return body + "." + b64url(hmac.new(secret, body.encode(), hashlib.sha256).digest())


secret = os.environ.get("BRANDLIFT_SECRET")
if not secret:
    sys.exit("set BRANDLIFT_SECRET to the study's secret")
rid = sys.argv[1] if len(sys.argv) > 1 else "u-1"
payload = {"s": PUBLIC_KEY, "r": rid}
%s# Optional: segment attributes, an expiry in Unix seconds, a language.
# payload["a"] = {"age": "25-34", "region": "msk"}
# payload["x"] = 1798761600
# payload["l"] = "ru"
print(BASE_URL + "/s/" + PUBLIC_KEY + "?t=" + mint(secret, payload))
`, baseURL, publicKey, group)
}

func jsSnippet(baseURL, publicKey string, signed bool) string {
	group := ""
	if signed {
		group = `// This study takes the group from the link: "exposed" or "control".
payload.g = process.argv[3] || "exposed";
`
	}
	return strings.TrimLeft(fmt.Sprintf(`
// Mints a Brandlift survey link. Usage: BRANDLIFT_SECRET=... node mint.js RID
const { createHmac } = require("node:crypto");

const BASE_URL = %q;
const PUBLIC_KEY = %q;

const b64url = (buf) => Buffer.from(buf).toString("base64url");

function mint(secretB64url, payload) {
  const body = b64url(JSON.stringify(payload));
  const sig = createHmac("sha256", Buffer.from(secretB64url, "base64url")).update(body).digest();
  return body + "." + b64url(sig);
}

const secret = process.env.BRANDLIFT_SECRET;
if (!secret) {
  console.error("set BRANDLIFT_SECRET to the study's secret");
  process.exit(1);
}
const payload = { s: PUBLIC_KEY, r: process.argv[2] || "u-1" };
%s// Optional: segment attributes, an expiry in Unix seconds, a language.
// payload.a = { age: "25-34", region: "msk" };
// payload.x = 1798761600;
// payload.l = "ru";
console.log(BASE_URL + "/s/" + PUBLIC_KEY + "?t=" + mint(secret, payload));
`, baseURL, publicKey, group), "\n")
}
