package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// npsProgram launches an nps study that throttles for 30 days and lets
// the widget run on http://shop.test.
func npsProgram(app *testApp, change func(b map[string]any)) survey.Study {
	return app.launched(func(b map[string]any) {
		b["kind"], b["name"] = "nps", "NPS-программа"
		delete(b, "control_share")
		qs := b["questions"].([]any)
		b["questions"] = []any{qs[1], qs[3]} // nps, why
		b["throttle_days"] = 30
		b["widget_origins"] = []string{"http://shop.test"}
		if change != nil {
			change(b)
		}
	})
}

func (a *testApp) responseCount(studyID string) int64 {
	a.t.Helper()
	var n int64
	if err := a.store.DB().Table("responses").Where("study_id = ?", studyID).Count(&n).Error; err != nil {
		a.t.Fatal(err)
	}
	return n
}

// TestWidgetEndpoints walks what the widget does: eligibility with a new
// ask, the shown event, the answer, and the next visit inside the window;
// CORS lets the listed origin in and refuses any other before anything
// is stored; the survey page says a throttled respondent answered
// recently.
func TestWidgetEndpoints(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := npsProgram(app, nil)
		base := "/api/v1/public/studies/" + st.PublicKey
		tok := app.links(st, map[string]any{"rid": "w-1", "locale": "en"})[0].Token
		shop := []string{"Origin", "http://shop.test"}

		var e Eligibility
		res := app.do("GET", base+"/eligibility?t="+url.QueryEscape(tok), "", nil, shop...).status(http.StatusOK)
		res.decode(&e)
		if !e.Eligible || survey.AskProblem(e.Ask) != "" || e.Survey == nil || e.Survey.Locale != "en" ||
			e.Survey.Question.Key != "nps" || !strings.Contains(e.Survey.Question.Text, "recommend") || e.Survey.Comment == nil {
			t.Fatalf("eligibility %+v %+v", e, e.Survey)
		}
		if res.Header().Get("Access-Control-Allow-Origin") != "http://shop.test" || !strings.Contains(res.Header().Get("Vary"), "Origin") {
			t.Errorf("CORS headers %v", res.Header())
		}
		p := app.do("GET", base+"/eligibility?t="+url.QueryEscape(tok), "", nil, "Origin", "http://evil.test").
			status(http.StatusForbidden).problem()
		if !strings.HasSuffix(p.Type, "origin-not-allowed") || p.fields()[0] != "Origin" {
			t.Errorf("foreign origin: %+v", p)
		}

		// The browser's preflight before a POST.
		pre := func(origin string) *httptest.ResponseRecorder {
			req := httptest.NewRequest("OPTIONS", base+"/responses", nil)
			req.Header.Set("Origin", origin)
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "content-type")
			rec := httptest.NewRecorder()
			app.srv.Handler().ServeHTTP(rec, req)
			return rec
		}
		if rec := pre("http://shop.test"); rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "http://shop.test" ||
			!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Content-Type") {
			t.Errorf("preflight: %d %v", rec.Code, rec.Header())
		}
		if rec := pre("http://evil.test"); rec.Code != http.StatusForbidden || rec.Header().Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("foreign preflight: %d %v", rec.Code, rec.Header())
		}

		var pr PromptReply
		app.do("POST", base+"/prompts", "", map[string]any{"token": tok, "ask": e.Ask, "event": "shown"}, shop...).status(http.StatusOK).decode(&pr)
		if !pr.Recorded {
			t.Error("shown not recorded")
		}
		app.do("POST", base+"/prompts", "", map[string]any{"token": tok, "ask": e.Ask, "event": "shown"}, shop...).status(http.StatusOK).decode(&pr)
		if pr.Recorded {
			t.Error("shown recorded twice for one ask")
		}
		p = app.do("POST", base+"/prompts", "", map[string]any{"token": tok, "ask": e.Ask, "event": "clicked"}).status(http.StatusBadRequest).problem()
		if p.fields()[0] != "event" {
			t.Errorf("bad event: %+v", p)
		}

		// A page elsewhere cannot answer for anyone: refused, nothing stored.
		other := app.links(st, map[string]any{"rid": "w-2"})[0].Token
		app.do("POST", base+"/responses", "", map[string]any{"token": other, "ask": "x1", "answers": map[string]any{"nps": 0}},
			"Origin", "http://evil.test").status(http.StatusForbidden)
		if n := app.responseCount(st.ID); n != 0 {
			t.Fatalf("%d responses stored from a foreign origin", n)
		}

		answer := map[string]any{"token": tok, "ask": e.Ask, "answers": map[string]any{"nps": 3, "why": "долго грузится"}}
		var sr SubmitReply
		app.do("POST", base+"/responses", "", answer, shop...).status(http.StatusCreated).decode(&sr)
		app.do("POST", base+"/responses", "", answer, shop...).status(http.StatusOK).decode(&sr)
		if sr.Status != "duplicate" {
			t.Errorf("the same ask again: %+v", sr)
		}

		// The next visit, inside the window.
		e = Eligibility{}
		app.do("GET", base+"/eligibility?t="+url.QueryEscape(tok), "", nil, shop...).status(http.StatusOK).decode(&e)
		if e.Eligible || e.Reason != "throttled" || e.NextEligibleAt == nil || e.Survey != nil ||
			time.Until(*e.NextEligibleAt) < 29*24*time.Hour || time.Until(*e.NextEligibleAt) > 31*24*time.Hour {
			t.Fatalf("eligibility after the answer: %+v", e)
		}
		p = app.do("POST", base+"/responses", "", map[string]any{"token": tok, "ask": "second", "answers": map[string]any{"nps": 10}}, shop...).
			status(http.StatusConflict).problem()
		if !strings.HasSuffix(p.Type, ":throttled") || p.NextEligibleAt == nil || !p.NextEligibleAt.Equal(*e.NextEligibleAt) {
			t.Errorf("throttled problem %+v", p)
		}
		if n := app.responseCount(st.ID); n != 1 {
			t.Fatalf("%d responses, want 1", n)
		}
		var trend struct{ Channels []results.ChannelRate }
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/trend", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&trend)
		if len(trend.Channels) != 3 || trend.Channels[1].Channel != "widget" || trend.Channels[1].Asked != 1 ||
			trend.Channels[1].Answered != 1 || trend.Channels[2].Rate != nil {
			t.Errorf("channels %+v", trend.Channels)
		}
		page := app.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(tok), "", nil).status(http.StatusConflict)
		if !strings.Contains(page.Body.String(), "You answered us recently") {
			t.Errorf("throttled page: %s", page.Body.String())
		}

		// The widget's path names the study: another study's token is refused.
		bl := app.launched(nil)
		blTok := app.links(bl, map[string]any{"rid": "b-1", "group": "exposed"})[0].Token
		p = app.do("POST", base+"/responses", "", map[string]any{"token": blTok, "answers": map[string]any{"nps": 1}}).
			status(http.StatusBadRequest).problem()
		if p.fields()[0] != "token" {
			t.Errorf("another study's token: %+v", p)
		}
		p = app.do("GET", "/api/v1/public/studies/"+bl.PublicKey+"/eligibility?t="+url.QueryEscape(blTok), "", nil).
			status(http.StatusConflict).problem()
		if !strings.HasSuffix(p.Type, "not-nps") {
			t.Errorf("brand lift eligibility: %+v", p)
		}
		// A brand-lift respondent answers once: an ask is refused.
		p = app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": blTok, "ask": "again",
			"answers": map[string]any{"recall": "yes", "nps": 9, "csat": 4}}).status(http.StatusUnprocessableEntity).problem()
		if p.fields()[0] != "ask" {
			t.Errorf("ask on a brand-lift study: %+v", p)
		}
	})
}

// TestScoreLinks: an invitation's score link opens the page with the
// score chosen and stores nothing, however often it is opened (a mail
// scanner follows every link); the respondent's send stores one response,
// and the link then says it was answered.
func TestScoreLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := npsProgram(app, nil)
		stored, err := app.store.Study(context.Background(), st.ID)
		if err != nil {
			t.Fatal(err)
		}
		tok := stored.SignToken(&survey.Token{Study: st.PublicKey, RID: "c_1", Ask: "inv1", Locale: "ru"})
		link := "/s/" + st.PublicKey + "?t=" + url.QueryEscape(tok) + "&score=3"
		checked := regexp.MustCompile(`value="3"[^>]*checked|checked[^>]*value="3"`)
		for range 3 {
			body := app.do("GET", link, "", nil).status(http.StatusOK).Body.String()
			if !checked.MatchString(body) {
				t.Fatalf("score 3 not chosen on the page")
			}
		}
		if n := app.responseCount(st.ID); n != 0 {
			t.Fatalf("%d responses from opening a link", n)
		}
		// The score was answered in the email: the page is not timed, so
		// an instant confirmation is no speeder. The same link without a
		// score is timed as usual.
		stamp := regexp.MustCompile(`name="started" value="([^"]*)"`)
		started := stamp.FindStringSubmatch(app.do("GET", link, "", nil).Body.String())
		if started == nil || started[1] != "" {
			t.Fatalf("score link page start stamp %q, want none", started)
		}
		plain := strings.TrimSuffix(link, "&score=3")
		if m := stamp.FindStringSubmatch(app.do("GET", plain, "", nil).Body.String()); m == nil || m[1] == "" {
			t.Errorf("plain link page start stamp %q, want one", m)
		}
		form := url.Values{"t": {tok}, "q.nps": {"3"}, "q.why": {"дорого"}, "started": {started[1]}}
		for range 2 {
			app.do("POST", "/s/"+st.PublicKey, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").status(http.StatusSeeOther)
		}
		if n := app.responseCount(st.ID); n != 1 {
			t.Fatalf("%d responses, want 1", n)
		}
		var flags string
		app.store.DB().Table("responses").Select("flags").Where("study_id = ?", st.ID).Row().Scan(&flags)
		if flags != "" {
			t.Errorf("an instant confirmation of an emailed score flagged %q", flags)
		}
		body := app.do("GET", link, "", nil).status(http.StatusConflict).Body.String()
		if !strings.Contains(body, "Вы уже ответили") {
			t.Errorf("answered link: %s", body)
		}
		var ch struct {
			Channel string
		}
		app.store.DB().Table("touches").Select("channel").Where("study_id = ? AND kind = 'answered'", st.ID).Take(&ch)
		if ch.Channel != survey.ChannelEmail {
			t.Errorf("channel %q, want email", ch.Channel)
		}
	})
}

// TestDashListsAnNPSProgram: the studies list gives an nps program's
// score with its interval, where it said "none yet", and its overview
// names its target as a number of responses, not "per group".
func TestDashListsAnNPSProgram(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := npsProgram(app, func(b map[string]any) { delete(b, "throttle_days"); b["target_per_group"] = 100 })
		scores := []int{10, 10, 9, 8, 3}
		for i, score := range scores {
			tok := app.links(st, map[string]any{"rid": "n-" + strconv.Itoa(i)})[0].Token
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tok, "answers": map[string]any{"nps": score}}).
				status(http.StatusCreated)
		}
		// 3 promoters, 1 detractor of 5: NPS +40.
		for _, c := range []struct{ lang, want, target string }{{"ru", "NPS +40,0", "Цель по числу ответов"}, {"en", "NPS +40.0", "Target responses"}} {
			pc := app.signIn(survey.RoleAnalyst, c.lang)
			list := pc.get("/dashboard?kind=nps").status(http.StatusOK).Body.String()
			if !strings.Contains(list, `<span class="score">`+strings.ReplaceAll(c.want, "+", "&#43;")+`</span>`) || strings.Contains(list, map[string]string{"ru": "пока нет", "en": "none yet"}[c.lang]) {
				t.Errorf("%s: the list does not give the program's %s:\n%s", c.lang, c.want, textBetween(list, "<tbody", "</tbody>"))
			}
			if lowSample := map[string]string{"ru": "меньше 50 ответов", "en": "fewer than 50 answers"}[c.lang]; !strings.Contains(list, lowSample) || strings.Contains(list, lowSample+" в группе") || strings.Contains(list, lowSample+" in a group") {
				t.Errorf("%s: the low-sample note of a program without groups should not speak of a group", c.lang)
			}
			overview := pc.get("/dashboard/studies/" + st.ID).status(http.StatusOK).Body.String()
			if !strings.Contains(overview, "<dt>"+c.target+"</dt>") || strings.Contains(overview, map[string]string{"ru": "Цель на группу", "en": "Target per group"}[c.lang]) {
				t.Errorf("%s: the overview does not name the target as %q", c.lang, c.target)
			}
		}
	})
}
