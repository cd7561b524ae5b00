package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionOf(t *testing.T) {
	rev := "cc958d728c5c40d54537ebf62b52b69a07409e91"
	vcs := []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.time", Value: "2026-12-02T01:43:57Z"}}
	for _, c := range []struct {
		linked string
		info   *debug.BuildInfo
		want   string
	}{
		{"", nil, "dev"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev"},
		{"v1.2.3", nil, "v1.2.3"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "v1.4.0"}, Settings: vcs}, "v1.4.0 (cc958d728c5c, 2026-12-02T01:43:57Z)"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261202014357-cc958d728c5c"}, Settings: vcs}, "devel (cc958d728c5c, 2026-12-02T01:43:57Z)"},
		{"", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
			Settings: append(vcs, debug.BuildSetting{Key: "vcs.modified", Value: "true"})}, "devel (cc958d728c5c, 2026-12-02T01:43:57Z, modified)"},
	} {
		if got := versionOf(c.linked, c.info); got != c.want {
			t.Errorf("versionOf(%q, %+v) = %q, want %q", c.linked, c.info, got, c.want)
		}
	}
}

// TestBuiltVersionNamesTheCommit builds the binary in this clone, as a
// person would with go build, and reads its version: it names HEAD.
func TestBuiltVersionNamesTheCommit(t *testing.T) {
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Skipf("not a git clone: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "brandlift")
	// -buildvcs=true because some machines set GOFLAGS=-buildvcs=false.
	build := exec.Command("go", "build", "-buildvcs=true", "-o", bin, ".")
	build.Env = append(os.Environ(), "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.TrimSpace(string(head))[:12]; !strings.Contains(string(out), want) {
		t.Errorf("version %q does not name commit %s", out, want)
	}
}

// TestEveryCommandHasHelp: "brandlift COMMAND -h" prints that command's
// help and exits 0, as the usage text promises.
func TestEveryCommandHasHelp(t *testing.T) {
	for _, cmd := range []string{"serve", "demo", "migrate", "keys", "users", "loadtest", "verify"} {
		code, out, errOut := runCmd(cmd, "-h")
		if code != 0 || !strings.Contains(out+errOut, "brandlift "+cmd) {
			t.Errorf("%s -h: exit %d\n%s%s", cmd, code, out, errOut)
		}
	}
	for _, args := range [][]string{{"keys", "create", "-h"}, {"users", "create", "-h"}, {"migrate", "up", "-h"}} {
		if code, _, errOut := runCmd(args...); code != 0 || !strings.Contains(errOut, "-db") {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}
}
