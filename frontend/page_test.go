package frontend

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestStepsProgressAndMinutes(t *testing.T) {
	p := examplePage("ru")
	if got := strings.Join(p.Steps(), ","); got != "q-recall,q-where,q-nps,q-csat,q-why" {
		t.Fatalf("steps %s", got)
	}
	if !p.AtFirst() || p.AtLast() || p.Progress() != 0.2 {
		t.Errorf("start: first %v last %v progress %v", p.AtFirst(), p.AtLast(), p.Progress())
	}
	// 10 + 15 + 10 + 10 + 40 s = 85 s: about 2 minutes.
	if m := p.Minutes(); m != 2 {
		t.Errorf("%d minutes", m)
	}
	p.Consent = "текст"
	p.Start = "q-why"
	if p.Steps()[0] != "consent" || p.AtFirst() || !p.AtLast() || p.Progress() != 1 {
		t.Errorf("with consent, on the last step: %v %v %v %v", p.Steps(), p.AtFirst(), p.AtLast(), p.Progress())
	}
	p.Start = "consent"
	if p.Progress() != 0 {
		t.Errorf("the consent step counts in the progress: %v", p.Progress())
	}
	p.Start = "q-nope"
	if p.StartStep() != "consent" {
		t.Errorf("an unknown start opens %q", p.StartStep())
	}
}

func TestShrink(t *testing.T) {
	js := "// a comment\n(function () {\n  // another\n  var a = 1; // kept: code first\n\n  return a;\n})();\n"
	if got := string(shrink("x.js", []byte(js))); got != "(function () {\nvar a = 1; // kept: code first\nreturn a;\n})();\n" {
		t.Errorf("js %q", got)
	}
	css := "/* head */\n.a {\n  color: red; /* why */\n}\n"
	if got := string(shrink("x.css", []byte(css))); got != ".a {\ncolor: red;\n}\n" {
		t.Errorf("css %q", got)
	}
}

func TestNegotiate(t *testing.T) {
	for header, want := range map[string]string{
		"gzip, deflate, br": "br", "gzip": "gzip", "br;q=0, gzip": "gzip", "identity": "", "": "", "GZIP;q=0.5": "gzip", "*": "",
	} {
		if got := Negotiate(header); got != want {
			t.Errorf("Negotiate(%q) = %q, want %q", header, got, want)
		}
	}
}

// TestStaticCompressed: the script comes gzip-encoded to a browser that
// takes it, plain to one that does not, with Vary either way.
func TestStaticCompressed(t *testing.T) {
	for _, accept := range []string{"gzip", ""} {
		req := httptest.NewRequest("GET", Asset("survey.js"), nil)
		req.Header.Set("Accept-Encoding", accept)
		rec := httptest.NewRecorder()
		Static().ServeHTTP(rec, req)
		var r io.Reader = rec.Body
		if accept == "gzip" {
			if rec.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("not compressed: %v", rec.Header())
			}
			zr, err := gzip.NewReader(rec.Body)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		body, _ := io.ReadAll(r)
		if !bytes.Contains(body, []byte("blSurvey")) || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: %d bytes, %v", accept, len(body), rec.Header())
		}
	}
}

func TestDayMonthAndMonth(t *testing.T) {
	d := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{DayMonth("ru", d), "16 нояб."}, {DayMonth("en", d), "16 Nov"},
		{Month("ru", d), "нояб. 2026"}, {Month("en", d), "Nov 2026"}, {Month("en", time.Time{}), "—"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
