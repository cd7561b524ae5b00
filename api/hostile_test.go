package api

import (
	"bytes"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// hostile are strings that no field may store, as they appear inside a
// JSON string: escapes of control characters, and raw bytes that are not
// UTF-8 (which encoding/json would quietly turn into U+FFFD).
var hostile = map[string]string{
	"nul":       `a\u0000b`,
	"soh":       `\u0001`,
	"escape":    `\u001b[31mred`,
	"del":       `x\u007f`,
	"c1":        `x\u0085y`,
	"bad-byte":  "x\xffy",
	"surrogate": "x\xed\xa0\x80y", // UTF-8 of a UTF-16 surrogate: not valid UTF-8
}

// newline is refused in single-line fields only.
const newline = `two\nlines`

// hostileCase is one field that takes text, reached through one request.
type hostileCase struct {
	field      string // the JSON path the refusal must name
	singleLine bool   // a line break is refused too
	method     string
	path       string
	role       survey.Role
	body       func(h string) []byte // the request with the field set to h (raw JSON string content)
}

// marker stands for the hostile string in a template body.
const marker = "@@HOSTILE@@"

// withMarker marshals v and puts the raw hostile content where marker is.
func withMarker(t *testing.T, v any) func(string) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return func(h string) []byte { return bytes.ReplaceAll(b, []byte(marker), []byte(h)) }
}

// studyWith is the example study with one change.
func studyWith(t *testing.T, change func(m map[string]any)) func(string) []byte {
	m := exampleStudy(t)
	change(m)
	return withMarker(t, m)
}

func question(m map[string]any, i int) map[string]any {
	return m["questions"].([]any)[i].(map[string]any)
}

func hostileCases(t *testing.T, st survey.Study, token string) []hostileCase {
	studies := "/api/v1/studies"
	mk := func(field string, single bool, change func(m map[string]any)) hostileCase {
		return hostileCase{field: field, singleLine: single, method: "POST", path: studies, role: survey.RoleMarketer, body: studyWith(t, change)}
	}
	option := func(m map[string]any) map[string]any { return question(m, 0)["options"].([]any)[0].(map[string]any) }
	cases := []hostileCase{
		mk("name", true, func(m map[string]any) { m["name"] = marker }),
		mk("brand", true, func(m map[string]any) { m["brand"] = marker }),
		mk("currency", true, func(m map[string]any) { m["currency"] = marker }),
		mk("kind", true, func(m map[string]any) { m["kind"] = marker }),
		mk("assignment", true, func(m map[string]any) { m["assignment"] = marker }),
		mk("default_locale", true, func(m map[string]any) { m["default_locale"] = marker }),
		mk("locales[1]", true, func(m map[string]any) { m["locales"] = []string{"ru", marker} }),
		mk("questions[0].key", true, func(m map[string]any) { question(m, 0)["key"] = marker }),
		mk("questions[0].text.ru", false, func(m map[string]any) { question(m, 0)["text"].(map[string]any)["ru"] = marker }),
		mk("questions[0].metric", true, func(m map[string]any) { question(m, 0)["metric"] = marker }),
		mk("questions[0].attention", true, func(m map[string]any) { question(m, 0)["attention"] = marker }),
		mk("questions[0].options[0].key", true, func(m map[string]any) { option(m)["key"] = marker }),
		mk("questions[0].options[0].text.en", false, func(m map[string]any) { option(m)["text"].(map[string]any)["en"] = marker }),
		mk("consent.ru", false, func(m map[string]any) { m["consent"] = map[string]string{"ru": marker, "en": "I agree"} }),
		mk("targets[0].question", true, func(m map[string]any) {
			m["targets"] = []map[string]any{{"question": marker, "measure": "abs_lift", "target": 0.02, "deadline": "2030-01-01T00:00:00Z"}}
		}),
		mk("weighting.attributes[0]", true, func(m map[string]any) { m["weighting"] = map[string]any{"attributes": []string{marker}} }),
		mk("weighting.margins.age."+marker, true, func(m map[string]any) {
			m["weighting"] = map[string]any{"attributes": []string{"age"}, "margins": map[string]any{"age": map[string]float64{marker: 1}}}
		}),
		mk("frame_ancestors[0]", true, func(m map[string]any) { m["frame_ancestors"] = []string{marker} }),
		{field: "name", singleLine: true, method: "PATCH", path: studies + "/" + st.ID, role: survey.RoleMarketer,
			body: withMarker(t, map[string]any{"name": marker})},
	}
	link := func(field string, r map[string]any) hostileCase {
		return hostileCase{field: field, singleLine: true, method: "POST", path: studies + "/" + st.ID + "/links", role: survey.RoleMarketer,
			body: withMarker(t, map[string]any{"respondents": []map[string]any{r}})}
	}
	cases = append(cases,
		link("respondents[0].rid", map[string]any{"rid": marker, "group": "exposed"}),
		link("respondents[0].attrs.age", map[string]any{"rid": "a", "group": "exposed", "attrs": map[string]string{"age": marker}}),
		link("respondents[0].attrs."+marker, map[string]any{"rid": "a", "group": "exposed", "attrs": map[string]string{marker: "x"}}),
		link("respondents[0].locale", map[string]any{"rid": "a", "group": "exposed", "locale": marker}),
		link("respondents[0].group", map[string]any{"rid": "a", "group": marker}),
	)
	answer := func(field string, single bool, body map[string]any) hostileCase {
		return hostileCase{field: field, singleLine: single, method: "POST", path: "/api/v1/public/responses", body: withMarker(t, body)}
	}
	answers := func(key string, v any) map[string]any {
		a := map[string]any{"recall": "yes", "nps": 9, "csat": 4}
		a[key] = v
		return map[string]any{"token": token, "answers": a}
	}
	cases = append(cases,
		answer("answers.why", false, answers("why", marker)),
		answer("answers.recall", true, answers("recall", marker)),
		answer("answers."+marker, true, answers(marker, "x")),
		answer("token", true, map[string]any{"token": marker, "answers": map[string]any{}}),
		answer("locale", true, map[string]any{"token": token, "answers": map[string]any{"recall": "yes", "nps": 9, "csat": 4}, "locale": marker}),
		hostileCase{field: "email", singleLine: true, method: "POST", path: "/api/v1/users", role: survey.RoleAdmin,
			body: withMarker(t, map[string]any{"email": marker, "role": "analyst", "password": "long enough pw"})},
		hostileCase{field: "password", method: "POST", path: "/api/v1/users", role: survey.RoleAdmin,
			body: withMarker(t, map[string]any{"email": "p@example.com", "role": "analyst", "password": "long enough " + marker})},
		hostileCase{field: "name", singleLine: true, method: "POST", path: "/api/v1/keys", role: survey.RoleAdmin,
			body: withMarker(t, map[string]any{"name": marker, "role": "analyst"})},
		hostileCase{field: "email", method: "POST", path: "/api/v1/auth/login",
			body: withMarker(t, map[string]any{"email": marker, "password": "whatever it is"})},
	)
	return cases
}

// decodeHostile turns a hostile JSON fragment into the string it stands for.
func decodeHostile(h string) string {
	var s string
	if err := json.Unmarshal([]byte(`"`+h+`"`), &s); err != nil {
		return h // raw bytes that are not UTF-8 stay as they are
	}
	if !strings.Contains(h, `\u`) {
		return h
	}
	return s
}

// TestHostileStringsAreRefusedEverywhere sends every hostile string to
// every field, path segment and query parameter that takes text, on both
// databases: a 4xx naming the field every time, never a 5xx, and nothing
// invalid in the database afterwards.
func TestHostileStringsAreRefusedEverywhere(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		links := app.links(st, map[string]any{"rid": "ok", "group": "exposed"}, map[string]any{"rid": "valid", "group": "control"})
		tok := links[0].Token
		// A valid answer with line breaks and a tab, which multi-line text may hold.
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[1].Token,
			"answers": map[string]any{"recall": "yes", "nps": 9, "csat": 4, "why": "first line\nsecond\tline"}}).status(http.StatusCreated)
		tried, refused := 0, 0
		for _, c := range hostileCases(t, st, tok) {
			samples := map[string]string{}
			for k, v := range hostile {
				samples[k] = v
			}
			if c.singleLine {
				samples["newline"] = newline
			}
			for name, h := range samples {
				tried++
				res := app.do(c.method, c.path, c.role, c.body(h))
				if res.Code >= 500 || res.Code < 400 {
					t.Errorf("%s %s %s = %s: status %d, want 4xx: %s", c.method, c.path, c.field, name, res.Code, res.Body.String())
					continue
				}
				refused++
				p := res.problem()
				want := strings.ReplaceAll(c.field, marker, decodeHostile(h))
				if !strings.Contains(c.field, marker) && res.Code == http.StatusUnprocessableEntity && len(hasAll(p.fields(), want)) > 0 {
					t.Errorf("%s %s = %s: 422 without field %q: %v", c.path, c.field, name, want, p.fields())
				}
			}
		}
		// Path segments and query parameters.
		for name, h := range hostile {
			raw := decodeHostile(h)
			seg, q := url.PathEscape(raw), url.QueryEscape(raw)
			for _, target := range []struct {
				method, path string
				role         survey.Role
				want         int
			}{
				{"GET", "/api/v1/studies/" + seg, survey.RoleAnalyst, 404},
				{"PATCH", "/api/v1/studies/" + seg, survey.RoleMarketer, 404},
				{"GET", "/api/v1/studies/" + st.ID + "/results/text/" + seg, survey.RoleAnalyst, 404},
				{"DELETE", "/api/v1/studies/" + st.ID + "/respondents/" + seg, survey.RoleAdmin, 404},
				{"DELETE", "/api/v1/keys/" + seg, survey.RoleAdmin, 404},
				{"DELETE", "/api/v1/users/" + seg, survey.RoleAdmin, 404},
				{"GET", "/api/v1/studies?cursor=" + q, survey.RoleAnalyst, 400},
				{"GET", "/api/v1/studies?status=" + q, survey.RoleAnalyst, 400},
				{"GET", "/api/v1/audit?study_id=" + q, survey.RoleAdmin, 400},
				{"GET", "/api/v1/studies/" + st.ID + "/results?segment=" + q, survey.RoleAnalyst, 400},
				{"GET", "/api/v1/studies/" + st.ID + "/responses?format=" + q, survey.RoleAnalyst, 400},
				{"GET", "/api/v1/public/studies/" + st.PublicKey + "/assignment?rid=" + q, "", 400},
			} {
				tried++
				var body any
				if target.method == "PATCH" {
					body = map[string]any{"name": "x"}
				}
				res := app.do(target.method, target.path, target.role, body)
				if res.Code != target.want {
					t.Errorf("%s %s (%s): status %d, want %d: %s", target.method, target.path, name, res.Code, target.want, res.Body.String())
					continue
				}
				refused++
				if p := res.problem(); target.want == 400 && len(p.Errors) == 0 {
					t.Errorf("%s: 400 names no parameter", target.path)
				}
			}
			// The respondent's pages explain; they never fail.
			for _, page := range []struct {
				method, path, form string
				want               int
			}{
				{"GET", "/s/" + seg + "?t=" + url.QueryEscape(tok), "", 404},
				{"GET", "/s/" + st.PublicKey + "?t=" + q, "", 403},
				{"POST", "/s/" + st.PublicKey, "t=" + q + "&q.recall=yes&q.nps=9&q.csat=4", 403},
				{"POST", "/s/" + st.PublicKey, "t=" + url.QueryEscape(tok) + "&q.recall=yes&q.nps=9&q.csat=4&q.why=" + q, 422},
			} {
				tried++
				var body any
				headers := []string{}
				if page.form != "" {
					body, headers = page.form, []string{"Content-Type", "application/x-www-form-urlencoded"}
				}
				res := app.do(page.method, page.path, "", body, headers...)
				if res.Code != page.want || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/html") {
					t.Errorf("%s %s (%s): %d %s, want an HTML page with %d", page.method, page.path, name, res.Code, res.Header().Get("Content-Type"), page.want)
					continue
				}
				refused++
			}
		}
		// The pixel never refuses: labels are cleaned, a bad rid records nothing.
		for name, h := range hostile {
			q := url.QueryEscape(decodeHostile(h))
			for _, p := range []string{"?rid=px-" + name + "&creative=" + q + "&placement=" + q, "?rid=" + q} {
				res := app.do("GET", "/px/"+st.PublicKey+p, "", nil)
				if res.Code != http.StatusOK || res.Header().Get("Content-Type") != "image/gif" {
					t.Errorf("pixel %s: %d %s", p, res.Code, res.Header().Get("Content-Type"))
				}
			}
			full, _ := app.store.Study(t.Context(), st.ID)
			exp, err := app.store.Exposure(t.Context(), full, "px-"+name)
			if err != nil || !strings.Contains(exp.Creative, "\uFFFD") || survey.TextProblem(exp.Creative) != "" {
				t.Errorf("pixel label %s stored as %q (%v), want U+FFFD in place of what is invalid", name, exp.Creative, err)
			}
		}
		// A token minted elsewhere, correctly signed, with a NUL attribute.
		secret, err := base64.RawURLEncoding.DecodeString(st.Secret)
		if err != nil {
			t.Fatal(err)
		}
		forged := (&survey.Token{Study: st.PublicKey, RID: "m", Group: survey.GroupExposed, Attrs: map[string]string{"age": "a\x00"}}).Sign(secret)
		tried++
		if res := app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": forged, "answers": exampleAnswers}); res.Code != http.StatusBadRequest {
			t.Errorf("token with a NUL attribute: %d %s", res.Code, res.Body.String())
		} else {
			refused++
		}
		t.Logf("hostile inputs tried: %d, refused with 4xx: %d, 5xx: 0", tried, refused)
		assertNoInvalidText(t, app.store)
	})
}

// escapedControl finds a control character written as a JSON escape
// inside a stored JSON document.
var escapedControl = regexp.MustCompile(`\\u00([01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F])`)

// assertNoInvalidText reads every column of every table as text and fails
// on anything the text rules refuse, raw or escaped inside JSON.
func assertNoInvalidText(t *testing.T, s *store.Store) {
	t.Helper()
	tables := []string{"studies", "questions", "question_options", "responses", "cells", "tallies", "daily_tallies",
		"group_counts", "durations", "exposures", "users", "sessions", "login_failures", "audit_events", "api_keys"}
	for _, table := range tables {
		rows, err := s.DB().Raw("SELECT * FROM " + table + " " + surveytest.EveryStudy).Rows()
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		cols, _ := rows.Columns()
		n := 0
		for rows.Next() {
			vals := make([]sql.RawBytes, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("%s: %v", table, err)
			}
			n++
			for i, v := range vals {
				if cols[i] == "secret" || cols[i] == "previous_secret" || cols[i] == "assignment_key" {
					continue // random bytes, not text
				}
				if msg := survey.MultilineTextProblem(string(v)); msg != "" {
					t.Errorf("%s.%s holds %q: %s", table, cols[i], v, msg)
				}
				if escapedControl.Match(v) {
					t.Errorf("%s.%s holds an escaped control character: %q", table, cols[i], v)
				}
			}
		}
		rows.Close()
		if table == "responses" && n == 0 {
			t.Errorf("no responses stored at all: the scan proves nothing")
		}
	}
}
