package api

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// staticMount is the route of the embedded static files: a file server
// for the pages' CSS, scripts and icons, not part of the API, so the
// document leaves it out (its info.description says so).
const staticMount = "GET /static/*"

var echoParam = regexp.MustCompile(`:([a-z_]+)`)

// openAPIPath turns an Echo route path into the document's: /:id -> /{id}.
func openAPIPath(path string) string { return echoParam.ReplaceAllString(path, "{$1}") }

// TestOpenAPIDocument loads and validates the document as published, with
// its examples, and checks the conventions every operation keeps.
func TestOpenAPIDocument(t *testing.T) {
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi %q, want 3.1.0", doc.OpenAPI)
	}
	// The examples fit the schemas as strictly as the tests' exchanges do.
	closeObjectSchemas(doc)
	if err := doc.Validate(context.Background()); err != nil {
		t.Errorf("with closed object schemas: %v", err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			where := method + " " + path
			if op.OperationID == "" || op.Summary == "" || op.Description == "" {
				t.Errorf("%s: operationId, summary and description are required", where)
			}
			role, _ := op.Extensions["x-brandlift-role"].(string)
			if op.Security == nil {
				t.Errorf("%s: no security; public operations say security: []", where)
			} else if public := len(*op.Security) == 0; public != (role == "public") {
				t.Errorf("%s: security %v does not fit x-brandlift-role %q", where, *op.Security, role)
			}
			if op.Responses.Status(http.StatusInternalServerError) == nil {
				t.Errorf("%s: 500 is not documented", where)
			}
			for code, res := range op.Responses.Map() {
				n, err := strconv.Atoi(code)
				if err != nil {
					t.Errorf("%s: response %q: only explicit status codes", where, code)
					continue
				}
				if n < 400 {
					continue
				}
				// Every error is a Problem, except the respondent's pages (the
				// survey and the unsubscribe pages).
				for ct, media := range res.Value.Content {
					switch {
					case ct == "text/html" && (strings.HasPrefix(path, "/s/") || strings.HasPrefix(path, "/u/")):
					case ct == "application/problem+json" && media.Schema != nil && media.Schema.Ref == "#/components/schemas/Problem":
					default:
						t.Errorf("%s: %d %s is not a Problem", where, n, ct)
					}
				}
			}
		}
	}
}

// TestOpenAPIListsEveryRoute checks that the route table and the document
// list the same routes, each with the same role.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	doc, err := loadOpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	table := map[string]string{}
	for _, r := range (&Server{}).routes() {
		key := r.method + " " + r.path
		if key == staticMount {
			continue
		}
		table[r.method+" "+openAPIPath(r.path)] = r.access.String()
	}
	documented := map[string]string{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			role, _ := op.Extensions["x-brandlift-role"].(string)
			documented[method+" "+path] = role
		}
	}
	for _, key := range sortedRouteKeys(table) {
		role, ok := documented[key]
		switch {
		case !ok:
			t.Errorf("%s is in the route table but not in openapi.json", key)
		case role != table[key]:
			t.Errorf("%s: x-brandlift-role %q, the route table says %q", key, role, table[key])
		}
	}
	for _, key := range sortedRouteKeys(documented) {
		if _, ok := table[key]; !ok {
			t.Errorf("%s is in openapi.json but not in the route table", key)
		}
	}
	if len(table) < 30 {
		t.Errorf("only %d routes compared", len(table))
	}
}

// TestOpenAPIServed checks that the server answers the embedded document.
func TestOpenAPIServed(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		res := app.do("GET", "/api/v1/openapi.json", "", nil).status(http.StatusOK)
		if !bytes.Equal(res.Body.Bytes(), openapiDocument) {
			t.Error("served document differs from openapi.json")
		}
		if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("content type %q", ct)
		}
		if _, err := openapi3.NewLoader().LoadFromData(res.Body.Bytes()); err != nil {
			t.Error(err)
		}
	})
}

// TestOpenAPICheckerCatchesDrift shows that the check every API test runs
// (openapi_validate_test.go) fails on what it is there to catch.
func TestOpenAPICheckerCatchesDrift(t *testing.T) {
	const problemJSON = `{"type":"urn:brandlift:problem:bad-request","title":"Bad Request","status":400,"detail":"x"}`
	cases := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		contentType, answer      string
		wantProblems             bool
	}{
		{"fits", "GET", "/healthz", "", nil, 200, "application/json", `{"status":"ok","version":"1"}`, false},
		{"undocumented response field", "GET", "/healthz", "", nil, 200, "application/json",
			`{"status":"ok","version":"1","uptime":3}`, true},
		{"missing response field", "GET", "/healthz", "", nil, 200, "application/json", `{"status":"ok"}`, true},
		{"undocumented status", "GET", "/healthz", "", nil, http.StatusTeapot, "application/json", `{}`, true},
		{"error that is not a problem", "GET", "/api/v1/studies", "", []string{"Authorization", "Bearer bl_x"},
			401, "text/plain", "no", true},
		{"undocumented route served", "GET", "/api/v1/secret", "", nil, 200, "application/json", `{}`, true},
		{"undocumented route refused", "GET", "/api/v1/secret", "", nil, 404, "application/problem+json",
			strings.Replace(problemJSON, "400", "404", 1), false},
		{"invalid request accepted", "POST", "/api/v1/public/responses", `{"token":5}`,
			[]string{"Content-Type", "application/json"}, 201, "application/json", `{"id":"r","status":"created"}`, true},
		{"invalid request refused", "POST", "/api/v1/public/responses", `{"token":5}`,
			[]string{"Content-Type", "application/json"}, 400, "application/problem+json", problemJSON, false},
		{"credentials missing but served", "GET", "/api/v1/studies", "", nil, 200, "application/json", `{"studies":[]}`, true},
		// The create body is StudyInput with name and questions required,
		// written as a $ref with sibling keywords (OpenAPI 3.1).
		{"study without a name created", "POST", "/api/v1/studies", `{"kind":"nps","questions":[]}`,
			[]string{"Content-Type", "application/json", "Authorization", "Bearer bl_x"}, 422,
			"application/problem+json", strings.Replace(problemJSON, "400", "422", 1), false},
	}
	for _, c := range cases {
		req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.body))
		for i := 0; i+1 < len(c.headers); i += 2 {
			req.Header.Set(c.headers[i], c.headers[i+1])
		}
		rec := httptest.NewRecorder()
		rec.Header().Set("Content-Type", c.contentType)
		rec.WriteHeader(c.status)
		rec.WriteString(c.answer)
		problems := openAPIProblems(req, []byte(c.body), rec)
		if got := len(problems) > 0; got != c.wantProblems {
			t.Errorf("%s: problems %q, want some: %v", c.name, problems, c.wantProblems)
		}
	}
	// The same refused request, had it been accepted.
	req := httptest.NewRequest("POST", "/api/v1/studies", strings.NewReader(`{"kind":"nps"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer bl_x")
	rec := httptest.NewRecorder()
	rec.WriteHeader(http.StatusCreated)
	problems := openAPIProblems(req, []byte(`{"kind":"nps"}`), rec)
	if len(problems) == 0 || !strings.Contains(problems[0], "request does not fit") || !strings.Contains(problems[0], "name") {
		t.Errorf("a create body without name was not refused: %q", problems)
	}
}

func sortedRouteKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
