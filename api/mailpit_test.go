package api

import (
	"encoding/json"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// mailpitVersion is the Mailpit .ci/run installs.
const mailpitVersion = "v1.33.1"

// mailpit is a real SMTP server for the invitation tests, with an HTTP
// API to read what arrived. Recipients outside example.com are refused
// with 550, as a receiving server refuses an unknown mailbox.
type mailpit struct {
	smtpAddr, api string
	cmd           *exec.Cmd
}

// mailpitBinary finds Mailpit: $MAILPIT, then PATH, then GOPATH/bin.
func mailpitBinary() string {
	if p := os.Getenv("MAILPIT"); p != "" {
		return p
	}
	if p, err := exec.LookPath("mailpit"); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", "mailpit")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// freePort is a loopback address nobody listens on right now.
func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// startMailpit starts Mailpit with SMTP on smtpAddr ("" for a free port)
// and stops it when the test ends.
func startMailpit(t *testing.T, smtpAddr string) *mailpit {
	t.Helper()
	bin := mailpitBinary()
	if bin == "" {
		t.Skipf("the invitation tests need Mailpit: go install github.com/axllent/mailpit@%s (.ci/run does)", mailpitVersion)
	}
	if smtpAddr == "" {
		smtpAddr = freePort(t)
	}
	m := &mailpit{smtpAddr: smtpAddr, api: "http://" + freePort(t)}
	m.cmd = exec.Command(bin, "--smtp", smtpAddr, "--listen", strings.TrimPrefix(m.api, "http://"),
		"--smtp-allowed-recipients", `@example\.com$`, "--database", filepath.Join(t.TempDir(), "mailpit.db"))
	var log strings.Builder
	m.cmd.Stdout, m.cmd.Stderr = &log, &log
	if err := m.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.cmd.Process.Kill(); m.cmd.Wait() })
	for deadline := time.Now().Add(15 * time.Second); ; {
		if res, err := http.Get(m.api + "/api/v1/info"); err == nil {
			res.Body.Close()
			if conn, err := net.Dial("tcp", smtpAddr); err == nil {
				conn.Close()
				return m
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start: %s", log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mailpitMessage is a received message as Mailpit's API shows it.
type mailpitMessage struct {
	ID      string
	Subject string
	To      []struct{ Address string }
	Text    string
	HTML    string
	Headers map[string][]string
}

func (m *mailpit) get(t *testing.T, path string, v any) {
	t.Helper()
	res, err := http.Get(m.api + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("mailpit %s: %s", path, res.Status)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// messages reads every received message in full, by recipient.
func (m *mailpit) messages(t *testing.T) map[string][]mailpitMessage {
	t.Helper()
	var list struct {
		Messages []struct{ ID string }
	}
	m.get(t, "/api/v1/messages?limit=500", &list)
	out := map[string][]mailpitMessage{}
	for _, s := range list.Messages {
		var msg mailpitMessage
		m.get(t, "/api/v1/message/"+s.ID, &msg)
		m.get(t, "/api/v1/message/"+s.ID+"/headers", &msg.Headers)
		for _, to := range msg.To {
			out[to.Address] = append(out[to.Address], msg)
		}
	}
	return out
}
