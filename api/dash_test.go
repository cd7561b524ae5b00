package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// TestDashSignInAndOut walks the sign-in page: a page without a session
// goes to sign-in and comes back after it; a wrong password is said in
// the page's language; sign-out ends the session.
func TestDashSignInAndOut(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		anon := &pageClient{t: t, app: app}
		res := anon.get("/dashboard/studies/x/results?confidence=0.8")
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/login?next="+url.QueryEscape("/dashboard/studies/x/results?confidence=0.8") {
			t.Fatalf("page without a session: %d to %q", res.Code, res.Header().Get("Location"))
		}
		if res := anon.get("/"); res.Code != http.StatusFound || res.Header().Get("Location") != "/dashboard" {
			t.Fatalf("/: %d to %q", res.Code, res.Header().Get("Location"))
		}
		page := anon.get("/login?lang=en").status(http.StatusOK).Body.String()
		for _, want := range []string{`lang="en"`, "Sign in to Brandlift", `name="email"`, `type="password"`, "brandlift users create"} {
			if !strings.Contains(page, want) {
				t.Errorf("sign-in page lacks %q", want)
			}
		}

		u, err := app.store.CreateUser(context.Background(), "ann@example.com", survey.RoleMarketer, testPassword)
		if err != nil {
			t.Fatal(err)
		}
		wrong := anon.post("/login", url.Values{"email": {u.Email}, "password": {"nope"}, "lang": {"ru"}})
		if wrong.Code != http.StatusUnauthorized || !strings.Contains(wrong.Body.String(), "Неверная почта или пароль") ||
			!strings.Contains(wrong.Body.String(), `value="ann@example.com"`) {
			t.Fatalf("wrong password: %d %s", wrong.Code, wrong.Body.String())
		}
		for _, next := range []string{"//evil.example/x", "https://evil.example", `/\evil.example`} {
			res := anon.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {next}})
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/dashboard" {
				t.Errorf("next=%q: %d to %q, want /dashboard", next, res.Code, res.Header().Get("Location"))
			}
		}

		pc := app.signIn(survey.RoleAnalyst, "en")
		if res := pc.get("/login"); res.Code != http.StatusSeeOther {
			t.Errorf("sign-in page while signed in: %d, want a redirect", res.Code)
		}
		if res := pc.post("/logout", url.Values{}); res.Code != http.StatusSeeOther {
			t.Fatalf("sign out: %d %s", res.Code, res.Body.String())
		}
		if res := pc.get("/dashboard"); res.Code != http.StatusSeeOther {
			t.Errorf("after sign-out the list answered %d, want a redirect to sign-in", res.Code)
		}
	})
}

// TestDashLanguageIsRemembered switches the language and finds it on the
// next page and in the user's record; a user without a choice gets the
// one they signed in with.
func TestDashLanguageIsRemembered(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleAnalyst, "")
		if body := pc.get("/dashboard").Body.String(); !strings.Contains(body, `<html lang="ru">`) || !strings.Contains(body, "Исследования") {
			t.Fatalf("first page is not Russian: %.300s", body)
		}
		res := pc.post("/dashboard/language", url.Values{"lang": {"en"}, "next": {"/dashboard?status=live"}})
		if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/dashboard?status=live" {
			t.Fatalf("switch: %d to %q", res.Code, res.Header().Get("Location"))
		}
		if body := pc.get("/dashboard").Body.String(); !strings.Contains(body, `<html lang="en">`) || !strings.Contains(body, "Studies") {
			t.Fatalf("after the switch the page is not English")
		}
		users, err := app.store.Users(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users {
			if u.ID == pc.user.ID && u.Language != "en" {
				t.Errorf("stored language %q, want en", u.Language)
			}
		}
		if res := pc.post("/dashboard/language", url.Values{"lang": {"de"}}); res.Code != http.StatusUnprocessableEntity {
			t.Errorf("lang=de: %d, want 422", res.Code)
		}
	})
}

// TestDashPagesEnforceRoles is generated from the page route table: every
// page without a session goes to sign-in, a role below the page's gets a
// 403 page in the user's language, a role at or above it gets past the
// check, and a form without the session's token is refused.
func TestDashPagesEnforceRoles(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		users := map[survey.Role]*pageClient{}
		for _, r := range []survey.Role{survey.RoleAnalyst, survey.RoleMarketer, survey.RoleAdmin} {
			users[r] = app.signIn(r, "ru")
		}
		fill := strings.NewReplacer(":id", st.ID, ":action", "pause", ":question", "why", "*", "nothing-here")
		checked := 0
		for _, r := range app.srv.pageRoutes() {
			if r.path == "/logout" {
				continue // ends the session the rest of the loop uses; TestDashSignInAndOut tries it
			}
			path := fill.Replace(r.path)
			if strings.Contains(r.path, "/users/:id") || strings.Contains(r.path, "/keys/:id") {
				path = strings.Replace(r.path, ":id", "no-such-id", 1)
			}
			checked++
			anon := &pageClient{t: t, app: app}
			var res response
			if r.method == http.MethodGet {
				res = anon.get(path)
			} else {
				res = anon.post(path, url.Values{})
			}
			if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/login?next=") {
				t.Errorf("%s %s without a session: %d to %q, want sign-in", r.method, r.path, res.Code, res.Header().Get("Location"))
			}
			for role, pc := range users {
				if r.method == http.MethodGet {
					res = pc.get(path)
				} else {
					res = pc.post(path, url.Values{})
				}
				allowed := level(role) >= r.access
				body := res.Body.String()
				switch {
				case !allowed && (res.Code != http.StatusForbidden || !strings.Contains(body, "Недостаточно прав") || !strings.Contains(body, `<html lang="ru">`)):
					t.Errorf("%s %s as %s: %d, want a Russian 403 page (needs %s)", r.method, r.path, role, res.Code, r.access)
				case allowed && res.Code == http.StatusForbidden:
					t.Errorf("%s %s as %s: 403, want access (needs %s): %.300s", r.method, r.path, role, r.access, body)
				}
				if r.method == http.MethodPost && allowed {
					res := pc.post(path, url.Values{"csrf": {"forged"}})
					if res.Code != http.StatusForbidden {
						t.Errorf("%s %s as %s with a forged token: %d, want 403", r.method, r.path, role, res.Code)
					}
				}
			}
		}
		if checked < 27 {
			t.Errorf("only %d page routes checked", checked)
		}
		if res := users[survey.RoleAdmin].get("/dashboard/no/such/page"); res.Code != http.StatusNotFound || !strings.Contains(res.Body.String(), "Страница не найдена") {
			t.Errorf("unknown page: %d", res.Code)
		}
	})
}

// TestDashStudiesList filters, searches and pages the list, and shows
// progress against the target.
func TestDashStudiesList(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		for i := range studiesPageSize + 3 {
			name := "Кампания " + strconv.Itoa(i)
			if i == 7 {
				name = "Весна 50%_off"
			}
			body := exampleStudy(t)
			body["name"] = name
			app.createStudy(body)
		}
		live := app.launched(func(b map[string]any) { b["name"] = "Осень"; b["target_per_group"] = 400 })
		pc := app.signIn(survey.RoleAnalyst, "ru")

		first := pc.get("/dashboard").status(http.StatusOK).Body.String()
		if n := strings.Count(first, `<a href="/dashboard/studies/`); n != studiesPageSize {
			t.Errorf("first page lists %d studies, want %d", n, studiesPageSize)
		}
		next := textBetween(first, `<a href="/dashboard?`, `"`)
		if next == "" || !strings.Contains(next, "cursor=") {
			t.Fatalf("no next page link")
		}
		second := pc.get("/dashboard?" + strings.ReplaceAll(next, "&amp;", "&")).status(http.StatusOK).Body.String()
		if n := strings.Count(second, `<a href="/dashboard/studies/`); n != 4 {
			t.Errorf("second page lists %d studies, want 4", n)
		}
		if !strings.Contains(second, "В начало списка") {
			t.Errorf("second page has no link back to the first")
		}

		found := pc.get("/dashboard?q=" + url.QueryEscape("50%_")).Body.String()
		if !strings.Contains(found, "Весна 50%_off") || strings.Count(found, `<a href="/dashboard/studies/`) != 1 {
			t.Errorf("search for 50%%_ did not find exactly the one study")
		}
		liveOnly := pc.get("/dashboard?status=live").Body.String()
		if strings.Count(liveOnly, `<a href="/dashboard/studies/`) != 1 || !strings.Contains(liveOnly, "Осень") ||
			!strings.Contains(liveOnly, `<progress max="400" value="0"`) || !strings.Contains(liveOnly, "0 из 400") {
			t.Errorf("status=live: want only Осень with its progress against 400")
		}
		if res := pc.get("/dashboard?status=finished"); res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "status") {
			t.Errorf("status=finished: %d, want a 400 page naming status", res.Code)
		}
		if !strings.Contains(pc.get("/dashboard?kind=nps").Body.String(), "Исследований не найдено") {
			t.Errorf("kind=nps shows studies")
		}
		_ = live
	})
}

// TestDashLifecycle launches, pauses, resumes and closes a study from its
// page, each behind its confirmation, audited as the API does; the live
// counts answer JSON; deletion keeps its rules.
func TestDashLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.createStudy(exampleStudy(t))
		pc := app.signIn(survey.RoleMarketer, "en")
		page := pc.get("/dashboard/studies/" + st.ID).status(http.StatusOK).Body.String()
		if !strings.Contains(page, "/confirm/launch") || strings.Contains(page, "/confirm/pause") {
			t.Errorf("a draft offers: launch %v, pause %v", strings.Contains(page, "/confirm/launch"), strings.Contains(page, "/confirm/pause"))
		}
		confirm := pc.get("/dashboard/studies/" + st.ID + "/confirm/launch").status(http.StatusOK).Body.String()
		if !strings.Contains(confirm, "Questions cannot change after launch") {
			t.Errorf("the launch confirmation does not say that questions freeze")
		}
		for _, step := range []struct{ action, status, notice string }{
			{"launch", "live", "notice_launched"}, {"pause", "paused", "notice_paused"},
			{"resume", "live", "notice_resumed"}, {"close", "closed", "notice_closed"},
		} {
			res := pc.post("/dashboard/studies/"+st.ID+"/lifecycle", url.Values{"action": {step.action}})
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/dashboard/studies/"+st.ID+"?notice="+step.notice {
				t.Fatalf("%s: %d to %q: %s", step.action, res.Code, res.Header().Get("Location"), res.Body.String())
			}
			var got survey.Study
			app.do("GET", "/api/v1/studies/"+st.ID, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&got)
			if string(got.Status) != step.status {
				t.Fatalf("after %s the study is %s", step.action, got.Status)
			}
		}
		if !strings.Contains(pc.get("/dashboard/studies/"+st.ID+"?notice=notice_closed").Body.String(), "The study is closed.") {
			t.Errorf("the notice is not shown")
		}
		again := pc.post("/dashboard/studies/"+st.ID+"/lifecycle", url.Values{"action": {"launch"}})
		if again.Code != http.StatusConflict || !strings.Contains(again.Body.String(), "Not possible now") {
			t.Errorf("launching a closed study: %d", again.Code)
		}
		var audit struct{ Events []survey.AuditEvent }
		app.do("GET", "/api/v1/audit?study_id="+st.ID, survey.RoleAdmin, nil).status(http.StatusOK).decode(&audit)
		actions := map[string]string{}
		for _, e := range audit.Events {
			actions[e.Action] = e.Actor
		}
		for _, a := range []string{"study.launch", "study.pause", "study.resume", "study.close"} {
			if actions[a] != "user:"+pc.user.Email {
				t.Errorf("audit %s by %q, want the user", a, actions[a])
			}
		}

		var live liveFields
		if err := json.Unmarshal(pc.get("/dashboard/studies/"+st.ID+"/progress").status(http.StatusOK).Body.Bytes(), &live); err != nil {
			t.Fatal(err)
		}
		if live.Fields["n_exposed"] != "0" || live.Fields["status"] != "Closed" {
			t.Errorf("progress fields %v", live.Fields)
		}

		admin := app.signIn(survey.RoleAdmin, "en")
		if res := admin.post("/dashboard/studies/"+st.ID+"/delete", url.Values{}); res.Code != http.StatusConflict {
			t.Errorf("deleting a closed study without force: %d, want 409", res.Code)
		}
		if res := admin.post("/dashboard/studies/"+st.ID+"/delete", url.Values{"force": {"true"}}); res.Code != http.StatusSeeOther {
			t.Fatalf("delete with force: %d %s", res.Code, res.Body.String())
		}
		app.do("GET", "/api/v1/studies/"+st.ID, survey.RoleAnalyst, nil).status(http.StatusNotFound)
	})
}

// textBetween is the text of s after the first start up to end.
func textBetween(s, start, end string) string {
	_, rest, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, end)
	return v
}

// TestDashDatabaseDown: with the database away, every page, the sign-in
// page included, is a 503 page that says so in the reader's language,
// with Retry-After, and nothing is logged as a failure.
func TestDashDatabaseDown(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleAdmin, "ru")
		app.store.Close()
		for _, res := range []response{
			pc.get("/dashboard"), pc.get("/login"),
			pc.post("/login", url.Values{"email": {"a@example.com"}, "password": {"x"}, "lang": {"ru"}}),
			pc.post("/dashboard/language", url.Values{"lang": {"en"}}),
		} {
			if res.Code != http.StatusServiceUnavailable || res.Header().Get("Retry-After") != retryAfterSeconds ||
				!strings.Contains(res.Body.String(), "Сервис временно недоступен") || !strings.HasPrefix(res.Header().Get("Content-Type"), "text/html") {
				t.Errorf("%d %v %.200s", res.Code, res.Header(), res.Body.String())
			}
		}
		if strings.Contains(app.logBuf.String(), "level=ERROR") {
			t.Errorf("an outage was logged as an error:\n%s", app.logBuf.String())
		}
	})
}

// TestDashFormTooLarge: a form over the limit is a 413 page that says
// so, not a form refused for its token.
func TestDashFormTooLarge(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		pc := app.signIn(survey.RoleMarketer, "en")
		res := pc.post("/dashboard/studies/"+st.ID+"/links", url.Values{"rids": {strings.Repeat("someone\n", pageBodyLimit/8+1)}})
		if res.Code != http.StatusRequestEntityTooLarge || !strings.Contains(res.Body.String(), "larger than 8 MiB") {
			t.Errorf("%d %.300s", res.Code, res.Body.String())
		}
	})
}
