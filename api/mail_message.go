package api

import (
	"bytes"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"time"
)

// mailMessage is one email ready for DATA.
type mailMessage struct {
	From, To, Subject string
	MessageID         string // without the angle brackets
	// Unsubscribe is the one-click unsubscribe URL (RFC 8058).
	Unsubscribe string
	Text, HTML  []byte
	Date        time.Time
}

// bytes renders the message: headers in RFC 5322 form (non-ASCII words
// encoded as RFC 2047 says), then a multipart/alternative body whose
// parts are quoted-printable UTF-8.
func (m *mailMessage) bytes() ([]byte, error) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, part := range []struct {
		ctype string
		data  []byte
	}{{"text/plain; charset=utf-8", m.Text}, {"text/html; charset=utf-8", m.HTML}} {
		w, err := mw.CreatePart(textproto.MIMEHeader{"Content-Type": {part.ctype}, "Content-Transfer-Encoding": {"quoted-printable"}})
		if err != nil {
			return nil, err
		}
		qp := quotedprintable.NewWriter(w)
		if _, err := qp.Write(part.data); err != nil {
			return nil, err
		}
		if err := qp.Close(); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&out, "%s: %s\r\n", k, v) }
	header("From", m.From)
	header("To", (&mail.Address{Address: m.To}).String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", m.Date.Format(time.RFC1123Z))
	header("Message-ID", "<"+m.MessageID+">")
	header("MIME-Version", "1.0")
	// RFC 8058: mail clients offer an unsubscribe button that POSTs
	// "List-Unsubscribe=One-Click" to the URL, without opening a page.
	header("List-Unsubscribe", "<"+m.Unsubscribe+">")
	header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
	header("Auto-Submitted", "auto-generated")
	header("Content-Type", "multipart/alternative; boundary="+mw.Boundary())
	out.WriteString("\r\n")
	out.Write(body.Bytes())
	return out.Bytes(), nil
}
