package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// launched creates the example study with changes, launched, and returns
// it with the marketer's view (including the secret).
func (a *testApp) launched(change func(body map[string]any)) survey.Study {
	a.t.Helper()
	body := exampleStudy(a.t)
	if change != nil {
		change(body)
	}
	st := a.createStudy(body)
	a.do("POST", "/api/v1/studies/"+st.ID+"/launch", survey.RoleMarketer, nil).status(http.StatusOK).decode(&st)
	return st
}

func (a *testApp) links(st survey.Study, respondents ...map[string]any) []Link {
	a.t.Helper()
	var out struct{ Links []Link }
	a.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer, map[string]any{"respondents": respondents}).
		status(http.StatusOK).decode(&out)
	return out.Links
}

var exampleAnswers = map[string]any{"recall": "yes", "nps": 9, "csat": 4, "why": "нравится"}

func TestLinksAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		links := app.links(st,
			map[string]any{"rid": "u-1", "group": "exposed", "attrs": map[string]string{"age": "25-34"}},
			map[string]any{"rid": "u-2", "group": "control"},
			map[string]any{"rid": "u-3", "group": "exposed", "locale": "en"})
		if len(links) != 3 || links[2].RID != "u-3" {
			t.Fatalf("links %+v", links)
		}
		for _, l := range links {
			u, err := url.Parse(l.URL)
			if err != nil || u.Host != "brandlift.test" || u.Path != "/s/"+st.PublicKey || u.Query().Get("t") != l.Token {
				t.Errorf("link %+v", l)
			}
			tok, err := survey.PeekToken(l.Token)
			if err != nil || tok.RID != l.RID || tok.Study != st.PublicKey {
				t.Errorf("token %+v %v", tok, err)
			}
		}
		past := time.Now().Add(-time.Hour).Format(time.RFC3339)
		p := app.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer, map[string]any{"respondents": []any{
			map[string]any{"rid": "a"},
			map[string]any{"rid": "", "group": "exposed"},
			map[string]any{"rid": "c", "group": "both"},
			map[string]any{"rid": "d", "group": "control", "attrs": map[string]string{"Bad Key": "x"}},
			map[string]any{"rid": "e", "group": "control", "expires_at": past},
			map[string]any{"rid": "f", "group": "control", "locale": "de"},
		}}).status(http.StatusUnprocessableEntity).problem()
		want := []string{"respondents[0].group", "respondents[1].rid", "respondents[2].group",
			"respondents[3].attrs.Bad Key", "respondents[4].expires_at", "respondents[5].locale"}
		if missing := hasAll(p.fields(), want...); len(missing) > 0 {
			t.Errorf("missing %v in %+v", missing, p.Errors)
		}
		many := make([]any, MaxLinksPerCall+1)
		for i := range many {
			many[i] = map[string]any{"rid": fmt.Sprint(i), "group": "exposed"}
		}
		app.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer, map[string]any{"respondents": many}).
			status(http.StatusUnprocessableEntity)
		full := app.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer, map[string]any{"respondents": many[:MaxLinksPerCall]}).
			status(http.StatusOK)
		var out struct{ Links []Link }
		full.decode(&out)
		if len(out.Links) != MaxLinksPerCall {
			t.Errorf("minted %d of %d", len(out.Links), MaxLinksPerCall)
		}
		holdout := app.launched(func(b map[string]any) { b["assignment"] = "holdout" })
		p = app.do("POST", "/api/v1/studies/"+holdout.ID+"/links", survey.RoleMarketer, map[string]any{"respondents": []any{
			map[string]any{"rid": "a", "group": "exposed"}}}).status(http.StatusUnprocessableEntity).problem()
		if p.Errors[0].Field != "respondents[0].group" {
			t.Errorf("%+v", p.Errors)
		}
	})
}

func TestSubmitAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		links := app.links(st, map[string]any{"rid": "u-1", "group": "exposed"}, map[string]any{"rid": "u-2", "group": "control"})
		tok := links[0].Token
		var first, again SubmitReply
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers, "locale": "ru"}).
			status(http.StatusCreated).decode(&first)
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).
			status(http.StatusOK).decode(&again)
		if first.ID == "" || again.ID != first.ID || first.Status != "created" || again.Status != "duplicate" {
			t.Fatalf("first %+v again %+v", first, again)
		}

		// 50 concurrent submits of one token store one response.
		tok2 := links[1].Token
		var wg sync.WaitGroup
		codes := make([]int, 50)
		ids := make([]string, 50)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok2, "answers": exampleAnswers})
				var r SubmitReply
				json.Unmarshal(res.Body.Bytes(), &r)
				codes[i], ids[i] = res.Code, r.ID
			}()
		}
		wg.Wait()
		created := 0
		for i := range codes {
			if codes[i] == http.StatusCreated {
				created++
			} else if codes[i] != http.StatusOK {
				t.Fatalf("concurrent submit %d: %d", i, codes[i])
			}
			if ids[i] != ids[0] {
				t.Fatalf("ids differ: %s %s", ids[i], ids[0])
			}
		}
		var n int64
		app.store.DB().Table("responses").Where("study_id = ?", st.ID).Count(&n)
		if created != 1 || n != 2 {
			t.Fatalf("%d created, %d stored", created, n)
		}
	})
}

func TestSubmitAPIRefusals(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		other := app.launched(nil)
		tok := app.links(st, map[string]any{"rid": "u-1", "group": "exposed"})[0].Token
		otherTok := app.links(other, map[string]any{"rid": "u-1", "group": "exposed"})[0].Token
		body, sig, _ := strings.Cut(tok, ".")
		_, otherSig, _ := strings.Cut(otherTok, ".")
		expired := app.do("POST", "/api/v1/studies/"+st.ID+"/links", survey.RoleMarketer, map[string]any{"respondents": []any{
			map[string]any{"rid": "late", "group": "exposed", "expires_at": time.Now().Add(time.Second).Format(time.RFC3339Nano)}}})
		var exp struct{ Links []Link }
		expired.status(http.StatusOK).decode(&exp)
		time.Sleep(1100 * time.Millisecond)

		post := func(b any, headers ...string) response {
			return app.do("POST", "/api/v1/public/responses", "", b, headers...)
		}
		cases := []struct {
			name   string
			res    response
			status int
			typ    string
			field  string
		}{
			{"tampered signature", post(map[string]any{"token": body + "." + sig[:len(sig)-3] + "AAA", "answers": exampleAnswers}), 403, "token-invalid", "token"},
			{"signature of another study", post(map[string]any{"token": body + "." + otherSig, "answers": exampleAnswers}), 403, "token-invalid", "token"},
			{"expired", post(map[string]any{"token": exp.Links[0].Token, "answers": exampleAnswers}), 403, "token-expired", "token"},
			{"garbage token", post(map[string]any{"token": "x.y", "answers": exampleAnswers}), 400, "bad-request", "token"},
			{"no token", post(map[string]any{"answers": exampleAnswers}), 400, "bad-request", "token"},
			{"unknown field", post(map[string]any{"token": tok, "answers": exampleAnswers, "group": "exposed"}), 400, "bad-request", "group"},
			{"malformed JSON", post(`{"token": "`), 400, "bad-request", ""},
			{"wrong content type", post(`token=x`, "Content-Type", "text/plain"), 415, "unsupported-media-type", ""},
			{"oversized body", post(`{"token":"` + strings.Repeat("x", 70<<10) + `"}`), 413, "too-large", ""},
			{"bad answers", post(map[string]any{"token": tok, "answers": map[string]any{"recall": "maybe", "nps": 9.5, "csat": 6, "zzz": 1}}),
				422, "validation", "answers.recall"},
			{"bad locale", post(map[string]any{"token": tok, "answers": exampleAnswers, "locale": "de"}), 422, "validation", "locale"},
		}
		for _, c := range cases {
			if c.res.Code != c.status {
				t.Errorf("%s: status %d, want %d: %s", c.name, c.res.Code, c.status, c.res.Body.String())
				continue
			}
			p := c.res.problem()
			if p.Type != problemBase+c.typ {
				t.Errorf("%s: type %s", c.name, p.Type)
			}
			if c.field != "" && len(hasAll(p.fields(), c.field)) > 0 {
				t.Errorf("%s: field %s not named in %+v", c.name, c.field, p.Errors)
			}
		}
		var n int64
		app.store.DB().Table("responses").Where("study_id = ?", st.ID).Count(&n)
		if n != 0 {
			t.Fatalf("refused submissions stored %d responses", n)
		}
		// Not live, then full.
		app.do("POST", "/api/v1/studies/"+st.ID+"/pause", survey.RoleMarketer, nil).status(http.StatusOK)
		if p := post(map[string]any{"token": tok, "answers": exampleAnswers}).status(http.StatusConflict).problem(); p.CurrentStatus != survey.StatusPaused {
			t.Errorf("paused: %+v", p)
		}
	})
}

// TestTextAnswersVerbatim stores SQL- and HTML-like text exactly and shows
// it escaped when the page renders it back.
func TestTextAnswersVerbatim(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		links := app.links(st, map[string]any{"rid": "u-1", "group": "exposed"}, map[string]any{"rid": "u-2", "group": "exposed"})
		nasty := `Robert'); DROP TABLE responses;-- <script>alert("x")</script> & «ёлка»`
		answers := map[string]any{"recall": "yes", "nps": 9, "csat": 4, "why": nasty}
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[0].Token, "answers": answers}).status(http.StatusCreated)
		var stored string
		app.store.DB().Raw("SELECT answers FROM responses WHERE study_id = ?", st.ID).Scan(&stored)
		var a map[string]any
		json.Unmarshal([]byte(stored), &a)
		if a["why"] != nasty {
			t.Fatalf("stored %q", a["why"])
		}
		// A failed form post renders the text back into the page, escaped.
		form := url.Values{"t": {links[1].Token}, "q.why": {nasty}, "q.recall": {"yes"}}
		res := app.do("POST", "/s/"+st.PublicKey, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").
			status(http.StatusUnprocessableEntity)
		page := res.Body.String()
		if strings.Contains(page, "<script>alert") || !strings.Contains(page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			t.Errorf("text not escaped in the page")
		}
	})
}

func TestPixel(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["assignment"] = "exposure" })
		tok := app.links(st, map[string]any{"rid": "viewer"})[0].Token
		paths := []string{
			"/px/" + st.PublicKey + "?rid=viewer&creative=c1&placement=p1&cb=1",
			"/px/" + st.PublicKey + "?rid=viewer&creative=c2&cb=2",
			"/px/" + st.PublicKey + "?t=" + url.QueryEscape(tok),
			"/px/" + st.PublicKey,                                      // no rid
			"/px/" + st.PublicKey + "?t=forged.token",                  // bad token
			"/px/unknown-study?rid=x",                                  // unknown study
			"/px/" + st.PublicKey + "?rid=" + strings.Repeat("x", 300), // rid too long
		}
		for _, p := range paths {
			res := app.do("GET", p, "", nil)
			if res.Code != 200 || res.Header().Get("Content-Type") != "image/gif" || !bytes.Equal(res.Body.Bytes(), transparentGIF) {
				t.Errorf("%s: %d %s", p, res.Code, res.Header().Get("Content-Type"))
			}
			if !strings.Contains(res.Header().Get("Cache-Control"), "no-store") {
				t.Errorf("%s: cacheable pixel", p)
			}
		}
		full, _ := app.store.Study(t.Context(), st.ID)
		exp, err := app.store.Exposure(t.Context(), full, "viewer")
		if err != nil || exp.Count != 3 || exp.Creative != "c2" || exp.Placement != "p1" {
			t.Fatalf("exposure %+v %v", exp, err)
		}
		// The respondent is exposed, with frequency 3, when they answer.
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).status(http.StatusCreated)
		var row struct {
			Grp       string
			Frequency int
		}
		app.store.DB().Raw("SELECT grp, frequency FROM responses WHERE study_id = ?", st.ID).Scan(&row)
		if row.Grp != "exposed" || row.Frequency != 3 {
			t.Errorf("response %+v", row)
		}
		// A closed study still answers the GIF and records nothing.
		app.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
		app.do("GET", paths[0], "", nil).status(http.StatusOK)
		exp, _ = app.store.Exposure(t.Context(), full, "viewer")
		if exp.Count != 3 {
			t.Errorf("closed study recorded an impression: %d", exp.Count)
		}
	})
}

func TestAssignmentAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["assignment"] = "holdout"; b["control_share"] = 0.3 })
		full, _ := app.store.Study(t.Context(), st.ID)
		for i := 0; i < 20; i++ {
			rid := fmt.Sprint("rid-", i)
			var a Assignment
			app.do("GET", "/api/v1/public/studies/"+st.PublicKey+"/assignment?rid="+rid, "", nil).status(http.StatusOK).decode(&a)
			if a.Group != full.HoldoutGroup(rid) {
				t.Errorf("%s: %s", rid, a.Group)
			}
		}
		app.do("GET", "/api/v1/public/studies/"+st.PublicKey+"/assignment", "", nil).status(http.StatusBadRequest).problem()
		app.do("GET", "/api/v1/public/studies/nope/assignment?rid=x", "", nil).status(http.StatusNotFound).problem()
		signed := app.launched(nil)
		app.do("GET", "/api/v1/public/studies/"+signed.PublicKey+"/assignment?rid=x", "", nil).status(http.StatusConflict).problem()
		// Holdout links carry no group; the answer's group is the hash's.
		tok := app.links(st, map[string]any{"rid": "rid-7"})[0].Token
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).status(http.StatusCreated)
		var grp string
		app.store.DB().Raw("SELECT grp FROM responses WHERE study_id = ?", st.ID).Scan(&grp)
		if survey.Group(grp) != full.HoldoutGroup("rid-7") {
			t.Errorf("stored group %s", grp)
		}
	})
}

func TestSurveyPageStatuses(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) { b["target_per_group"] = 1 })
		links := app.links(st, map[string]any{"rid": "a", "group": "exposed"}, map[string]any{"rid": "b", "group": "exposed"},
			map[string]any{"rid": "c", "group": "control"})
		page := func(token string) response {
			return app.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(token), "", nil)
		}
		res := page(links[0].Token).status(http.StatusOK)
		if !strings.Contains(res.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") ||
			res.Header().Get("X-Content-Type-Options") != "nosniff" || res.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("security headers: %v", res.Header())
		}
		if !strings.Contains(res.Body.String(), `name="started"`) {
			t.Error("no start stamp in the form")
		}
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[0].Token, "answers": exampleAnswers}).status(http.StatusCreated)
		page(links[0].Token).status(http.StatusConflict) // already answered
		page(links[1].Token).status(http.StatusGone)     // exposed is full
		page(links[2].Token).status(http.StatusOK)       // control is not
		page("garbage").status(http.StatusForbidden)
		app.do("GET", "/s/unknown?t=x", "", nil).status(http.StatusNotFound)
		app.do("POST", "/api/v1/studies/"+st.ID+"/pause", survey.RoleMarketer, nil).status(http.StatusOK)
		if res := page(links[2].Token).status(http.StatusServiceUnavailable); res.Header().Get("Retry-After") == "" {
			t.Error("paused page without Retry-After")
		}
		app.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
		page(links[2].Token).status(http.StatusGone)
		draft := app.createStudy(exampleStudy(t))
		dl := app.links(draft, map[string]any{"rid": "a", "group": "exposed"})
		app.do("GET", "/s/"+draft.PublicKey+"?t="+url.QueryEscape(dl[0].Token), "", nil).status(http.StatusForbidden)
	})
}

func TestEraseRespondentAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		tok := app.links(st, map[string]any{"rid": "gone", "group": "exposed"})[0].Token
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).status(http.StatusCreated)
		app.do("GET", "/px/"+st.PublicKey+"?rid=gone", "", nil).status(http.StatusOK)
		var e survey.Erasure
		app.do("DELETE", "/api/v1/studies/"+st.ID+"/respondents/gone", survey.RoleAdmin, nil).status(http.StatusOK).decode(&e)
		if e.Responses != 1 || e.Exposures != 1 {
			t.Fatalf("%+v", e)
		}
		if err := app.store.VerifyTallies(t.Context(), st.ID); err != nil {
			t.Fatal(err)
		}
		app.do("DELETE", "/api/v1/studies/"+st.ID+"/respondents/gone", survey.RoleAdmin, nil).status(http.StatusOK).decode(&e)
		if e.Responses != 0 {
			t.Errorf("second erase: %+v", e)
		}
		app.do("DELETE", "/api/v1/studies/nope/respondents/gone", survey.RoleAdmin, nil).status(http.StatusNotFound)
		// The respondent may answer again afterwards: nothing remembers them.
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": exampleAnswers}).status(http.StatusCreated)
	})
}

// TestSurveyPageFailureIsAPage: when the database fails under a
// respondent, they get a page in their language, not a problem document.
func TestSurveyPageFailureIsAPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		tok := app.links(st, map[string]any{"rid": "a", "group": "exposed", "locale": "en"})[0].Token
		app.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(tok), "", nil).status(http.StatusOK) // caches the study
		app.store.Close()
		form := url.Values{"t": {tok}, "q.recall": {"yes"}, "q.nps": {"9"}, "q.csat": {"4"}}
		res := app.do("POST", "/s/"+st.PublicKey, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").
			status(http.StatusServiceUnavailable)
		if !strings.HasPrefix(res.Header().Get("Content-Type"), "text/html") || !strings.Contains(res.Body.String(), "not saved") ||
			res.Header().Get("Retry-After") != retryAfterSeconds {
			t.Errorf("%v %s", res.Header(), res.Body.String())
		}
	})
}
