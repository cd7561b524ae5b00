package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

func TestAuthRequired(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		res := app.do("GET", "/api/v1/studies", "", nil).status(http.StatusUnauthorized)
		res.problem()
		if res.Header().Get("WWW-Authenticate") == "" {
			t.Error("no WWW-Authenticate")
		}
		for _, h := range []string{"Basic abc", "Bearer", "Bearer bl_wrong", "bl_x"} {
			app.do("GET", "/api/v1/studies", "", nil, "Authorization", h).status(http.StatusUnauthorized).problem()
		}
		// A revoked key stops working.
		k, plain, err := app.store.CreateAPIKey(t.Context(), "temp", survey.RoleAdmin)
		if err != nil {
			t.Fatal(err)
		}
		app.do("GET", "/api/v1/studies", "", nil, "Authorization", "Bearer "+plain).status(http.StatusOK)
		if _, err := app.store.RevokeAPIKey(t.Context(), k.ID); err != nil {
			t.Fatal(err)
		}
		app.do("GET", "/api/v1/studies", "", nil, "Authorization", "Bearer "+plain).status(http.StatusUnauthorized)
	})
}

func TestErrorsAreProblems(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		app.do("GET", "/nowhere", "", nil).status(http.StatusNotFound).problem()
		app.do("GET", "/api/v1/studies/x/nothing", survey.RoleAdmin, nil).status(http.StatusNotFound).problem()
		app.do("PUT", "/api/v1/studies", survey.RoleAdmin, "{}").status(http.StatusMethodNotAllowed).problem()
		big := `{"name":"` + strings.Repeat("x", 1<<20) + `"}`
		p := app.do("POST", "/api/v1/studies", survey.RoleMarketer, big).status(http.StatusRequestEntityTooLarge).problem()
		if !strings.Contains(p.Detail, "1048576") {
			t.Errorf("413 detail %q does not give the limit", p.Detail)
		}
	})
}

func TestRequestIDAndHealth(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		res := app.do("GET", "/healthz", "", nil).status(http.StatusOK)
		id := res.Header().Get("X-Request-Id")
		if len(id) < 16 {
			t.Fatalf("request id %q", id)
		}
		if !strings.Contains(app.logBuf.String(), "request_id="+id) {
			t.Errorf("request id not in the log: %s", app.logBuf.String())
		}
		res = app.do("GET", "/readyz", "", nil, "X-Request-Id", "lb-123").status(http.StatusOK)
		if res.Header().Get("X-Request-Id") != "lb-123" {
			t.Errorf("incoming request id not kept")
		}
		res = app.do("GET", "/healthz", "", nil, "X-Request-Id", "bad id\nwith newline")
		if strings.Contains(res.Header().Get("X-Request-Id"), " ") {
			t.Errorf("unsafe request id accepted")
		}
		app.store.Close()
		p := app.do("GET", "/readyz", "", nil).status(http.StatusServiceUnavailable).problem()
		if strings.Contains(p.Detail, "sql") {
			t.Errorf("raw error leaked: %q", p.Detail)
		}
	})
}
