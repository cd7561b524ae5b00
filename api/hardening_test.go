package api

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

func TestPublicRateLimit(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	app := newTestApp(t, s)
	app.srv = New(Config{Store: s, Logger: testLogger(app.logBuf), BaseURL: "http://brandlift.test", PublicRate: 3})
	st := app.launched(nil)
	url := "/api/v1/public/studies/" + st.PublicKey + "/assignment?rid=x"
	for i := 0; i < 3; i++ {
		app.do("GET", url, "", nil).status(http.StatusConflict) // a signed_link study: answered, not limited
	}
	res := app.do("GET", url, "", nil).status(http.StatusTooManyRequests)
	if p := res.problem(); p.Type != problemBase+"rate-limited" || res.Header().Get("Retry-After") == "" {
		t.Errorf("%+v %v", p, res.Header())
	}
	// Another address has its own bucket; the pixel and management API are not limited.
	app.do("GET", url, "", nil, "RemoteAddr", "10.0.0.2:4000", "X-Forwarded-For", "203.0.113.9").status(http.StatusConflict)
	// A client cannot pick its own address: X-Forwarded-For from an untrusted peer is ignored.
	app.do("GET", url, "", nil, "X-Forwarded-For", "198.51.100.7").status(http.StatusTooManyRequests)
	for i := 0; i < 5; i++ {
		app.do("GET", "/px/"+st.PublicKey+"?rid=x", "", nil).status(http.StatusOK)
		app.do("GET", "/api/v1/studies", survey.RoleAnalyst, nil).status(http.StatusOK)
	}
}

func TestRateLimiterRefills(t *testing.T) {
	l := newRateLimiter(60)
	now := time.Unix(0, 0)
	l.now = func() time.Time { return now }
	for i := 0; i < 60; i++ {
		if ok, _ := l.allow("a"); !ok {
			t.Fatalf("request %d refused", i)
		}
	}
	ok, wait := l.allow("a")
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("61st: %v %v", ok, wait)
	}
	now = now.Add(time.Second)
	if ok, _ := l.allow("a"); !ok {
		t.Error("not refilled after a second at 60/min")
	}
}

func TestPublicBodyLimitAndTimeouts(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		big := strings.Repeat("x", 65<<10)
		app.do("POST", "/api/v1/public/responses", "", `{"token":"`+big+`"}`).status(http.StatusRequestEntityTooLarge).problem()
		app.do("POST", "/s/"+st.PublicKey, "", "t="+big, "Content-Type", "application/x-www-form-urlencoded").
			status(http.StatusRequestEntityTooLarge)
		hs := app.srv.HTTPServer("127.0.0.1:0")
		if hs.ReadHeaderTimeout != 5*time.Second || hs.ReadTimeout != 15*time.Second || hs.WriteTimeout != 30*time.Second || hs.IdleTimeout != 60*time.Second {
			t.Errorf("timeouts %v %v %v %v", hs.ReadHeaderTimeout, hs.ReadTimeout, hs.WriteTimeout, hs.IdleTimeout)
		}
	})
}

func TestSecurityHeadersAndFraming(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["frame_ancestors"] = []string{"https://publisher.example"} })
		tok := app.links(st, map[string]any{"rid": "a", "group": "exposed"})[0].Token
		res := app.do("GET", "/s/"+st.PublicKey+"?t="+tok, "", nil, "RemoteAddr", "127.0.0.1:4000", "X-Forwarded-Proto", "https").status(http.StatusOK)
		csp := res.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors https://publisher.example") || strings.Contains(csp, "unsafe-inline") ||
			!strings.Contains(csp, "script-src 'self' 'nonce-") {
			t.Errorf("CSP %q", csp)
		}
		if !strings.Contains(res.Header().Get("Strict-Transport-Security"), "max-age=") {
			t.Error("no HSTS behind HTTPS")
		}
		if strings.Contains(res.Body.String(), "<script>") || strings.Contains(res.Body.String(), " onclick=") {
			t.Error("inline script in the page")
		}
		res = app.do("GET", "/s/"+st.PublicKey+"?t=bad", "", nil).status(http.StatusForbidden)
		if res.Header().Get("X-Content-Type-Options") != "nosniff" || res.Header().Get("Strict-Transport-Security") != "" {
			t.Errorf("message page headers %v", res.Header())
		}
	})
}

func TestPanicIsAProblem(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	app := newTestApp(t, s)
	app.srv.echo.GET("/test/panic", func(c echo.Context) error { panic("boom: secret detail") })
	rec := httptest.NewRecorder()
	app.srv.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/test/panic", nil))
	res := response{rec, t}
	res.status(http.StatusInternalServerError)
	p := res.problem()
	if strings.Contains(rec.Body.String(), "boom") || strings.Contains(rec.Body.String(), "goroutine") || p.RequestID == "" {
		t.Errorf("panic leaked: %s", rec.Body.String())
	}
	if !strings.Contains(app.logBuf.String(), "boom: secret detail") || !strings.Contains(app.logBuf.String(), p.RequestID) {
		t.Error("panic not logged with its request id")
	}
}

func TestSecretRotationAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		links := app.links(st, map[string]any{"rid": "a", "group": "exposed"}, map[string]any{"rid": "b", "group": "exposed"})
		var rotated survey.Study
		app.do("POST", "/api/v1/studies/"+st.ID+"/rotate-secret", survey.RoleMarketer, map[string]any{"grace_hours": 24}).
			status(http.StatusOK).decode(&rotated)
		if rotated.Secret == st.Secret || rotated.AssignmentKey != st.AssignmentKey {
			t.Fatalf("rotation: secret kept or assignment key changed")
		}
		// Old links work during the grace period.
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[0].Token, "answers": exampleAnswers}).status(http.StatusCreated)
		// With no grace they stop at once.
		app.do("POST", "/api/v1/studies/"+st.ID+"/rotate-secret", survey.RoleMarketer, map[string]any{"grace_hours": 0}).status(http.StatusOK)
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[1].Token, "answers": exampleAnswers}).status(http.StatusForbidden)
		app.do("POST", "/api/v1/studies/"+st.ID+"/rotate-secret", survey.RoleMarketer, map[string]any{"grace_hours": 9999}).status(http.StatusUnprocessableEntity)
		if strings.Contains(app.logBuf.String(), rotated.Secret) || strings.Contains(app.logBuf.String(), st.Secret) {
			t.Error("a secret reached the log")
		}
	})
}

func TestAuditLog(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		other := app.createStudy(exampleStudy(t))
		app.do("POST", "/api/v1/studies/"+st.ID+"/pause", survey.RoleMarketer, nil).status(http.StatusOK)
		app.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
		app.do("GET", "/api/v1/studies/"+st.ID+"/responses?format=jsonl", survey.RoleAnalyst, nil).status(http.StatusOK)
		app.do("DELETE", "/api/v1/studies/"+st.ID+"?force=true", survey.RoleAdmin, nil).status(http.StatusNoContent)
		var created CreatedKey
		app.do("POST", "/api/v1/keys", survey.RoleAdmin, map[string]any{"name": "ci", "role": "marketer"}).status(http.StatusCreated).decode(&created)
		app.do("DELETE", "/api/v1/keys/"+created.Key.ID, survey.RoleAdmin, nil).status(http.StatusOK)
		app.do("POST", "/api/v1/users", survey.RoleAdmin, map[string]any{"email": "c@example.com", "role": "analyst", "password": "long enough pw"}).status(http.StatusCreated)

		var page AuditPage
		app.do("GET", "/api/v1/audit?study_id="+st.ID, survey.RoleAdmin, nil).status(http.StatusOK).decode(&page)
		var actions []string
		for _, e := range page.Events {
			actions = append(actions, e.Action)
			if e.StudyID != st.ID || e.At.IsZero() || !strings.HasPrefix(e.Actor, "key:") {
				t.Errorf("event %+v", e)
			}
		}
		want := "study.delete study.export study.close study.pause study.launch study.create"
		if strings.Join(actions, " ") != want {
			t.Errorf("actions %v, want %s", actions, want)
		}
		var all AuditPage
		app.do("GET", "/api/v1/audit?limit=3", survey.RoleAdmin, nil).status(http.StatusOK).decode(&all)
		if len(all.Events) != 3 || all.Events[0].Action != "user.create" || all.NextCursor == "" {
			t.Errorf("page %+v", all)
		}
		app.do("GET", "/api/v1/audit", survey.RoleMarketer, nil).status(http.StatusForbidden)
		_ = other
	})
}

// TestRateLimiterForgetsIdleAddresses: buckets of addresses not seen for
// two minutes are gone, without a scan, and a returning address starts
// with a full bucket (the same answer as if it had been kept).
func TestRateLimiterForgetsIdleAddresses(t *testing.T) {
	l := newRateLimiter(60)
	now := time.Unix(0, 0)
	l.now = func() time.Time { return now }
	for i := 0; i < 5000; i++ {
		l.allow("10.0.0." + strconv.Itoa(i))
	}
	idle := func() int {
		n := 0
		for i := range l.shards {
			for _, m := range []map[string]*rate.Limiter{l.shards[i].current, l.shards[i].previous} {
				for ip := range m {
					if strings.HasPrefix(ip, "10.0.0.") {
						n++
					}
				}
			}
		}
		return n
	}
	if idle() != 5000 {
		t.Fatalf("%d buckets after 5000 addresses", idle())
	}
	for step := 0; step < 2; step++ {
		now = now.Add(61 * time.Second)
		for i := 0; i < 2000; i++ { // traffic from other addresses reaches every shard
			l.allow("busy-" + strconv.Itoa(i))
		}
	}
	if n := idle(); n != 0 {
		t.Errorf("%d buckets of idle addresses kept two minutes later", n)
	}
	if ok, _ := l.allow("10.0.0.1"); !ok {
		t.Error("a returning address is refused")
	}
}
