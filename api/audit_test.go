package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// TestRespondentIDNeverLogged: erasing a respondent logs the route, not
// the id, which the store promises never to keep.
func TestRespondentIDNeverLogged(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		app.do("DELETE", "/api/v1/studies/"+st.ID+"/respondents/person-4711@example.com", survey.RoleAdmin, nil).status(http.StatusOK)
		app.do("DELETE", "/api/v1/studies/nope/respondents/person-4711@example.com", survey.RoleAdmin, nil).status(http.StatusNotFound)
		logs := app.logBuf.String()
		if strings.Contains(logs, "person-4711") {
			t.Errorf("the respondent id reached the log:\n%s", logs)
		}
		if !strings.Contains(logs, "path=/api/v1/studies/:id/respondents/:rid") {
			t.Errorf("the request is not logged by its route:\n%s", logs)
		}
	})
}

// TestAuditAutoCloseAndFailedSignIn: the audit log records what nobody
// clicked (a full study closing itself, actor "system") and failed
// sign-ins (the email as typed and the address, never the password).
func TestAuditAutoCloseAndFailedSignIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["target_per_group"] = 1; b["auto_close"] = true })
		links := app.links(st, map[string]any{"rid": "e", "group": "exposed"}, map[string]any{"rid": "c", "group": "control"})
		for _, l := range links {
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token, "answers": exampleAnswers}).status(http.StatusCreated)
		}
		var closed survey.Study
		app.do("GET", "/api/v1/studies/"+st.ID, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&closed)
		if closed.Status != survey.StatusClosed {
			t.Fatalf("status %s after both groups filled", closed.Status)
		}
		var page AuditPage
		app.do("GET", "/api/v1/audit?study_id="+st.ID, survey.RoleAdmin, nil).status(http.StatusOK).decode(&page)
		if len(page.Events) == 0 || page.Events[0].Action != "study.close" || page.Events[0].Actor != survey.SystemActor ||
			page.Events[0].Detail["reason"] != "auto_close" {
			t.Errorf("newest event %+v, want study.close by system", page.Events)
		}

		app.do("POST", "/api/v1/auth/login", "", map[string]any{"email": " Nobody@Example.com", "password": "s3cret-guess-1"}).
			status(http.StatusUnauthorized)
		app.do("GET", "/api/v1/audit?limit=1", survey.RoleAdmin, nil).status(http.StatusOK).decode(&page)
		e := page.Events[0]
		if e.Action != "user.login_failed" || e.Actor != "anonymous" || e.Detail["email"] != " Nobody@Example.com" ||
			e.Detail["ip"] != "192.0.2.1" || e.Detail["reason"] != "wrong_credentials" {
			t.Errorf("failed sign-in event %+v", e)
		}
		res := app.do("GET", "/api/v1/audit?limit=1", survey.RoleAdmin, nil)
		if strings.Contains(res.Body.String(), "s3cret-guess-1") || strings.Contains(app.logBuf.String(), "s3cret-guess-1") {
			t.Error("the password reached the audit log or the server log")
		}
	})
}
