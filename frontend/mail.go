package frontend

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	texttemplate "text/template"
)

// InvitationMail is what an nps program's invitation says: the score
// question with its 0-10 links, and the unsubscribe link.
type InvitationMail struct {
	Lang     string
	Brand    string
	Name     string // the contact's, when known
	Question string
	Reminder bool
	// ScoreURL gives the link of score n (0..10).
	ScoreURL       func(n int) string
	UnsubscribeURL string
}

// MailScore is one of the 0-10 links.
type MailScore struct {
	N   int
	URL string
}

// Subject is the email's subject line.
func (m *InvitationMail) Subject() string {
	if m.Reminder {
		return fmt.Sprintf(T(m.Lang, "mail_subject_reminder"), m.Brand)
	}
	return fmt.Sprintf(T(m.Lang, "mail_subject"), m.Brand)
}

// Hello greets the contact by name when there is one.
func (m *InvitationMail) Hello() string {
	if m.Name != "" {
		return fmt.Sprintf(T(m.Lang, "mail_hello_name"), m.Name)
	}
	return T(m.Lang, "mail_hello")
}

// Intro is the sentence above the question.
func (m *InvitationMail) Intro() string {
	if m.Reminder {
		return T(m.Lang, "mail_intro_reminder")
	}
	return T(m.Lang, "mail_intro")
}

// Footer says why the contact got the email.
func (m *InvitationMail) Footer() string { return fmt.Sprintf(T(m.Lang, "mail_footer"), m.Brand) }

// Scores are the eleven links.
func (m *InvitationMail) Scores() []MailScore {
	out := make([]MailScore, 11)
	for n := range out {
		out[n] = MailScore{N: n, URL: m.ScoreURL(n)}
	}
	return out
}

// T translates a key into the email's language.
func (m *InvitationMail) T(key string) string { return T(m.Lang, key) }

// The HTML part is a table: the layout mail clients render alike, with
// inline styles, since most of them drop <style>.
var mailHTML = htmltemplate.Must(htmltemplate.New("mail").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>{{.Subject}}</title></head>
<body style="margin:0;padding:0;background:#f4f5f7;font-family:-apple-system,'Segoe UI',Roboto,Arial,sans-serif;color:#1f2328">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7"><tr><td align="center" style="padding:16px 4px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:12px">
<tr><td style="padding:28px 24px 8px;font-size:16px;line-height:1.5">
<p style="margin:0 0 12px">{{.Hello}}</p>
<p style="margin:0 0 16px">{{.Intro}}</p>
<h1 style="margin:0 0 20px;font-size:20px;line-height:1.35">{{.Question}}</h1>
</td></tr>
<tr><td style="padding:0 8px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
{{- range .Scores}}
<td align="center" width="9%" style="padding:1px"><a href="{{.URL}}" style="display:block;padding:10px 0;border:1px solid #c9ced6;border-radius:6px;background:#f8f9fb;color:#1f2328;font-size:16px;font-weight:600;text-decoration:none">{{.N}}</a></td>
{{- end}}
</tr></table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0"><tr>
<td style="padding:6px 2px 0;font-size:13px;color:#57606a">{{.T "mail_low"}}</td>
<td align="right" style="padding:6px 2px 0;font-size:13px;color:#57606a">{{.T "mail_high"}}</td>
</tr></table>
</td></tr>
<tr><td style="padding:16px 24px 28px;font-size:14px;line-height:1.5;color:#57606a">{{.T "mail_how"}}</td></tr>
</table>
<p style="margin:16px 0 0;font-size:12px;line-height:1.5;color:#6e7781">{{.Footer}}<br><a href="{{.UnsubscribeURL}}" style="color:#6e7781">{{.T "mail_unsubscribe"}}</a></p>
</td></tr></table>
</body></html>
`))

var mailText = texttemplate.Must(texttemplate.New("mail").Parse(`{{.Hello}}

{{.Intro}}

{{.Question}}
{{.T "mail_low"}}, {{.T "mail_high"}}
{{range .Scores}}
{{.N}}: {{.URL}}{{end}}

{{.T "mail_how"}}

--
{{.Footer}}
{{.T "mail_unsubscribe"}}: {{.UnsubscribeURL}}
`))

// RenderMail renders the email's plain-text and HTML parts.
func RenderMail(m *InvitationMail) (text, html []byte, err error) {
	var t, h bytes.Buffer
	if err := mailText.Execute(&t, m); err != nil {
		return nil, nil, fmt.Errorf("frontend: render the email's text: %w", err)
	}
	if err := mailHTML.Execute(&h, m); err != nil {
		return nil, nil, fmt.Errorf("frontend: render the email's HTML: %w", err)
	}
	return t.Bytes(), h.Bytes(), nil
}
