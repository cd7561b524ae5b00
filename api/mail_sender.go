package api

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"time"
)

// smtpTarget is where invitations are sent, from BRANDLIFT_SMTP_URL:
// smtp://user:pass@host:587 speaks plain SMTP and upgrades with STARTTLS
// when the server offers it (required when a password is given, except
// to a loopback relay); smtps://host:465 is TLS from the first byte.
type smtpTarget struct {
	addr, host string
	implicit   bool
	user, pass string
	// insecure skips certificate checks (?insecure=1), for a relay with a
	// self-signed certificate on one's own network.
	insecure bool
}

// parseSMTPURL reads an SMTP URL; the error names what is wrong.
func parseSMTPURL(raw string) (*smtpTarget, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("SMTP URL: %v", err)
	}
	t := &smtpTarget{host: u.Hostname(), insecure: u.Query().Get("insecure") == "1"}
	port := u.Port()
	switch u.Scheme {
	case "smtp":
		if port == "" {
			port = "587"
		}
	case "smtps":
		t.implicit = true
		if port == "" {
			port = "465"
		}
	default:
		return nil, fmt.Errorf("SMTP URL: scheme must be smtp or smtps, got %q", u.Scheme)
	}
	if t.host == "" {
		return nil, errors.New("SMTP URL: no host")
	}
	if u.User != nil {
		t.user = u.User.Username()
		t.pass, _ = u.User.Password()
	}
	t.addr = net.JoinHostPort(t.host, port)
	return t, nil
}

// sendError is a failed send: Code is the server's reply (0 when none
// came, such as a refused connection); Permanent a 5xx reply.
type sendError struct {
	Code      int
	Permanent bool
	msg       string
}

func (e *sendError) Error() string { return e.msg }

// asSendError classifies an SMTP step's error: a 5xx reply is
// permanent, a 4xx reply and every network or TLS error temporary.
func asSendError(step string, err error) *sendError {
	var tp *textproto.Error
	if errors.As(err, &tp) {
		return &sendError{Code: tp.Code, Permanent: tp.Code >= 500, msg: fmt.Sprintf("%d %s", tp.Code, tp.Msg)}
	}
	return &sendError{msg: step + ": " + err.Error()}
}

// send delivers one message to one recipient, in its own connection.
func (t *smtpTarget) send(ctx context.Context, helo, from, to string, msg []byte) *sendError {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	d := net.Dialer{}
	tlsConf := &tls.Config{ServerName: t.host, InsecureSkipVerify: t.insecure} //nolint:gosec // opt-in for self-signed relays
	var conn net.Conn
	var err error
	if t.implicit {
		conn, err = (&tls.Dialer{NetDialer: &d, Config: tlsConf}).DialContext(ctx, "tcp", t.addr)
	} else {
		conn, err = d.DialContext(ctx, "tcp", t.addr)
	}
	if err != nil {
		return asSendError("connect", err)
	}
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	c, err := smtp.NewClient(conn, t.host)
	if err != nil {
		conn.Close()
		return asSendError("greeting", err)
	}
	defer c.Close()
	if err := c.Hello(helo); err != nil {
		return asSendError("EHLO", err)
	}
	if !t.implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConf); err != nil {
				return asSendError("STARTTLS", err)
			}
		}
	}
	if t.user != "" {
		// PlainAuth itself refuses to send a password unencrypted except
		// to localhost.
		if err := c.Auth(smtp.PlainAuth("", t.user, t.pass, t.host)); err != nil {
			return asSendError("AUTH", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return asSendError("MAIL FROM", err)
	}
	if err := c.Rcpt(to); err != nil {
		return asSendError("RCPT TO", err)
	}
	w, err := c.Data()
	if err != nil {
		return asSendError("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return asSendError("DATA", err)
	}
	if err := w.Close(); err != nil {
		return asSendError("DATA", err)
	}
	if err := c.Quit(); err != nil && !strings.Contains(err.Error(), "closed") {
		// The message was accepted at the end of DATA; a failed QUIT does
		// not unsend it.
		return nil
	}
	return nil
}
