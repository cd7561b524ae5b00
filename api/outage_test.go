package api

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/labstack/echo/v4"
)

// TestDatabaseErrorsBecome503Or500: every error class the store calls an
// outage is a 503 problem with Retry-After, logged as a warning; anything
// else stays a 500 logged as an error.
func TestDatabaseErrorsBecome503Or500(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	app := newTestApp(t, s)
	want := map[string]int{
		"57P01": 503, "57P03": 503, "25006": 503, "53100": 503, "53200": 503, "53300": 503,
		"40001": 503, "40P01": 503, "08006": 503,
		"42P01": 500, "XX000": 500, "22P05": 500, // a data refusal that is not a submission's is a bug of ours
	}
	fail := map[string]error{}
	for code := range want {
		fail["pg-"+code] = fmt.Errorf("store: unable to fetch study: %w", &pgconn.PgError{Code: code, Message: "x"})
	}
	app.srv.echo.GET("/test/fail/:kind", func(c echo.Context) error { return fail[c.Param("kind")] })
	for code, status := range want {
		rec := httptest.NewRecorder()
		app.srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/test/fail/pg-"+code, nil))
		res := response{rec, t}
		p := res.status(status).problem()
		switch status {
		case 503:
			if p.Type != problemBase+"unavailable" || rec.Header().Get("Retry-After") != retryAfterSeconds {
				t.Errorf("%s: %+v, Retry-After %q", code, p, rec.Header().Get("Retry-After"))
			}
		case 500:
			if p.Type != problemBase+"internal" || rec.Header().Get("Retry-After") != "" {
				t.Errorf("%s: %+v", code, p)
			}
		}
	}
	logs := app.logBuf.String()
	if n := strings.Count(logs, `level=WARN msg="database unavailable"`); n != 9 {
		t.Errorf("%d outage warnings logged, want 9 (one per 503):\n%s", n, logs)
	}
	if n := strings.Count(logs, `level=ERROR msg="request failed"`); n != 3 {
		t.Errorf("%d errors logged, want 3 (one per 500)", n)
	}
}

// TestReadOnlyDatabaseAnswers503: a database that takes no writes (a
// failover in progress, writes turned off) gets 503 with Retry-After from
// every route that writes, the respondent's page in their language, a
// not-ready /readyz, and reads keep working.
func TestReadOnlyDatabaseAnswers503(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := surveytest.DSN(t, d)
			rw := newTestApp(t, surveytest.OpenMigrated(t, dsn))
			st := rw.launched(nil)
			tok := rw.links(st, map[string]any{"rid": "ro", "group": "exposed", "locale": "en"})[0].Token

			roStore := surveytest.ReadOnly(t, d, dsn)
			ro := &testApp{t: t, store: roStore, keys: rw.keys, logBuf: &syncBuffer{}} // the same database, the same keys
			ro.srv = New(Config{Store: roStore, Logger: testLogger(ro.logBuf), BaseURL: "http://brandlift.test"})
			res := ro.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).
				status(http.StatusServiceUnavailable)
			if p := res.problem(); p.Type != problemBase+"unavailable" || res.Header().Get("Retry-After") != retryAfterSeconds {
				t.Errorf("submission: %+v %v", p, res.Header())
			}
			ro.do("POST", "/api/v1/studies", survey.RoleMarketer, exampleStudy(t)).status(http.StatusServiceUnavailable).problem()
			ro.do("POST", "/api/v1/studies/"+st.ID+"/pause", survey.RoleMarketer, nil).status(http.StatusServiceUnavailable).problem()
			ro.do("GET", "/api/v1/studies/"+st.ID, survey.RoleAnalyst, nil).status(http.StatusOK) // reads work
			page := ro.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(tok), "", nil).status(http.StatusOK)
			if !strings.Contains(page.Body.String(), "<form") {
				t.Errorf("survey page on a read-only database: %s", page.Body.String())
			}
			form := url.Values{"t": {tok}, "q.recall": {"yes"}, "q.nps": {"9"}, "q.csat": {"4"}}
			post := ro.do("POST", "/s/"+st.PublicKey, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").
				status(http.StatusServiceUnavailable)
			if !strings.Contains(post.Body.String(), "Your answers were not saved") || post.Header().Get("Retry-After") != retryAfterSeconds {
				t.Errorf("form post: %v %s", post.Header(), post.Body.String())
			}
			ready := ro.do("GET", "/readyz", "", nil).status(http.StatusServiceUnavailable)
			if p := ready.problem(); p.Reason != "read_only" {
				t.Errorf("readyz: %+v", p)
			}
			ro.do("GET", "/healthz", "", nil).status(http.StatusOK)
			// The same submission, retried once writes work, is stored once.
			rw.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).status(http.StatusCreated)
			rw.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).status(http.StatusOK)
		})
	}
}

// TestDatabaseDownRespondentPages: with the database gone, even the
// study lookup fails; the respondent still gets a page in their language
// with 503 and Retry-After, the thanks page still thanks (the answer was
// committed before the redirect), the pixel still answers its image and
// the assignment API a problem.
func TestDatabaseDownRespondentPages(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		tok := app.links(st, map[string]any{"rid": "down", "group": "exposed"})[0].Token
		app.store.Close() // nothing is cached yet: the first lookup fails
		for _, lang := range []struct{ accept, title string }{
			{"en", "The survey is unavailable for a moment"}, {"ru", "Опрос временно недоступен"},
		} {
			res := app.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(tok), "", nil, "Accept-Language", lang.accept).
				status(http.StatusServiceUnavailable)
			if !strings.HasPrefix(res.Header().Get("Content-Type"), "text/html") || !strings.Contains(res.Body.String(), lang.title) ||
				res.Header().Get("Retry-After") != retryAfterSeconds || !strings.Contains(res.Body.String(), `lang="`+lang.accept+`"`) {
				t.Errorf("%s page: %v %s", lang.accept, res.Header(), res.Body.String())
			}
		}
		form := url.Values{"t": {tok}, "q.recall": {"yes"}, "q.nps": {"9"}, "q.csat": {"4"}}
		post := app.do("POST", "/s/"+st.PublicKey+"?lang=en", "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").
			status(http.StatusServiceUnavailable)
		if !strings.Contains(post.Body.String(), "not saved") {
			t.Errorf("form post: %s", post.Body.String())
		}
		thanks := app.do("GET", "/s/"+st.PublicKey+"/thanks?lang=en", "", nil).status(http.StatusOK)
		if !strings.Contains(thanks.Body.String(), "Thank you") {
			t.Errorf("thanks: %s", thanks.Body.String())
		}
		app.do("GET", "/api/v1/public/studies/"+st.PublicKey+"/assignment?rid=x", "", nil).status(http.StatusServiceUnavailable).problem()
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).
			status(http.StatusServiceUnavailable).problem()
		px := app.do("GET", "/px/"+st.PublicKey+"?rid=x", "", nil).status(http.StatusOK)
		if !bytes.Equal(px.Body.Bytes(), transparentGIF) {
			t.Error("pixel without its image")
		}
		if p := app.do("GET", "/readyz", "", nil).status(http.StatusServiceUnavailable).problem(); p.Reason != "unreachable" {
			t.Errorf("readyz: %+v", p)
		}
		if strings.Contains(app.logBuf.String(), "level=ERROR") {
			t.Errorf("an outage was logged as an error:\n%s", app.logBuf.String())
		}
	})
}

// TestNosniffEverywhere: every kind of response says nosniff, so that a
// text answer "<script>" served inside JSON is never run as HTML.
func TestNosniffEverywhere(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		tok := app.links(st, map[string]any{"rid": "n", "group": "exposed"})[0].Token
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok,
			"answers": map[string]any{"recall": "yes", "nps": 9, "csat": 4, "why": "<script>alert(1)</script>"}}).status(http.StatusCreated)
		for _, path := range []string{
			"/healthz", "/readyz", "/api/v1/openapi.json", "/api/v1/studies/" + st.ID + "/results/text/why",
			"/api/v1/studies/" + st.ID + "/responses?format=csv", "/api/v1/nothing", "/px/" + st.PublicKey + "?rid=n",
			"/s/" + st.PublicKey + "?t=" + url.QueryEscape(tok), "/api/v1/studies/" + st.ID + "/results",
		} {
			res := app.do("GET", path, survey.RoleAnalyst, nil)
			if res.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s (%d): no nosniff", path, res.Code)
			}
		}
		rec := httptest.NewRecorder()
		app.srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/static/survey.css", nil))
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("static file (%d): no nosniff", rec.Code)
		}
	})
}
