package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

func runCmd(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestBadDatabaseIsOneLineExit1(t *testing.T) {
	cases := map[string]string{
		"postgres://alice:s3cret-pw@127.0.0.1:1/nowhere": "alice:***@",
		"mysql://root@localhost/x":                       "malformed DSN",
		"sqlite:":                                        "malformed DSN",
		"sqlite:/no/such/folder/b.db":                    "does not exist",
	}
	for dsn, want := range cases {
		for _, cmd := range [][]string{{"serve", "--addr", "127.0.0.1:0"}, {"migrate", "up"}, {"keys", "create", "--role", "admin", "--name", "x"}} {
			code, _, stderr := runCmd(append(cmd, "--db", dsn)...)
			if code != 1 {
				t.Errorf("%v %s: exit %d, want 1", cmd, dsn, code)
			}
			if strings.Count(strings.TrimSpace(stderr), "\n") != 0 || !strings.HasPrefix(stderr, "brandlift: ") {
				t.Errorf("%v %s: want one line, got %q", cmd, dsn, stderr)
			}
			if !strings.Contains(stderr, want) || strings.Contains(stderr, "s3cret") {
				t.Errorf("%v %s: stderr %q lacks %q or leaks the password", cmd, dsn, stderr, want)
			}
		}
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{{}, {"fly"}, {"migrate"}, {"migrate", "down"}, {"keys", "create", "--role", "boss", "--name", "x"},
		{"keys", "create", "--role", "admin"}, {"serve", "--nope"}, {"serve", "--log-format", "xml", "--db", "sqlite:" + filepath.Join(t.TempDir(), "x.db")}} {
		if code, _, _ := runCmd(args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
	if code, out, _ := runCmd("version"); code != 0 || !strings.HasPrefix(out, "brandlift ") {
		t.Errorf("version: %d %q", code, out)
	}
}

func TestMigrateAndKeys(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := surveytest.DSN(t, d)
			code, out, _ := runCmd("migrate", "status", "--db", dsn)
			if code != 0 || !strings.Contains(out, "pending") {
				t.Fatalf("status before: %d %q", code, out)
			}
			code, out, _ = runCmd("migrate", "up", "--db", dsn)
			if code != 0 || !strings.Contains(out, "applied 0001_studies") {
				t.Fatalf("up: %d %q", code, out)
			}
			code, out, _ = runCmd("migrate", "up", "--db", dsn)
			if code != 0 || !strings.Contains(out, "up to date") {
				t.Fatalf("second up: %d %q", code, out)
			}
			code, out, _ = runCmd("migrate", "status", "--db", dsn)
			if code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "applied 20") {
				t.Fatalf("status after: %d %q", code, out)
			}

			code, out, stderr := runCmd("keys", "create", "--role", "analyst", "--name", "dash", "--db", dsn)
			if code != 0 {
				t.Fatalf("keys create: %d %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			key := lines[len(lines)-1]
			if !strings.HasPrefix(key, survey.KeyPrefix) || strings.Contains(key, " ") {
				t.Fatalf("last line is not the key alone: %q", out)
			}
			st, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			k, err := st.Authenticate(context.Background(), key)
			if err != nil || k.Role != survey.RoleAnalyst || k.Name != "dash" {
				t.Fatalf("key does not authenticate: %+v %v", k, err)
			}
			var stored []string
			st.DB().Raw("SELECT hash FROM api_keys").Scan(&stored)
			for _, h := range stored {
				if strings.Contains(h, key) || len(h) != 64 {
					t.Errorf("stored %q is not a SHA-256 hex hash", h)
				}
			}
		})
	}
}

// TestServeFinishesInFlightRequests builds the binary, starts serve, and
// sends SIGTERM while a request body is still arriving: the request must
// complete and the process exit 0.
func TestServeFinishesInFlightRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "brandlift")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "b.db")
	code, out, _ := runCmd("keys", "create", "--role", "marketer", "--name", "slow", "--db", dsn)
	if code != 0 {
		t.Fatal(out)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	key := lines[len(lines)-1]
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--log-format", "json", "--db", dsn)
	stdout, _ := cmd.StdoutPipe()
	var logs bytes.Buffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("no listening line: %v; logs %s", err, logs.String())
	}
	base := strings.TrimSpace(line[strings.Index(line, "http://"):])
	addr := strings.TrimPrefix(base, "http://")

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	// The handler is reading this body when the signal arrives.
	body := `{"name":"slow","questions":[{"key":"q","type":"nps","text":{"ru":"Оцените"}}]}`
	fmt.Fprintf(conn, "POST /api/v1/studies HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"+
		"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", key, len(body), body[:5])
	time.Sleep(200 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGTERM)
	time.Sleep(300 * time.Millisecond)
	io.WriteString(conn, body[5:])
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("in-flight request dropped: %v", err)
	}
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("in-flight request got %d, want 201", resp.StatusCode)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v; logs %s", err, logs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Errorf("no JSON shutdown log: %s", logs.String())
	}
	if _, err := os.Stat(filepath.Dir(bin)); err != nil {
		t.Fatal(err)
	}
}

func testLog(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
