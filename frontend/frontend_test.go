package frontend

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"html/template"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

var langs = []string{"ru", "en"}

// messageKinds reads every Message* constant of page.go, so that a new
// kind without texts fails the test.
func messageKinds(t *testing.T) []string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "page.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Message") || i >= len(vs.Values) {
					continue
				}
				lit, ok := vs.Values[i].(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					continue
				}
				v, _ := strconv.Unquote(lit.Value)
				kinds = append(kinds, v)
			}
		}
	}
	if len(kinds) < 9 {
		t.Fatalf("found only %d message kinds in page.go: %v", len(kinds), kinds)
	}
	return kinds
}

var verb = regexp.MustCompile(`%[a-z]`)

func TestEveryKeyInBothLanguages(t *testing.T) {
	if len(messages) != len(langs) {
		t.Fatalf("messages has %d languages, want %v", len(messages), langs)
	}
	for _, a := range langs {
		for key, text := range messages[a] {
			if strings.TrimSpace(text) == "" {
				t.Errorf("%s: %q is empty", a, key)
			}
			for _, b := range langs {
				other, ok := messages[b][key]
				if !ok {
					t.Errorf("%q is in %s but not in %s", key, a, b)
					continue
				}
				if va, vb := verb.FindAllString(text, -1), verb.FindAllString(other, -1); strings.Join(va, "") != strings.Join(vb, "") {
					t.Errorf("%q: formats differ: %s %v, %s %v", key, a, va, b, vb)
				}
			}
		}
	}
}

// TestTemplateKeysExist checks that every key a template names literally
// has a text in both languages.
func TestTemplateKeysExist(t *testing.T) {
	use := regexp.MustCompile(`\bt \$?[\w.]* "([^"]+)"`)
	n := 0
	err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := templateFS.ReadFile(p)
		if err != nil {
			return err
		}
		for _, m := range use.FindAllStringSubmatch(string(b), -1) {
			n++
			for _, l := range langs {
				if _, ok := messages[l][m[1]]; !ok {
					t.Errorf("%s uses %q, which has no %s text", p, m[1], l)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 20 {
		t.Fatalf("found only %d uses of t in the templates; is the pattern stale?", n)
	}
}

func TestTFallsBack(t *testing.T) {
	if got := T("de", "submit"); got != messages["ru"]["submit"] {
		t.Errorf("unknown language: %q, want the Russian text", got)
	}
	if got := T("en", "no_such_key"); got != "no_such_key" {
		t.Errorf("unknown key: %q", got)
	}
}

func render(t *testing.T, name string, data any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, name, data); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if strings.Contains(out, "%!") {
		t.Errorf("a format went wrong in %s: %s", name, out)
	}
	return out
}

func esc(s string) string { return template.HTMLEscapeString(s) }

func TestMessagePages(t *testing.T) {
	for _, kind := range messageKinds(t) {
		for _, lang := range langs {
			out := render(t, "message", &MessagePage{Lang: lang, Kind: kind, Title: "Acme"})
			title, text := T(lang, "msg_"+kind+"_title"), T(lang, "msg_"+kind+"_text")
			if title == "msg_"+kind+"_title" || text == "msg_"+kind+"_text" {
				t.Errorf("%s/%s: no text for the kind", kind, lang)
			}
			if messages[lang]["msg_"+kind+"_title"] == "" || messages[lang]["msg_"+kind+"_text"] == "" {
				t.Errorf("%s/%s falls back to another language", kind, lang)
			}
			for _, want := range []string{`<html lang="` + lang + `">`, "<h1>" + esc(title) + "</h1>", esc(text), "Acme", Asset("survey.css")} {
				if !strings.Contains(out, want) {
					t.Errorf("%s/%s: missing %q in\n%s", kind, lang, want, out)
				}
			}
			if strings.Contains(out, "msg_") {
				t.Errorf("%s/%s shows a key: %s", kind, lang, out)
			}
		}
	}
	// No study: no brand line.
	out := render(t, "message", &MessagePage{Lang: "ru", Kind: MessageUnknownStudy})
	if strings.Contains(out, `class="eyebrow"`) {
		t.Errorf("brand line without a brand: %s", out)
	}
}

// examplePage is a page with every kind of question.
func examplePage(lang string) *SurveyPage {
	return &SurveyPage{
		Lang: lang, Title: "Acme", Action: "/s/pk", Token: "tok.sig", Started: "st.sig", Nonce: "n0nce",
		Questions: []Question{
			{Key: "recall", Type: "single_choice", Text: "Seen an ad?", Required: true, Number: 1, Total: 5,
				Options: []Option{{Key: "yes", Text: "Yes"}, {Key: "no", Text: "No"}}},
			{Key: "where", Type: "multi_choice", Text: "Where?", Required: true, Number: 2, Total: 5,
				Options: []Option{{Key: "tv", Text: "TV"}, {Key: "web", Text: "Web"}, {Key: "none", Text: "Nowhere", Exclusive: true}}},
			{Key: "nps", Type: "nps", Text: "Recommend?", Required: true, Number: 3, Total: 5, Scale: levels(0, 10)},
			{Key: "csat", Type: "rating", Text: "Rate us", Required: true, Number: 4, Total: 5, Scale: levels(1, 7)},
			{Key: "why", Type: "text", Text: "Why?", Number: 5, Total: 5},
		},
	}
}

func levels(lo, hi int) []Level {
	var out []Level
	for v := lo; v <= hi; v++ {
		out = append(out, Level{Value: v, Label: strconv.Itoa(v)})
	}
	return out
}

func TestSurveyPage(t *testing.T) {
	for _, lang := range langs {
		out := render(t, "survey", examplePage(lang))
		for _, want := range []string{
			`<html lang="` + lang + `">`,
			`<form class="card" id="survey" method="post" action="/s/pk" novalidate`,
			`<input type="hidden" name="t" value="tok.sig">`,
			`<input type="hidden" name="started" value="st.sig">`,
			`<input type="hidden" name="locale" value="` + lang + `">`,
			`<fieldset class="step q-single_choice on" id="q-recall" data-required>`, // the page opens on it
			`<fieldset class="step q-multi_choice" id="q-where"`,
			`<input type="radio" name="q.recall" value="yes" required>`,
			`<input type="checkbox" name="q.where" value="none" data-exclusive>`,
			`<input type="radio" name="q.nps" value="10" required>`,
			`<input type="radio" name="q.csat" value="7" required>`,
			`<textarea name="q.why" rows="4" maxlength="` + strconv.Itoa(survey.MaxTextAnswer) + `"`,
			esc(T(lang, "nps_low")), esc(T(lang, "nps_high")),
			esc(T(lang, "choose_many")), "7 " + esc(strings.TrimPrefix(T(lang, "rating_high"), "%d ")),
			// Submit shows from the last step; the plain form (no script) always shows it.
			`<button type="submit" class="btn off" id="send">` + esc(T(lang, "submit")) + `</button>`,
			`<script nonce="n0nce">`,
			Asset("survey.js"), Asset("survey.css"),
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: missing %q", lang, want)
			}
		}
		if n := strings.Count(out, "<fieldset"); n != 5 {
			t.Errorf("%s: %d fieldsets, want one per question", lang, n)
		}
		if n := strings.Count(out, "<legend>"); n != 5 {
			t.Errorf("%s: %d legends", lang, n)
		}
		for _, unwanted := range []string{`name="consent"`, `class="error"`, `id="summary"`, ` style=`, ` onclick=`} {
			if strings.Contains(out, unwanted) {
				t.Errorf("%s: unexpected %q", lang, unwanted)
			}
		}
	}
}

func TestSurveyPageErrors(t *testing.T) {
	for _, lang := range langs {
		p := examplePage(lang)
		p.Consent = "Consent text"
		p.ConsentError = true
		p.Questions[0].Error = "required"
		p.Questions[1].Error = "exclusive"
		p.Questions[1].Options[0].Checked = true
		p.Questions[1].Options[2].Checked = true
		p.Questions[2].Error = "invalid"
		p.Questions[4].Error = "too_long"
		p.Questions[4].Value = "long text"
		out := render(t, "survey", p)
		for _, want := range []string{
			`<p class="error" id="consent-err">` + esc(T(lang, "err_consent")) + `</p>`,
			`<p class="error" id="q-recall-err">` + esc(T(lang, "err_required")) + `</p>`,
			`<p class="error" id="q-where-err">` + esc(strings.Replace(T(lang, "err_exclusive"), "%s", "Nowhere", 1)) + `</p>`,
			`<p class="error" id="q-nps-err">` + esc(T(lang, "err_invalid")) + `</p>`,
			`<p class="error" id="q-why-err">` + esc(strings.Replace(T(lang, "err_too_long"), "%d", "2000", 1)) + `</p>`,
			`id="q-recall" data-required aria-describedby="q-recall-err">`,
			`id="q-where" data-required aria-describedby="q-where-err q-where-hint">`,
			`aria-describedby="q-why-err q-why-hint"`,
			`<input type="checkbox" name="q.where" value="tv" checked>`,
			`>long text</textarea>`,
			`<div class="summary" id="summary" role="alert"`,
			`<a href="#consent">`, `<a href="#q-recall">`, `<a href="#q-why">`,
			`<input type="checkbox" name="consent" value="yes">`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: missing %q", lang, want)
			}
		}
		if strings.Contains(out, `<a href="#q-csat">`) {
			t.Errorf("%s: the summary lists a question without an error", lang)
		}
	}
}

func TestSurveyPageConsent(t *testing.T) {
	p := examplePage("ru")
	p.Consent = "Согласие на обработку персональных данных: текст"
	out := render(t, "survey", p)
	consent := strings.Index(out, `<fieldset class="step consent on" id="consent"`) // the step the page opens on
	first := strings.Index(out, `id="q-recall"`)
	if consent < 0 || first < consent {
		t.Fatalf("the consent step must come first: %d, %d", consent, first)
	}
	for _, want := range []string{
		`<input type="checkbox" name="consent" value="yes">`,
		esc(T("ru", "consent_title")),
		esc(T("ru", "consent_label")),
		p.Consent,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q", want)
		}
	}
	p.Consented = true
	if out := render(t, "survey", p); !strings.Contains(out, `name="consent" value="yes" checked>`) {
		t.Errorf("a consent given before is not kept")
	}
}

func TestSurveyPageEscapes(t *testing.T) {
	p := examplePage("en")
	p.Title = `Acme "<b>"`
	p.Consent = `<script>alert("consent")</script>`
	p.Questions[0].Text = `<script>alert(1)</script>`
	p.Questions[0].Options[0].Text = `<img src=x onerror=alert(2)>`
	p.Questions[1].Options[2].Text = `<i>none</i>`
	p.Questions[1].Error = "exclusive"
	p.Questions[4].Value = `</textarea><script>alert(3)</script>`
	p.Languages = []Language{{Code: "ru", Name: "Русский", URL: `javascript:alert(4)`}}
	out := render(t, "survey", p)
	for _, bad := range []string{"<script>alert", "<img src=x", "<i>none", "<b>", "javascript:alert"} {
		if strings.Contains(out, bad) {
			t.Errorf("unescaped %q in the page", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;alert(1)", "&lt;img src=x", "&lt;i&gt;none&lt;/i&gt;", "&lt;/textarea&gt;&lt;script&gt;", "Acme &#34;&lt;b&gt;&#34;"} {
		if !strings.Contains(out, want) {
			t.Errorf("missing escaped %q", want)
		}
	}
	msg := render(t, "message", &MessagePage{Lang: "en", Kind: MessageThanks, Title: "<script>x</script>"})
	if strings.Contains(msg, "<script>x") || !strings.Contains(msg, "&lt;script&gt;x") {
		t.Errorf("message page does not escape the title: %s", msg)
	}
}

func TestStatic(t *testing.T) {
	for name, ctype := range map[string]string{
		"survey.css": "text/css; charset=utf-8",
		"survey.js":  "text/javascript; charset=utf-8",
		"icon.svg":   "image/svg+xml",
	} {
		u := Asset(name)
		rec := httptest.NewRecorder()
		Static().ServeHTTP(rec, httptest.NewRequest("GET", u, nil))
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != ctype {
			t.Errorf("%s (%s): %d %q", name, u, rec.Code, rec.Header().Get("Content-Type"))
		}
		if strings.Contains(rec.Body.String(), "TODO") || strings.Contains(rec.Body.String(), "FIXME") {
			t.Errorf("%s has a TODO", name)
		}
	}
}
