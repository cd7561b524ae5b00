package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

func TestSessionsAndCSRF(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		var u survey.User
		app.do("POST", "/api/v1/users", survey.RoleAdmin, map[string]any{"email": "Anna@Example.com", "role": "marketer", "password": "correct horse battery"}).
			status(http.StatusCreated).decode(&u)
		if u.Email != "anna@example.com" || u.Role != survey.RoleMarketer {
			t.Fatalf("user %+v", u)
		}
		p := app.do("POST", "/api/v1/users", survey.RoleAdmin, map[string]any{"email": "not-an-email", "role": "boss", "password": "short"}).
			status(http.StatusUnprocessableEntity).problem()
		if missing := hasAll(p.fields(), "email", "role", "password"); len(missing) > 0 {
			t.Errorf("user validation: %+v", p.Errors)
		}
		res := app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "anna@example.com", "password": "correct horse battery"}).
			status(http.StatusOK)
		var login LoginReply
		res.decode(&login)
		cookie := res.Header().Get("Set-Cookie")
		for _, flag := range []string{"brandlift_session=", "HttpOnly", "SameSite=Lax", "Path=/"} {
			if !strings.Contains(cookie, flag) {
				t.Errorf("cookie %q lacks %s", cookie, flag)
			}
		}
		if strings.Contains(cookie, "Secure") {
			t.Error("Secure on a plain-HTTP cookie would stop it working")
		}
		session := strings.SplitN(strings.SplitN(cookie, ";", 2)[0], "=", 2)[1]
		c := "brandlift_session=" + session
		var me Me
		app.do("GET", "/api/v1/auth/me", "", nil, "Cookie", c).status(http.StatusOK).decode(&me)
		if me.Role != survey.RoleMarketer || me.User == nil || me.User.Email != "anna@example.com" {
			t.Errorf("me %+v", me)
		}
		// Reading needs no token; changing does.
		app.do("GET", "/api/v1/studies", "", nil, "Cookie", c).status(http.StatusOK)
		if p := app.do("POST", "/api/v1/studies", "", exampleStudy(t), "Cookie", c).status(http.StatusForbidden).problem(); p.Type != problemBase+"csrf" {
			t.Errorf("%+v", p)
		}
		app.do("POST", "/api/v1/studies", "", exampleStudy(t), "Cookie", c, CSRFHeader, "wrong").status(http.StatusForbidden)
		app.do("POST", "/api/v1/studies", "", exampleStudy(t), "Cookie", c, CSRFHeader, login.CSRFToken).status(http.StatusCreated)
		app.do("GET", "/api/v1/keys", "", nil, "Cookie", c).status(http.StatusForbidden) // a marketer is not an admin
		// Over HTTPS (behind a proxy) the cookie is Secure.
		res = app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "anna@example.com", "password": "correct horse battery"},
			"RemoteAddr", "127.0.0.1:4000", "X-Forwarded-Proto", "https").status(http.StatusOK)
		if !strings.Contains(res.Header().Get("Set-Cookie"), "Secure") {
			t.Error("cookie not Secure behind HTTPS")
		}
		app.do("POST", "/api/v1/auth/logout", "", nil, "Cookie", c, CSRFHeader, login.CSRFToken).status(http.StatusNoContent)
		app.do("GET", "/api/v1/auth/me", "", nil, "Cookie", c).status(http.StatusUnauthorized)
		// A disabled user's sessions end.
		res = app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "anna@example.com", "password": "correct horse battery"}).status(http.StatusOK)
		c2 := strings.SplitN(res.Header().Get("Set-Cookie"), ";", 2)[0]
		app.do("DELETE", "/api/v1/users/"+u.ID, survey.RoleAdmin, nil).status(http.StatusNoContent)
		app.do("GET", "/api/v1/auth/me", "", nil, "Cookie", c2).status(http.StatusUnauthorized)
		app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "anna@example.com", "password": "correct horse battery"}).status(http.StatusUnauthorized)
	})
}

func TestLoginThrottling(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		if _, err := app.store.CreateUser(t.Context(), "boris@example.com", survey.RoleAnalyst, "the right password"); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < survey.LoginMaxFailures; i++ {
			p := app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "boris@example.com", "password": "guess"}).
				status(http.StatusUnauthorized).problem()
			if !strings.Contains(p.Detail, "wrong email or password") {
				t.Fatalf("%+v", p)
			}
		}
		// Now even the right password waits: the account is throttled.
		res := app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "boris@example.com", "password": "the right password"}).
			status(http.StatusTooManyRequests)
		if res.Header().Get("Retry-After") == "" {
			t.Error("no Retry-After")
		}
		res.problem()
		// The same IP is throttled for other accounts too.
		app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "other@example.com", "password": "x"}).status(http.StatusTooManyRequests)
		// An unknown account fails the same way as a wrong password.
		other := app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": "x@example.com", "password": "y"}, "RemoteAddr", "10.0.0.2:4000", "X-Forwarded-For", "203.0.113.10")
		if other.Code != http.StatusUnauthorized {
			t.Errorf("unknown account from another address: %d", other.Code)
		}
	})
}

func TestKeysAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		var created CreatedKey
		app.do("POST", "/api/v1/keys", survey.RoleAdmin, map[string]any{"name": "dashboard", "role": "analyst"}).
			status(http.StatusCreated).decode(&created)
		if !strings.HasPrefix(created.Secret, survey.KeyPrefix) || created.Key.Role != survey.RoleAnalyst {
			t.Fatalf("%+v", created)
		}
		app.do("GET", "/api/v1/studies", "", nil, "Authorization", "Bearer "+created.Secret).status(http.StatusOK)
		list := app.do("GET", "/api/v1/keys", survey.RoleAdmin, nil).status(http.StatusOK)
		if strings.Contains(list.Body.String(), created.Secret) || !strings.Contains(list.Body.String(), created.Key.Prefix) {
			t.Error("list shows a secret or hides the prefix")
		}
		var keys struct{ Keys []survey.APIKey }
		list.decode(&keys)
		for _, k := range keys.Keys {
			if k.ID == created.Key.ID && k.LastUsedAt == nil {
				t.Error("last-used time not recorded")
			}
		}
		app.do("DELETE", "/api/v1/keys/"+created.Key.ID, survey.RoleAdmin, nil).status(http.StatusOK)
		app.do("GET", "/api/v1/studies", "", nil, "Authorization", "Bearer "+created.Secret).status(http.StatusUnauthorized)
		app.do("DELETE", "/api/v1/keys/none", survey.RoleAdmin, nil).status(http.StatusNotFound)
		app.do("POST", "/api/v1/keys", survey.RoleAdmin, map[string]any{"name": "", "role": "god"}).status(http.StatusUnprocessableEntity)
	})
}
