package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// testApp is the real Echo app on a real database, with a key per role.
type testApp struct {
	t      *testing.T
	srv    *Server
	store  *store.Store
	keys   map[survey.Role]string
	logBuf *syncBuffer
}

// forEachDB runs fn on a fresh app per database of this test run.
func forEachDB(t *testing.T, fn func(t *testing.T, app *testApp)) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		fn(t, newTestApp(t, s))
	})
}

// newTestApp builds the app on s; changes adjust its configuration.
func newTestApp(t *testing.T, s *store.Store, changes ...func(*Config)) *testApp {
	t.Helper()
	app := &testApp{t: t, store: s, keys: map[survey.Role]string{}, logBuf: &syncBuffer{}}
	cfg := Config{Store: s, Logger: testLogger(app.logBuf), BaseURL: "http://brandlift.test", Version: "test"}
	for _, change := range changes {
		change(&cfg)
	}
	app.srv = New(cfg)
	for _, r := range []survey.Role{survey.RoleAdmin, survey.RoleMarketer, survey.RoleAnalyst} {
		_, plain, err := s.CreateAPIKey(context.Background(), "test "+string(r), r)
		if err != nil {
			t.Fatal(err)
		}
		app.keys[r] = plain
	}
	return app
}

// response is a recorded answer with helpers to read it.
type response struct {
	*httptest.ResponseRecorder
	t *testing.T
}

// do sends a request as role ("" for none); body may be a string, []byte or
// any value to encode as JSON. The exchange is checked against openapi.json
// (see openapi_validate_test.go).
func (a *testApp) do(method, path string, role survey.Role, body any, headers ...string) response {
	a.t.Helper()
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		enc, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		raw = enc
	}
	req := httptest.NewRequest(method, path, bytes.NewReader(raw))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+a.keys[role])
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i] == "RemoteAddr" { // the direct peer, e.g. a proxy in front of us
			req.RemoteAddr = headers[i+1]
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(rec, req)
	a.checkOpenAPI(req, raw, rec) // openapi_validate_test.go
	return response{rec, a.t}
}

// status fails the test unless the response has the wanted status.
func (r response) status(want int) response {
	r.t.Helper()
	if r.Code != want {
		r.t.Fatalf("status %d, want %d; body: %s", r.Code, want, r.Body.String())
	}
	return r
}

// decode reads the JSON body into v.
func (r response) decode(v any) {
	r.t.Helper()
	if err := json.Unmarshal(r.Body.Bytes(), v); err != nil {
		r.t.Fatalf("decode %q: %v", r.Body.String(), err)
	}
}

// problem reads a problem+json body and checks its content type.
func (r response) problem() Problem {
	r.t.Helper()
	if ct := r.Header().Get("Content-Type"); ct != "application/problem+json" {
		r.t.Fatalf("content type %q, want application/problem+json; body %s", ct, r.Body.String())
	}
	var p Problem
	r.decode(&p)
	if p.Status != r.Code || p.Type == "" || p.RequestID == "" {
		r.t.Fatalf("incomplete problem %+v for status %d", p, r.Code)
	}
	return p
}

// fields lists the problem's field paths.
func (p Problem) fields() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Field)
	}
	return out
}

func exampleStudy(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile("testdata/example_study.json")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// createStudy posts a study and returns it.
func (a *testApp) createStudy(body any) survey.Study {
	a.t.Helper()
	var st survey.Study
	a.do("POST", "/api/v1/studies", survey.RoleMarketer, body).status(http.StatusCreated).decode(&st)
	return st
}

func hasAll(got []string, want ...string) (missing []string) {
	set := map[string]bool{}
	for _, g := range got {
		set[g] = true
	}
	for _, w := range want {
		if !set[w] {
			missing = append(missing, w)
		}
	}
	return missing
}
