package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// pageClient is a signed-in dashboard user talking to the app in process:
// it keeps the session cookie and sends the form token like a browser.
type pageClient struct {
	t      *testing.T
	app    *testApp
	user   survey.User
	cookie *http.Cookie
	csrf   string
}

// testPassword is every test user's password.
const testPassword = "correct horse battery staple"

// signIn creates a user with role (and language lang, "" for none) and
// signs them in through the sign-in form.
func (a *testApp) signIn(role survey.Role, lang string) *pageClient {
	a.t.Helper()
	ctx := context.Background()
	u, err := a.store.CreateUser(ctx, string(role)+"-"+survey.NewID()[18:]+"@example.com", role, testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	if lang != "" {
		if err := a.store.SetUserLanguage(ctx, u.ID, lang); err != nil {
			a.t.Fatal(err)
		}
	}
	pc := &pageClient{t: a.t, app: a, user: u}
	res := pc.post("/login", url.Values{"email": {u.Email}, "password": {testPassword}, "next": {"/dashboard"}})
	if res.Code != http.StatusSeeOther {
		a.t.Fatalf("sign in as %s: %d %s", role, res.Code, res.Body.String())
	}
	for _, c := range res.Result().Cookies() {
		if c.Name == SessionCookie {
			pc.cookie = c
		}
	}
	if pc.cookie == nil {
		a.t.Fatal("sign-in set no session cookie")
	}
	page := pc.get("/dashboard")
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindStringSubmatch(page.Body.String())
	if m == nil {
		a.t.Fatalf("the studies page has no form token: %s", page.Body.String())
	}
	pc.csrf = m[1]
	return pc
}

// get fetches a page.
func (pc *pageClient) get(path string) response {
	pc.t.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	return pc.send(req)
}

// post sends a form as the page would, with the session's token.
func (pc *pageClient) post(path string, form url.Values) response {
	pc.t.Helper()
	if pc.csrf != "" && form.Get("csrf") == "" {
		form.Set("csrf", pc.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return pc.send(req)
}

func (pc *pageClient) send(req *http.Request) response {
	if pc.cookie != nil {
		req.AddCookie(pc.cookie)
	}
	rec := httptest.NewRecorder()
	pc.app.srv.Handler().ServeHTTP(rec, req)
	return response{rec, pc.t}
}

// signInBrowser creates a user with role and language and gives the tab
// their session, as the sign-in form would.
func (b *browser) signInBrowser(t *testing.T, ctx context.Context, role survey.Role, lang string) *pageClient {
	t.Helper()
	pc := b.as(t).signIn(role, lang)
	httpOnly := true
	if _, err := chromedp.Call(ctx, network.SetCookie, network.SetCookieParams{Name: pc.cookie.Name, Value: pc.cookie.Value,
		URL: b.srv.URL + "/", Path: "/", HTTPOnly: &httpOnly}); err != nil {
		t.Fatalf("set the session cookie: %v", err)
	}
	return pc
}
