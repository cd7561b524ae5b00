package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

type invitationPage struct {
	Invitations []survey.Invitation
	Counts      map[string]int64
}

// TestInvitationEmails sends an nps program's invitations through a real
// SMTP server (Mailpit) on both databases: the relay is down at first
// (temporary failures, retried with backoff), then up; each contact gets
// one email in their language with the 0-10 scale inside; a score link
// opened three times and then sent stores exactly one response; an
// unknown mailbox's 550 is a bounce recorded on the contact; the
// one-click unsubscribe is honoured by every later study.
func TestInvitationEmails(t *testing.T) {
	if mailpitBinary() == "" {
		t.Skipf("the invitation tests need Mailpit: go install github.com/axllent/mailpit@%s (.ci/run does)", mailpitVersion)
	}
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		smtpAddr := freePort(t)
		app := newTestApp(t, s, func(c *Config) {
			c.SMTPURL, c.MailPoll, c.MailBackoff = "smtp://"+smtpAddr, 20*time.Millisecond, 200*time.Millisecond
			c.MailFrom = "Acme NPS <nps@acme.example>"
		})
		st := npsProgram(app, nil)
		path := "/api/v1/studies/" + st.ID
		app.do("POST", path+"/contacts", survey.RoleMarketer, map[string]any{"contacts": []map[string]any{
			{"email": "anna@example.com", "name": "Анна", "locale": "ru", "attrs": map[string]string{"plan": "pro"}},
			{"email": "bob@example.com", "name": "Bob", "locale": "en"},
			{"email": "carl@example.com", "locale": "en"},
			{"email": "ghost@bounce.test"},
		}}).status(http.StatusOK)
		var q survey.InvitationQueue
		app.do("POST", path+"/invitations", survey.RoleMarketer, nil).status(http.StatusAccepted).decode(&q)
		if q.Queued != 4 {
			t.Fatalf("queued %+v", q)
		}
		ctx, stop := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); app.srv.RunMailer(ctx) }()
		defer func() { stop(); <-done }()

		list := func() invitationPage {
			var p invitationPage
			app.do("GET", path+"/invitations", survey.RoleMarketer, nil).status(http.StatusOK).decode(&p)
			return p
		}
		// The relay is down: temporary failures, still queued.
		waitFor(t, "a failed attempt", func() bool {
			for _, inv := range list().Invitations {
				if inv.Attempts > 0 {
					return true
				}
			}
			return false
		})
		for _, inv := range list().Invitations {
			if inv.Status != survey.InvitationQueued || (inv.Attempts > 0 && !strings.Contains(inv.LastError, "connect")) {
				t.Fatalf("while the relay is down: %+v", inv)
			}
		}
		mp := startMailpit(t, smtpAddr)
		waitFor(t, "every invitation sent or bounced", func() bool {
			c := list().Counts
			return c[survey.InvitationSent] == 3 && c[survey.InvitationBounced] == 1
		})
		mail := mp.messages(t)
		if len(mail) != 3 || len(mail["anna@example.com"]) != 1 || len(mail["bob@example.com"]) != 1 {
			t.Fatalf("received %v", mail)
		}
		anna, bob := mail["anna@example.com"][0], mail["bob@example.com"][0]
		if !strings.Contains(anna.Subject, "порекомендуете") || !strings.Contains(anna.Text, "Здравствуйте, Анна!") ||
			!strings.Contains(bob.Subject, "recommend") || !strings.Contains(bob.Text, "Hello Bob") {
			t.Errorf("languages: %q %q", anna.Subject, bob.Subject)
		}
		scoreLink := regexp.MustCompile(`href="(http://brandlift\.test/s/[^"]+&amp;score=(\d+))"`)
		links := scoreLink.FindAllStringSubmatch(anna.HTML, -1)
		if len(links) != 11 || links[0][2] != "0" || links[10][2] != "10" {
			t.Fatalf("%d score links in the HTML part", len(links))
		}
		for _, h := range []string{"List-Unsubscribe", "List-Unsubscribe-Post", "From"} {
			if len(anna.Headers[h]) == 0 {
				t.Errorf("no %s header", h)
			}
		}
		if anna.Headers["List-Unsubscribe-Post"][0] != "List-Unsubscribe=One-Click" || !strings.Contains(anna.Headers["From"][0], "nps@acme.example") {
			t.Errorf("headers %v", anna.Headers)
		}

		// Anna clicks 3 in her email, three times (or her mail scanner
		// does), then sends the page with a comment.
		u, err := url.Parse(strings.ReplaceAll(links[3][1], "&amp;", "&"))
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			body := app.do("GET", u.RequestURI(), "", nil).status(http.StatusOK).Body.String()
			if !regexp.MustCompile(`value="3"[^>]*checked`).MatchString(body) {
				t.Fatal("the page does not have 3 chosen")
			}
		}
		if n := app.responseCount(st.ID); n != 0 {
			t.Fatalf("%d responses from opening the link", n)
		}
		form := url.Values{"t": {u.Query().Get("t")}, "q.nps": {"3"}, "q.why": {"медленная доставка"}}
		for range 2 {
			app.do("POST", "/s/"+st.PublicKey, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").status(http.StatusSeeOther)
		}
		app.do("GET", u.RequestURI(), "", nil).status(http.StatusConflict)
		if n := app.responseCount(st.ID); n != 1 {
			t.Fatalf("%d responses, want exactly 1", n)
		}
		// The tracker counts it as an email answer: 1 of 3 sent.
		var trend struct{ Channels []results.ChannelRate }
		app.do("GET", path+"/results/trend", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&trend)
		if len(trend.Channels) != 3 || trend.Channels[0].Channel != "email" || trend.Channels[0].Asked != 3 ||
			trend.Channels[0].Answered != 1 || trend.Channels[0].Rate == nil || *trend.Channels[0].Rate != 1.0/3 {
			t.Errorf("channels %+v", trend.Channels)
		}
		dash := app.signIn(survey.RoleAnalyst, "ru").get("/dashboard/studies/" + st.ID + "/results").status(http.StatusOK).Body.String()
		if !regexp.MustCompile(`(?s)data-channels.*Email-приглашения</td><td[^>]*>3</td><td[^>]*>1</td><td[^>]*>—</td><td[^>]*>33,3`).MatchString(dash) {
			t.Errorf("the tracker has no email response rate of 1 in 3")
		}

		// The bounce is on the invitation and the contact.
		var contacts contactPage
		app.do("GET", path+"/contacts", survey.RoleMarketer, nil).status(http.StatusOK).decode(&contacts)
		for _, c := range contacts.Contacts {
			if (c.BouncedAt != nil) != (c.Email == "ghost@bounce.test") {
				t.Errorf("contact %s bounced_at %v", c.Email, c.BouncedAt)
			}
		}
		for _, inv := range list().Invitations {
			if inv.Email == "ghost@bounce.test" && (inv.Status != survey.InvitationBounced || inv.SMTPCode != 550) {
				t.Errorf("bounced invitation %+v", inv)
			}
		}

		// Carl unsubscribes with his mail client's one-click button.
		unsub, err := url.Parse(strings.Trim(mail["carl@example.com"][0].Headers["List-Unsubscribe"][0], "<>"))
		if err != nil {
			t.Fatal(err)
		}
		app.do("GET", unsub.RequestURI(), "", nil).status(http.StatusOK) // the confirmation page changes nothing
		if off, _ := s.Unsubscribed(context.Background(), "carl@example.com"); off {
			t.Fatal("opening the unsubscribe link unsubscribed")
		}
		page := app.do("POST", unsub.RequestURI(), "", "List-Unsubscribe=One-Click", "Content-Type", "application/x-www-form-urlencoded").
			status(http.StatusOK).Body.String()
		if !strings.Contains(page, "You have unsubscribed") {
			t.Errorf("unsubscribed page: %s", page)
		}
		// A later study with the same customers: Carl and the bounced
		// address get nothing; Anna and Bob are invited.
		next := npsProgram(app, nil)
		app.do("POST", "/api/v1/studies/"+next.ID+"/contacts", survey.RoleMarketer, map[string]any{"contacts": []map[string]any{
			{"email": "anna@example.com"}, {"email": "Carl@Example.com"}}}).status(http.StatusOK)
		app.do("POST", "/api/v1/studies/"+next.ID+"/invitations", survey.RoleMarketer, nil).status(http.StatusAccepted).decode(&q)
		if q.Queued != 1 || q.Skipped[survey.SkipUnsubscribed] != 1 {
			t.Errorf("the next study's invitations: %+v", q)
		}
		// The same study again: everyone was invited within the window.
		app.do("POST", path+"/invitations", survey.RoleMarketer, nil).status(http.StatusAccepted).decode(&q)
		if q.Queued != 0 || q.Skipped[survey.SkipRecentlyInvited] != 2 || q.Skipped[survey.SkipUnsubscribed] != 1 || q.Skipped[survey.SkipBounced] != 1 {
			t.Errorf("invited again: %+v", q)
		}
	})
}

// TestInvitationsRefused: without an SMTP server, or for a brand-lift
// study, nothing is queued and the problem says why.
func TestInvitationsRefused(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := npsProgram(app, nil)
		p := app.do("POST", "/api/v1/studies/"+st.ID+"/invitations", survey.RoleMarketer, nil).status(http.StatusConflict).problem()
		if !strings.HasSuffix(p.Type, "mail-not-configured") || !strings.Contains(p.Detail, "BRANDLIFT_SMTP_URL") {
			t.Errorf("%+v", p)
		}
		app.do("POST", "/api/v1/studies/"+st.ID+"/invitations", survey.RoleAnalyst, nil).status(http.StatusForbidden)
		if err := CheckSMTPURL("http://mail.example.com"); err == nil || !strings.Contains(err.Error(), "scheme") {
			t.Errorf("an http URL: %v", err)
		}
		if err := CheckSMTPURL("smtps://user:pw@mail.example.com"); err != nil {
			t.Error(err)
		}
	})
}
