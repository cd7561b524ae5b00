package api

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// canSignIn posts the sign-in form as a browser would.
func (a *testApp) canSignIn(email, password string) bool {
	a.t.Helper()
	anon := &pageClient{t: a.t, app: a}
	res := anon.post("/login", url.Values{"email": {email}, "password": {password}, "next": {"/dashboard"}})
	if res.Code != http.StatusSeeOther {
		return false
	}
	for _, c := range res.Result().Cookies() {
		if c.Name == SessionCookie && c.Value != "" {
			return true
		}
	}
	return false
}

// readonlyValue is the value of a read-only field shown once.
func readonlyValue(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`id="` + id + `" type="text" readonly value="([^"]*)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no field %s on the page: %.300s", id, page)
	}
	return html.UnescapeString(m[1])
}

// lastEvent is the newest audit event.
func (a *testApp) lastEvent() survey.AuditEvent {
	a.t.Helper()
	events, _, err := a.store.AuditEvents(context.Background(), survey.AuditFilter{Limit: 1})
	if err != nil || len(events) == 0 {
		a.t.Fatalf("audit log: %v", err)
	}
	return events[0]
}

// TestDashAdminUsers creates users with a given and a generated password
// (both can sign in), refuses bad forms field by field, deletes with a
// confirmation step, and never lets an admin delete themselves.
func TestDashAdminUsers(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleAdmin, "ru")
		res := pc.post("/dashboard/admin/users", url.Values{"email": {"Given@Example.com"}, "role": {"marketer"}, "password": {"a long enough secret"}})
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/dashboard/admin/users?notice=notice_user_created" {
			t.Fatalf("create with a password: %d %q %.300s", res.Code, res.Header().Get("Location"), res.Body.String())
		}
		if e := app.lastEvent(); e.Action != "user.create" || e.Actor != "user:"+pc.user.Email || e.Detail["user"] != "given@example.com" || e.Detail["role"] != "marketer" {
			t.Errorf("audit event %+v", e)
		}
		if !app.canSignIn("given@example.com", "a long enough secret") {
			t.Error("the new user cannot sign in")
		}

		res = pc.post("/dashboard/admin/users", url.Values{"email": {"gen@example.com"}, "role": {"analyst"}, "generate": {"yes"}, "password": {"ignored-ignored"}})
		if res.Code != http.StatusOK {
			t.Fatalf("create with a generated password: %d", res.Code)
		}
		password := readonlyValue(t, res.Body.String(), "new-password")
		if len(password) != 20 || !app.canSignIn("gen@example.com", password) || app.canSignIn("gen@example.com", "ignored-ignored") {
			t.Errorf("generated password %q does not sign in (or the typed one does)", password)
		}
		if strings.Contains(res.Header().Get("Location"), password) {
			t.Error("the password is in a URL")
		}
		list := pc.get("/dashboard/admin/users").Body.String()
		if strings.Contains(list, password) || !strings.Contains(list, "gen@example.com") || !strings.Contains(list, "given@example.com") {
			t.Error("the users list shows the password again, or lacks the new users")
		}

		// Bad forms come back with the field's error, 422, nothing created.
		for _, tc := range []struct {
			form  url.Values
			field string
			says  string
		}{
			{url.Values{"email": {"not an email"}, "role": {"analyst"}, "generate": {"yes"}}, "email", "Введите адрес"},
			{url.Values{"email": {"given@example.com"}, "role": {"analyst"}, "generate": {"yes"}}, "email", "уже есть"},
			{url.Values{"email": {"x@example.com"}, "role": {"boss"}, "generate": {"yes"}}, "role", "Выберите роль"},
			{url.Values{"email": {"y@example.com"}, "role": {"analyst"}, "password": {"short"}}, "password", "от 10 до 72"},
		} {
			res := pc.post("/dashboard/admin/users", tc.form)
			body := res.Body.String()
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="`+tc.field+`-err"`) || !strings.Contains(body, tc.says) {
				t.Errorf("%v: %d, want the %s error: %.300s", tc.form, res.Code, tc.field, body)
			}
		}
		users, _ := app.store.Users(context.Background())
		for _, u := range users {
			if u.Email == "x@example.com" || u.Email == "y@example.com" {
				t.Errorf("a refused form created %s", u.Email)
			}
		}

		// Delete: a confirmation page first, then the post.
		var victim survey.User
		for _, u := range users {
			if u.Email == "gen@example.com" {
				victim = u
			}
		}
		confirm := pc.get("/dashboard/admin/users?confirm=" + victim.ID)
		if confirm.Code != http.StatusOK || !strings.Contains(confirm.Body.String(), `action="/dashboard/admin/users/`+victim.ID+`/delete"`) {
			t.Fatalf("confirm page %d", confirm.Code)
		}
		if strings.Contains(pc.get("/dashboard/admin/users").Body.String(), `/delete"`) {
			t.Error("the list has a delete form without the confirmation step")
		}
		res = pc.post("/dashboard/admin/users/"+victim.ID+"/delete", url.Values{})
		if res.Code != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.Code)
		}
		if e := app.lastEvent(); e.Action != "user.delete" || e.Detail["user"] != "gen@example.com" {
			t.Errorf("audit event %+v", e)
		}
		if app.canSignIn("gen@example.com", password) {
			t.Error("a deleted user can sign in")
		}
		if res := pc.post("/dashboard/admin/users/"+victim.ID+"/delete", url.Values{}); res.Code != http.StatusNotFound {
			t.Errorf("delete twice: %d", res.Code)
		}
		// Not oneself.
		if res := pc.get("/dashboard/admin/users?confirm=" + pc.user.ID); res.Code != http.StatusConflict {
			t.Errorf("confirm deleting oneself: %d", res.Code)
		}
		res = pc.post("/dashboard/admin/users/"+pc.user.ID+"/delete", url.Values{})
		if res.Code != http.StatusConflict || !strings.Contains(res.Body.String(), "Нельзя удалить собственную") {
			t.Errorf("delete oneself: %d", res.Code)
		}
		if pc.get("/dashboard/admin/users").Code != http.StatusOK {
			t.Error("the admin lost their session")
		}
	})
}

// TestDashAdminKeys shows a new key once, and the key works against the
// API until it is revoked.
func TestDashAdminKeys(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleAdmin, "en")
		res := pc.post("/dashboard/admin/keys", url.Values{"name": {"BI <export>"}, "role": {"analyst"}})
		if res.Code != http.StatusOK {
			t.Fatalf("create key: %d %.300s", res.Code, res.Body.String())
		}
		if strings.Contains(res.Body.String(), "BI <export>") || !strings.Contains(res.Body.String(), "BI &lt;export&gt;") {
			t.Error("the key name is not escaped")
		}
		key := readonlyValue(t, res.Body.String(), "new-key")
		if !strings.HasPrefix(key, survey.KeyPrefix) {
			t.Fatalf("key %q", key)
		}
		e := app.lastEvent()
		if e.Action != "key.create" || e.Detail["name"] != "BI <export>" || e.Detail["role"] != "analyst" || e.Actor != "user:"+pc.user.Email {
			t.Errorf("audit event %+v", e)
		}
		keyID, _ := e.Detail["key"].(string)
		if list := pc.get("/dashboard/admin/keys").Body.String(); strings.Contains(list, key) || !strings.Contains(list, key[:9]) {
			t.Error("the keys list shows the key again, or not its prefix")
		}
		api := func() int {
			req := app.do("GET", "/api/v1/studies", "", nil, "Authorization", "Bearer "+key)
			return req.Code
		}
		if code := api(); code != http.StatusOK {
			t.Fatalf("the new key: %d", code)
		}
		if code := app.do("POST", "/api/v1/studies", "", exampleStudy(t), "Authorization", "Bearer "+key).Code; code != http.StatusForbidden {
			t.Errorf("an analyst key creates studies: %d", code)
		}
		if res := pc.post("/dashboard/admin/keys", url.Values{"name": {" "}, "role": {"admin"}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), `id="name-err"`) {
			t.Errorf("empty name: %d", res.Code)
		}
		if res := pc.post("/dashboard/admin/keys", url.Values{"name": {"x"}, "role": {"root"}}); res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), `id="role-err"`) {
			t.Errorf("bad role: %d", res.Code)
		}

		confirm := pc.get("/dashboard/admin/keys?confirm=" + keyID)
		if confirm.Code != http.StatusOK || !strings.Contains(confirm.Body.String(), `action="/dashboard/admin/keys/`+keyID+`/revoke"`) {
			t.Fatalf("revoke confirmation: %d", confirm.Code)
		}
		if res := pc.post("/dashboard/admin/keys/"+keyID+"/revoke", url.Values{}); res.Code != http.StatusSeeOther {
			t.Fatalf("revoke: %d", res.Code)
		}
		if e := app.lastEvent(); e.Action != "key.revoke" || e.Detail["key"] != keyID {
			t.Errorf("audit event %+v", e)
		}
		if code := api(); code != http.StatusUnauthorized {
			t.Errorf("the revoked key: %d, want 401", code)
		}
		if !strings.Contains(pc.get("/dashboard/admin/keys").Body.String(), "revoked") {
			t.Error("the list does not say the key is revoked")
		}
		if res := pc.get("/dashboard/admin/keys?confirm=" + keyID); res.Code != http.StatusNotFound {
			t.Errorf("confirm revoking a revoked key: %d", res.Code)
		}
	})
}

// TestDashAdminAudit filters the log by action, actor, study and dates,
// and pages through it without losing or repeating an event.
func TestDashAdminAudit(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		ctx := context.Background()
		pc := app.signIn(survey.RoleAdmin, "ru")
		st := app.launched(nil)
		for i := range 120 {
			if err := app.store.Audit(ctx, "user:bulk@example.com", "test.bulk", "", map[string]any{"i": i, "note": "<b>x</b>"}); err != nil {
				t.Fatal(err)
			}
		}
		// "zed.qa" has a dot, which no base32 key id in another actor can contain.
		app.store.Audit(ctx, "user:zed.qa@example.com", "study.pause", st.ID, nil)

		count := func(path string) (int, string) {
			res := pc.get(path)
			if res.Code != http.StatusOK {
				t.Fatalf("%s: %d", path, res.Code)
			}
			body := res.Body.String()
			if !strings.Contains(body, `<table class="audit">`) {
				return 0, body
			}
			return strings.Count(body, "<tr>") - 1, body // minus the header row
		}
		n, body := count("/dashboard/admin/audit?action=study.pause")
		if n != 1 || !strings.Contains(body, "zed.qa@example.com") {
			t.Errorf("action filter: %d rows", n)
		}
		if n, _ := count("/dashboard/admin/audit?action=study.&study=" + st.ID); n != 3 { // create, launch, pause
			t.Errorf("study filter with an action prefix: %d rows, want 3", n)
		}
		if n, _ := count("/dashboard/admin/audit?actor=ZED.QA"); n != 1 {
			t.Errorf("actor filter: %d rows", n)
		}
		if strings.Contains(body, "<b>x</b>") {
			t.Error("details are not escaped")
		}
		today := app.lastEvent().At.Format("2006-01-02")
		if n, _ := count("/dashboard/admin/audit?action=study.pause&from=" + today + "&to=" + today); n != 1 {
			t.Errorf("dates including today: %d rows", n)
		}
		if n, _ := count("/dashboard/admin/audit?action=study.pause&to=2000-01-01"); n != 0 {
			t.Errorf("dates before the events: %d rows", n)
		}
		if res := pc.get("/dashboard/admin/audit?from=yesterday"); res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "ГГГГ-ММ-ДД") {
			t.Errorf("bad date: %d", res.Code)
		}

		// Paging: 120 bulk events, 50 a page, each seen once.
		seen := map[string]bool{}
		path := "/dashboard/admin/audit?action=test.bulk"
		pages := 0
		for path != "" {
			pages++
			res := pc.get(path)
			body := html.UnescapeString(res.Body.String())
			for _, m := range regexp.MustCompile(`<dt>i</dt><dd>(\d+)</dd>`).FindAllStringSubmatch(body, -1) {
				if seen[m[1]] {
					t.Errorf("event %s on two pages", m[1])
				}
				seen[m[1]] = true
			}
			path = ""
			if m := regexp.MustCompile(`href="(/dashboard/admin/audit\?[^"]*)" rel="next"`).FindStringSubmatch(res.Body.String()); m != nil {
				path = html.UnescapeString(m[1])
			}
			if pages > 5 {
				t.Fatal("paging does not end")
			}
		}
		if len(seen) != 120 || pages != 3 {
			t.Errorf("paged through %d events in %d pages, want 120 in 3", len(seen), pages)
		}
	})
}

// TestDashAdminForbidden: marketers and analysts get a 403 page, in their
// language, on every admin route, and change nothing.
func TestDashAdminForbidden(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		victim := app.signIn(survey.RoleAnalyst, "")
		keys, _ := app.store.APIKeys(context.Background())
		for _, role := range []survey.Role{survey.RoleMarketer, survey.RoleAnalyst} {
			for lang, want := range map[string]string{"ru": "Недостаточно прав", "en": "Not allowed"} {
				pc := app.signIn(role, lang)
				for _, res := range []response{
					pc.get("/dashboard/admin/users"),
					pc.post("/dashboard/admin/users", url.Values{"email": {"sneak@example.com"}, "role": {"admin"}, "generate": {"yes"}}),
					pc.post("/dashboard/admin/users/"+victim.user.ID+"/delete", url.Values{}),
					pc.get("/dashboard/admin/keys"),
					pc.post("/dashboard/admin/keys", url.Values{"name": {"sneak"}, "role": {"admin"}}),
					pc.post("/dashboard/admin/keys/"+keys[0].ID+"/revoke", url.Values{}),
					pc.get("/dashboard/admin/audit"),
				} {
					if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), want) || !strings.Contains(res.Body.String(), `<html lang="`+lang+`">`) {
						t.Errorf("%s (%s): %d, want a 403 page in %s", role, lang, res.Code, lang)
					}
				}
			}
		}
		if !app.canSignIn(victim.user.Email, testPassword) {
			t.Error("the user was deleted by a non-admin")
		}
		after, _ := app.store.APIKeys(context.Background())
		if len(after) != len(keys) || after[0].RevokedAt != nil {
			t.Error("keys changed")
		}
		users, _ := app.store.Users(context.Background())
		for _, u := range users {
			if u.Email == "sneak@example.com" {
				t.Error("a non-admin created a user")
			}
		}
	})
}
