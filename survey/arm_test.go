package survey_test

import (
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// cellToken is the worked example of a multi-cell, wave token in
// docs/INTEGRATION.md; Python's hmac module gives the same value.
const (
	cellPayload = `{"s":"Xk3vQ9pL2mN8rT5wYz1aBc","r":"u-2","g":"exposed","c":"video_b","w":"post"}`
	cellToken   = "eyJzIjoiWGszdlE5cEwybU44clQ1d1l6MWFCYyIsInIiOiJ1LTIiLCJnIjoiZXhwb3NlZCIsImMiOiJ2aWRlb19iIiwidyI6InBvc3QifQ.kY0FYFmWgOQAmSsHjgszkXb9vYl17FQF5_gZO-t-LXo"
)

func cellStudy() *survey.Study {
	st := survey.StudyWithKeys("Xk3vQ9pL2mN8rT5wYz1aBc", exampleSecret(), 0.3)
	st.Cells = []survey.CreativeCell{{Key: "video_a", Share: 0.6}, {Key: "video_b", Share: 0.4}}
	return st
}

// TestCellTokenWorkedExample: the documented cell token verifies and
// names its cell and wave; today's tokens (no c, no w) verify unchanged
// (TestTokenWorkedExample), and the document shows these values.
func TestCellTokenWorkedExample(t *testing.T) {
	tok := survey.Token{Study: "Xk3vQ9pL2mN8rT5wYz1aBc", RID: "u-2", Group: survey.GroupExposed, Cell: "video_b", Wave: "post"}
	if got := tok.Sign(exampleSecret()); got != cellToken {
		t.Fatalf("Sign = %s\nwant   %s", got, cellToken)
	}
	st := cellStudy()
	got, err := st.VerifyToken(cellToken, time.Now())
	if err != nil || got.Cell != "video_b" || got.Wave != "post" {
		t.Fatalf("verify: %+v %v", got, err)
	}
	if c, err := st.TokenCell(got, got.Group); err != nil || c != "video_b" {
		t.Errorf("TokenCell = %q, %v", c, err)
	}
	old, err := st.VerifyToken(exampleToken, time.Unix(1798761599, 0))
	if err != nil || old.Cell != "" || old.Wave != "" {
		t.Fatalf("today's token: %+v %v", old, err)
	}
	doc, err := os.ReadFile("../docs/INTEGRATION.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{cellToken, cellPayload} {
		if !strings.Contains(string(doc), s) {
			t.Errorf("docs/INTEGRATION.md does not show %q", s)
		}
	}
}

// TestTokenCellRules: an exposed respondent of a signed-link cell study
// needs a declared cell; nobody else may carry one.
func TestTokenCellRules(t *testing.T) {
	st := cellStudy()
	plain := survey.StudyWithKeys("p", exampleSecret(), 0.3)
	cases := []struct {
		st   *survey.Study
		tok  survey.Token
		want string // "" for no error, else part of the message
	}{
		{st, survey.Token{Group: survey.GroupExposed}, "needs c"},
		{st, survey.Token{Group: survey.GroupExposed, Cell: "video_c"}, "unknown cell"},
		{st, survey.Token{Group: survey.GroupControl, Cell: "video_a"}, "only exposed"},
		{st, survey.Token{Group: survey.GroupControl}, ""},
		{plain, survey.Token{Group: survey.GroupExposed, Cell: "video_a"}, "no cells"},
		{plain, survey.Token{Group: survey.GroupExposed}, ""},
	}
	for _, c := range cases {
		_, err := c.st.TokenCell(&c.tok, c.tok.Group)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%+v: %v", c.tok, err)
		case c.want != "" && (err == nil || !errors.Is(err, survey.ErrTokenMalformed) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%+v: %v, want %q", c.tok, err, c.want)
		}
	}
}

// TestHoldoutCellDocumentedValues: with the example key, control_share
// 0.3 and cells video_a 0.6, video_b 0.4, u-4 (u = 0.6933, x = 0.5618)
// lands in video_a and u-2 (u = 0.8720, x = 0.8172) in video_b, as the
// documented formula computed in Python says; control respondents have
// no cell. The shares hold over 60,000 rids.
func TestHoldoutCellDocumentedValues(t *testing.T) {
	st := cellStudy()
	st.Assignment = survey.AssignHoldout
	for rid, want := range map[string]string{"u-1": "", "u-2": "video_b", "u-3": "", "u-4": "video_a"} {
		if got := st.HoldoutCell(rid); got != want {
			t.Errorf("%s: cell %q, want %q", rid, got, want)
		}
	}
	counts := map[string]int{}
	for i := range 60000 {
		rid := "rid-" + strconv.Itoa(i)
		counts[st.HoldoutCell(rid)]++
	}
	for cell, share := range map[string]float64{"": 0.3, "video_a": 0.42, "video_b": 0.28} {
		if got := float64(counts[cell]) / 60000; got < share-0.01 || got > share+0.01 {
			t.Errorf("cell %q: share %.4f, want %.2f", cell, got, share)
		}
	}
}

// TestWaveFor: a token's wave must be declared and inside its dates; with
// no w the wave whose dates contain the moment is taken.
func TestWaveFor(t *testing.T) {
	day := func(d int) *time.Time { v := time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC); return &v }
	st := survey.StudyWithKeys("p", exampleSecret(), 0.3)
	st.Waves = []survey.Wave{{Key: "pre", StartsAt: day(1), EndsAt: day(8)}, {Key: "post", StartsAt: day(20), EndsAt: day(28)}}
	at := func(d int) time.Time { return *day(d) }
	for _, c := range []struct {
		w    string
		d    int
		want string
		err  error
	}{
		{"", 3, "pre", nil}, {"", 21, "post", nil}, {"", 12, "", survey.ErrWaveClosed},
		{"pre", 3, "pre", nil}, {"pre", 9, "", survey.ErrWaveClosed}, {"post", 3, "", survey.ErrWaveClosed},
		{"mid", 3, "", survey.ErrTokenMalformed},
	} {
		got, err := st.WaveFor(&survey.Token{Wave: c.w}, at(c.d))
		if got != c.want || !errors.Is(err, c.err) || (c.err == nil) != (err == nil) {
			t.Errorf("w=%q on day %d: %q, %v; want %q, %v", c.w, c.d, got, err, c.want, c.err)
		}
	}
	plain := survey.StudyWithKeys("p", exampleSecret(), 0.3)
	if _, err := plain.WaveFor(&survey.Token{Wave: "pre"}, at(3)); !errors.Is(err, survey.ErrTokenMalformed) {
		t.Errorf("a wave on a study without waves: %v", err)
	}
}

// TestArmRoundTrip: the stored arm takes apart into what built it.
func TestArmRoundTrip(t *testing.T) {
	for _, c := range []struct {
		wave  string
		group survey.Group
		cell  string
		arm   survey.Group
	}{
		{"", survey.GroupExposed, "", "exposed"}, {"", survey.GroupExposed, "video_a", "exposed:video_a"},
		{"post", survey.GroupControl, "", "post/control"}, {"", survey.GroupAll, "", "all"},
	} {
		arm := survey.Arm(c.wave, c.group, c.cell)
		w, g, cell := survey.SplitArm(arm)
		if arm != c.arm || w != c.wave || g != c.group || cell != c.cell || arm.Base() != c.group {
			t.Errorf("%+v: arm %q splits to %q %q %q", c, arm, w, g, cell)
		}
	}
}

// TestDesignValidation: every problem of cells and waves is named by path.
func TestDesignValidation(t *testing.T) {
	base := func() survey.Spec {
		s := survey.DefaultSpec()
		s.Name, s.DefaultLocale = "x", "ru"
		s.Questions = []survey.Question{{Key: "recall", Type: survey.SingleChoice, Metric: survey.AdRecall, Text: survey.Text{"ru": "Видели?"},
			Options: []survey.Option{{Key: "yes", Text: survey.Text{"ru": "Да"}, Positive: true}, {Key: "no", Text: survey.Text{"ru": "Нет"}}}}}
		return s
	}
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name  string
		edit  func(*survey.Spec)
		field string
	}{
		{"one cell", func(s *survey.Spec) { s.Cells = []survey.CreativeCell{{Key: "a"}} }, "cells"},
		{"bad key", func(s *survey.Spec) { s.Cells = []survey.CreativeCell{{Key: "A"}, {Key: "b"}} }, "cells[0].key"},
		{"duplicate", func(s *survey.Spec) { s.Cells = []survey.CreativeCell{{Key: "a"}, {Key: "a"}} }, "cells[1].key"},
		{"shares", func(s *survey.Spec) { s.Cells = []survey.CreativeCell{{Key: "a", Share: 0.5}, {Key: "b", Share: 0.4}} }, "cells"},
		{"exposure without creatives", func(s *survey.Spec) {
			s.Assignment = survey.AssignExposure
			s.Cells = []survey.CreativeCell{{Key: "a", Creatives: []string{"v1"}}, {Key: "b"}}
		}, "cells[1].creatives"},
		{"creative twice", func(s *survey.Spec) {
			s.Cells = []survey.CreativeCell{{Key: "a", Creatives: []string{"v1"}}, {Key: "b", Creatives: []string{"v1"}}}
		}, "cells[1].creatives[0]"},
		{"nps cells", func(s *survey.Spec) { s.Kind = survey.KindNPS; s.Cells = []survey.CreativeCell{{Key: "a"}, {Key: "b"}} }, "cells"},
		{"one wave", func(s *survey.Spec) { s.Waves = []survey.Wave{{Key: "pre"}} }, "waves"},
		{"wave ends first", func(s *survey.Spec) {
			s.Waves = []survey.Wave{{Key: "pre", StartsAt: &day, EndsAt: &day}, {Key: "post"}}
		}, "waves[0].ends_at"},
		{"cells and waves", func(s *survey.Spec) {
			s.Cells = []survey.CreativeCell{{Key: "a"}, {Key: "b"}}
			s.Waves = []survey.Wave{{Key: "pre"}, {Key: "post"}}
		}, "waves"},
		{"category", func(s *survey.Spec) { s.Category = "FMCG!" }, "category"},
	} {
		s := base()
		c.edit(&s)
		err := s.Validate()
		var v *survey.ValidationError
		if !errors.As(err, &v) {
			t.Errorf("%s: no validation error (%v)", c.name, err)
			continue
		}
		found := false
		for _, f := range v.Errors {
			found = found || f.Field == c.field
		}
		if !found {
			t.Errorf("%s: errors %v, want one on %s", c.name, v.Errors, c.field)
		}
	}
	ok := base()
	ok.Cells = []survey.CreativeCell{{Key: "a", Share: 0.7}, {Key: "b", Share: 0.3}}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid cells: %v", err)
	}
}
