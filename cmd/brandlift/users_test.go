package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// TestFirstAdminHint: serve on a database without users says how to
// create the first admin, and says nothing once there is one.
func TestFirstAdminHint(t *testing.T) {
	ctx := context.Background()
	s, err := openStore(ctx, "sqlite:"+filepath.Join(t.TempDir(), "b.db"), testLog(t))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var buf strings.Builder
	log := slog.New(slog.NewTextHandler(&buf, nil))
	firstAdminHint(ctx, s, log)
	if !strings.Contains(buf.String(), "brandlift users create --role admin") || !strings.Contains(buf.String(), envAdminEmail) {
		t.Fatalf("no hint on an empty database: %q", buf.String())
	}
	if _, err := s.CreateUser(ctx, "first@example.com", survey.RoleAdmin, randomPassword()); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	firstAdminHint(ctx, s, log)
	if buf.Len() != 0 {
		t.Errorf("a hint although an admin exists: %q", buf.String())
	}
}
