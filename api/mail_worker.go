package api

import (
	"context"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// Mailer settings.
const (
	mailClaim = 16              // invitations claimed at a time
	mailLease = 5 * time.Minute // a claimed invitation is another worker's again after this
	// mailMaxBackoff caps the wait between attempts.
	mailMaxBackoff = 6 * time.Hour
)

// CheckSMTPURL says what is wrong with an SMTP URL, for the command line
// to refuse it at start rather than at the first invitation.
func CheckSMTPURL(raw string) error {
	_, err := parseSMTPURL(raw)
	return err
}

// RunMailer sends queued invitations until ctx ends, when an SMTP server
// is configured: it claims due invitations (within each study's rate),
// sends each in turn and records the outcome. Invitations are rows, so
// they survive restarts; an email in flight when ctx ends is finished and
// recorded. Several servers may run it on one database.
func (s *Server) RunMailer(ctx context.Context) {
	if s.cfg.SMTPURL == "" {
		return
	}
	target, err := parseSMTPURL(s.cfg.SMTPURL)
	if err != nil {
		s.log.Error("invitations not sent", "err", err)
		return
	}
	poll := s.cfg.MailPoll
	if poll <= 0 {
		poll = 2 * time.Second
	}
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		for n := mailClaim; n == mailClaim; {
			n = s.sendDue(ctx, target)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// sendDue sends one claim of due invitations and returns its size.
func (s *Server) sendDue(ctx context.Context, target *smtpTarget) int {
	if ctx.Err() != nil {
		return 0
	}
	due, err := s.store.ClaimInvitations(ctx, time.Now(), mailLease, mailClaim)
	if err != nil {
		if ctx.Err() == nil {
			s.log.Warn("invitations not claimed", "err", err)
		}
		return 0
	}
	for _, d := range due {
		// Not ctx: a shutdown lets the email finish and be recorded.
		o := s.sendInvitation(context.WithoutCancel(ctx), target, d)
		if err := s.store.RecordSend(context.WithoutCancel(ctx), d, o); err != nil {
			s.log.Warn("invitation attempt not recorded", "invitation", d.Invitation.ID, "err", err)
			continue
		}
		level := s.log.Info
		if o.Error != "" {
			level = s.log.Warn
		}
		level("invitation", "study", d.Study.ID, "invitation", d.Invitation.ID, "kind", d.Invitation.Kind,
			"attempt", d.Invitation.Attempts+1, "smtp_code", o.SMTPCode, "error", o.Error, "permanent", o.Permanent)
	}
	return len(due)
}

// sendInvitation renders and sends one invitation.
func (s *Server) sendInvitation(ctx context.Context, target *smtpTarget, d store.DueInvitation) store.SendOutcome {
	now := time.Now().UTC()
	msg, err := s.invitationMessage(d, now)
	if err != nil {
		return store.SendOutcome{At: now, Error: "render: " + err.Error(), Permanent: true}
	}
	from, _ := mail.ParseAddress(msg.From)
	raw, err := msg.bytes()
	if err != nil {
		return store.SendOutcome{At: now, Error: "render: " + err.Error(), Permanent: true}
	}
	if e := target.send(ctx, s.mailHost(), from.Address, msg.To, raw); e != nil {
		o := store.SendOutcome{At: time.Now().UTC(), SMTPCode: e.Code, Error: e.msg, Permanent: e.Permanent}
		o.RetryAt = o.At.Add(s.mailBackoff(d.Invitation.Attempts))
		return o
	}
	return store.SendOutcome{At: time.Now().UTC(), SMTPCode: 250}
}

// mailBackoff is the wait after the attempts-th failure (0-based).
func (s *Server) mailBackoff(attempts int) time.Duration {
	base := s.cfg.MailBackoff
	if base <= 0 {
		base = time.Minute
	}
	wait := base << min(attempts, 20)
	if wait <= 0 || wait > mailMaxBackoff {
		wait = mailMaxBackoff
	}
	return wait
}

// invitationMessage is the email of an invitation: the score question in
// the contact's language, each score a link to the survey page with that
// score chosen, and the unsubscribe link.
func (s *Server) invitationMessage(d store.DueInvitation, now time.Time) (*mailMessage, error) {
	st, c, inv := d.Study, d.Contact, d.Invitation
	lang := st.DefaultLocale
	for _, l := range st.Locales {
		if l == c.Locale {
			lang = l
		}
	}
	token := url.QueryEscape(st.SignToken(&survey.Token{Study: st.PublicKey, RID: c.RID, Ask: inv.Ask, Locale: lang, Attrs: c.Attrs}))
	base := strings.TrimRight(s.cfg.BaseURL, "/")
	ws := widgetSurvey(st, lang)
	m := &frontend.InvitationMail{Lang: lang, Brand: st.Brand, Name: c.Name, Question: ws.Question.Text,
		Reminder:       inv.Kind == survey.InviteReminder,
		ScoreURL:       func(n int) string { return base + "/s/" + st.PublicKey + "?t=" + token + "&score=" + strconv.Itoa(n) },
		UnsubscribeURL: base + "/u/" + st.PublicKey + "?t=" + token}
	if m.Brand == "" {
		m.Brand = st.Name
	}
	text, html, err := frontend.RenderMail(m)
	if err != nil {
		return nil, err
	}
	return &mailMessage{From: s.mailFrom(), To: c.Email, Subject: m.Subject(), MessageID: inv.ID + "@" + s.mailHost(),
		Unsubscribe: m.UnsubscribeURL, Text: text, HTML: html, Date: now}, nil
}

// mailHost is the host of the base URL: the EHLO name and the right side
// of Message-IDs.
func (s *Server) mailHost() string {
	if u, err := url.Parse(s.cfg.BaseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// mailFrom is the From header: the configured one, or Brandlift at the
// base URL's host.
func (s *Server) mailFrom() string {
	if s.cfg.MailFrom != "" {
		return s.cfg.MailFrom
	}
	return (&mail.Address{Name: "Brandlift", Address: "brandlift@" + s.mailHost()}).String()
}
