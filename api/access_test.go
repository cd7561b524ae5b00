package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// TestEveryRouteEnforcesItsRole is generated from the route table: every
// management route answers 401 without credentials, 403 to a role below
// its level, and neither to a role at or above it. A new route cannot
// escape it.
func TestEveryRouteEnforcesItsRole(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		fill := func(path string) string {
			r := strings.NewReplacer(":public_key", st.PublicKey, ":rid", "someone", ":question", "why", "*", "x")
			path = r.Replace(path)
			if strings.HasPrefix(path, "/api/v1/keys/") || strings.HasPrefix(path, "/api/v1/users/") {
				return strings.Replace(path, ":id", "no-such-id", 1) // never revoke the test's own keys
			}
			return strings.Replace(path, ":id", st.ID, 1)
		}
		roles := []survey.Role{survey.RoleAnalyst, survey.RoleMarketer, survey.RoleAdmin}
		checked := 0
		for _, r := range app.srv.routes() {
			if r.access == public {
				continue
			}
			checked++
			path := fill(r.path)
			var body any
			if r.method != http.MethodGet && r.method != http.MethodDelete {
				body = "{}"
			}
			if res := app.do(r.method, path, "", body); res.Code != http.StatusUnauthorized {
				t.Errorf("%s %s without credentials: %d, want 401", r.method, r.path, res.Code)
			}
			for _, role := range roles {
				res := app.do(r.method, path, role, body)
				allowed := level(role) >= r.access
				switch {
				case !allowed && res.Code != http.StatusForbidden:
					t.Errorf("%s %s as %s: %d, want 403 (needs %s)", r.method, r.path, role, res.Code, r.access)
				case allowed && (res.Code == http.StatusForbidden || res.Code == http.StatusUnauthorized):
					t.Errorf("%s %s as %s: %d, want access (needs %s): %s", r.method, r.path, role, res.Code, r.access, res.Body.String())
				}
			}
		}
		if checked < 20 {
			t.Errorf("only %d management routes checked", checked)
		}
	})
}

func TestAnalystNeverSeesSecrets(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		for _, path := range []string{"/api/v1/studies", "/api/v1/studies/" + st.ID} {
			body := app.do("GET", path, survey.RoleAnalyst, nil).status(http.StatusOK).Body.String()
			if strings.Contains(body, st.Secret) || strings.Contains(body, `"secret"`) || strings.Contains(body, "assignment_key") {
				t.Errorf("%s shows a secret to an analyst", path)
			}
		}
		app.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleAnalyst, map[string]any{"respondents": []any{}}).
			status(http.StatusForbidden)
	})
}
