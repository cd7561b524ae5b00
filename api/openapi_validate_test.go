package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Every request that an API test makes through testApp.do is checked
// against openapi.json, so that the document cannot drift from the server:
//
//   - The response is always validated: its status must be documented for
//     the operation, and its headers and body must fit. A request to a path
//     or method the document does not list must be answered 404 or 405 with
//     a Problem.
//   - The request is validated too, but a mismatch fails the test only when
//     the server accepted the request (status below 400). Tests send
//     malformed requests on purpose to check refusals; a request that does
//     not fit the document and is refused is exactly what they expect, while
//     one that is accepted means the document is stricter than the server
//     (or the server laxer than the document).
//
// Validation is strict: every object schema that lists its properties and
// says nothing of others is closed (additionalProperties: false) in the
// copy the tests use, so a response field missing from the document fails
// the tests. The published document leaves response objects open, as
// clients should ignore fields added later.
//
// Paths under /static/ (the embedded files of the respondent page and the
// dashboard) are not part of the API and not checked.

// openAPIChecker is the strict document and its router.
type openAPIChecker struct {
	doc     *openapi3.T
	router  routers.Router
	problem *openapi3.Schema
}

var strictOpenAPI = sync.OnceValues(func() (*openAPIChecker, error) {
	doc, err := loadOpenAPI()
	if err != nil {
		return nil, err
	}
	closeObjectSchemas(doc)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("openapi: router: %w", err)
	}
	problem := doc.Components.Schemas["Problem"]
	if problem == nil || problem.Value == nil {
		return nil, errors.New("openapi: no Problem schema")
	}
	return &openAPIChecker{doc: doc, router: router, problem: problem.Value}, nil
})

// loadOpenAPI loads the embedded document and validates it.
func loadOpenAPI() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapiDocument)
	if err != nil {
		return nil, fmt.Errorf("openapi: load: %w", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("openapi: invalid document: %w", err)
	}
	return doc, nil
}

// closeObjectSchemas sets additionalProperties: false on every schema that
// lists properties and leaves additional ones unspecified. The document
// merges no properties through allOf, so closing each schema on its own is
// sound.
func closeObjectSchemas(doc *openapi3.T) {
	closed := false
	doc.WalkSchemas(func(_ string, ref *openapi3.SchemaRef) error {
		s := ref.Value
		ap := s.AdditionalProperties
		if len(s.Properties) > 0 && ap.Has == nil && ap.Schema == nil &&
			s.UnevaluatedProperties.Has == nil && s.UnevaluatedProperties.Schema == nil {
			s.AdditionalProperties.Has = &closed
		}
		return nil
	})
}

func init() {
	// Bodies the document describes as text: the respondent's pages, CSV
	// files, which must parse with one of the delimiters the exports
	// offer, and JSON Lines, whose every line must be a JSON object.
	openapi3filter.RegisterBodyDecoder("text/html", openapi3filter.PlainBodyDecoder)
	openapi3filter.RegisterBodyDecoder("text/csv", csvDecoder)
	openapi3filter.RegisterBodyDecoder("application/x-ndjson", jsonLinesDecoder)
}

func csvDecoder(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, delim := range []rune{',', ';'} {
		r := csv.NewReader(bytes.NewReader(data))
		r.Comma = delim
		if _, err := r.ReadAll(); err != nil {
			errs = append(errs, fmt.Errorf("with %q: %w", delim, err))
			continue
		}
		return string(data), nil
	}
	return nil, fmt.Errorf("CSV: %w", errors.Join(errs...))
}

func jsonLinesDecoder(body io.Reader, _ http.Header, _ *openapi3.SchemaRef, _ openapi3filter.EncodingFn) (any, error) {
	data, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for line := 1; sc.Scan(); line++ {
		var obj map[string]any
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			return nil, fmt.Errorf("JSON Lines: line %d is not a JSON object: %w", line, err)
		}
	}
	return string(data), sc.Err()
}

// checkCredentials stands in for authentication: it requires what each
// security scheme names to be present. Whether the key or session is
// valid is the server's business (and the access tests').
func checkCredentials(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req := in.RequestValidationInput.Request
	switch in.SecuritySchemeName {
	case "bearerAuth":
		if scheme, _, _ := strings.Cut(req.Header.Get("Authorization"), " "); !strings.EqualFold(scheme, "Bearer") {
			return errors.New("no Authorization: Bearer header")
		}
	case "cookieAuth":
		if _, err := req.Cookie(SessionCookie); err != nil {
			return errors.New("no " + SessionCookie + " cookie")
		}
	default:
		return fmt.Errorf("unknown security scheme %q", in.SecuritySchemeName)
	}
	return nil
}

// checkOpenAPI fails the test for every way one exchange of testApp.do
// does not fit the document; req's body has been read, so body holds a copy.
func (a *testApp) checkOpenAPI(req *http.Request, body []byte, rec *httptest.ResponseRecorder) {
	a.t.Helper()
	for _, p := range openAPIProblems(req, body, rec) {
		a.t.Error(p)
	}
}

// openAPIProblems lists how an exchange does not fit the document.
func openAPIProblems(req *http.Request, body []byte, rec *httptest.ResponseRecorder) []string {
	if strings.HasPrefix(req.URL.Path, "/static/") {
		return nil
	}
	oa, err := strictOpenAPI()
	if err != nil {
		return []string{"openapi: " + err.Error()}
	}
	ctx := context.Background()
	vreq := req.Clone(ctx)
	vreq.Body = io.NopCloser(bytes.NewReader(body))
	where := req.Method + " " + req.URL.RequestURI()

	route, params, err := oa.router.FindRoute(vreq)
	if err != nil {
		// Not in the document: the server must not serve it either.
		want := http.StatusNotFound
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			want = http.StatusMethodNotAllowed
		}
		if rec.Code != want {
			return []string{fmt.Sprintf("openapi: %s is not in openapi.json (%v) but answered %d, want %d", where, err, rec.Code, want)}
		}
		var doc any
		if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
			return []string{fmt.Sprintf("openapi: %s: %d body is not JSON: %v", where, rec.Code, err)}
		}
		if err := oa.problem.VisitJSON(doc, openapi3.EnableJSONSchema2020()); err != nil {
			return []string{fmt.Sprintf("openapi: %s: %d body is not a Problem: %s", where, rec.Code, short(err))}
		}
		return nil
	}

	var problems []string
	opts := &openapi3filter.Options{AuthenticationFunc: checkCredentials, IncludeResponseStatus: true, MultiError: true}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	if err := openapi3filter.ValidateRequest(ctx, in); err != nil && rec.Code < 400 {
		problems = append(problems, fmt.Sprintf("openapi: %s was accepted (%d) but the request does not fit openapi.json:\n%s",
			where, rec.Code, short(err)))
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(), Options: opts}
	out.SetBodyBytes(bytes.Clone(rec.Body.Bytes()))
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		problems = append(problems, fmt.Sprintf("openapi: %s answered %d %s that does not fit openapi.json (operation %s):\n%s",
			where, rec.Code, rec.Header().Get("Content-Type"), route.Operation.OperationID, short(err)))
	}
	return problems
}

// short keeps a validation error readable: the JSON Schema validator
// quotes whole values, which for a report are pages long.
func short(err error) string {
	const max = 4000
	s := err.Error()
	if len(s) > max {
		s = s[:max] + "... (cut)"
	}
	return s
}
