package frontend

import "testing"

// TestGroupLabel: plain groups read as before; a cell's or a wave's arm
// names the group with its cell or wave.
func TestGroupLabel(t *testing.T) {
	for arm, want := range map[string]string{
		"exposed":           "Тестовая группа",
		"control":           "Контрольная группа",
		"exposed:video_15s": "Тестовая группа · video_15s",
		"post/control":      "post · Контрольная группа",
	} {
		if got := GroupLabel("ru", arm); got != want {
			t.Errorf("%s: %q, want %q", arm, got, want)
		}
	}
	if got := GroupLabel("en", "pre/exposed"); got != "pre · Exposed group" {
		t.Errorf("en: %q", got)
	}
	if GroupBase("pre/exposed") != "exposed" || GroupBase("exposed:a") != "exposed" {
		t.Error("GroupBase")
	}
}
