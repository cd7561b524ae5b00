package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// webhookRetryWindow is how long a delivery is retried after its event.
const webhookRetryWindow = 24 * time.Hour

// maxWebhookBackoff caps the wait between two attempts.
const maxWebhookBackoff = time.Hour

// webhookClient posts deliveries: no proxy, no redirects (a 3xx is a
// failed attempt: a receiver must answer itself), short timeouts, and the
// guarded dialer.
func webhookClient(allowPrivate bool) *http.Client {
	tr := &http.Transport{DialContext: guardedDialer(allowPrivate).DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConnsPerHost: 4, IdleConnTimeout: 60 * time.Second}
	return &http.Client{Transport: tr, Timeout: 15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signedRequest is the POST of a delivery with the Standard Webhooks
// headers: webhook-id, webhook-timestamp and webhook-signature ("v1," and
// the base64 HMAC-SHA256 of id.timestamp.body under the secret).
func signedRequest(ctx context.Context, d store.DueDelivery, now time.Time, userAgent string) (*http.Request, error) {
	wh, err := standardwebhooks.NewWebhook(d.Secret)
	if err != nil {
		return nil, err
	}
	body := []byte(d.Payload)
	sig, err := wh.Sign(d.ID, now, body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("webhook-id", d.ID)
	req.Header.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
	req.Header.Set("webhook-signature", sig)
	return req, nil
}

// attempt posts a delivery once and says what became of it.
func attempt(ctx context.Context, client *http.Client, d store.DueDelivery, userAgent string) survey.DeliveryAttempt {
	start := time.Now()
	a := survey.DeliveryAttempt{N: d.Attempts + 1, At: start.UTC()}
	req, err := signedRequest(ctx, d, start, userAgent)
	if err == nil {
		var res *http.Response
		if res, err = client.Do(req); err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10)) // lets the connection be reused
			res.Body.Close()
			code := res.StatusCode
			a.StatusCode = &code
			if code < 200 || code > 299 {
				a.Error = "the target answered " + strconv.Itoa(code) + " " + http.StatusText(code)
			}
		}
	}
	if err != nil {
		a.Error = err.Error()
		if errors.Is(err, errPrivateTarget) {
			a.Error = errPrivateTarget.Error()
		}
	}
	a.DurationMs = time.Since(start).Milliseconds()
	return a
}

// nextTry is when a delivery that failed its nth attempt is tried again:
// base·2^(n-1) with ±20% jitter (so that a recovered receiver is not hit by
// every delivery at once), at most an hour apart, and never past a day
// after the event; nil when that day is over.
func nextTry(created time.Time, n int, base time.Duration, now time.Time) *time.Time {
	wait := maxWebhookBackoff
	if n < 30 {
		wait = min(base<<(n-1), maxWebhookBackoff)
	}
	wait = time.Duration(float64(wait) * (0.8 + 0.4*rand.Float64()))
	at := now.Add(wait)
	if at.After(created.Add(webhookRetryWindow)) {
		return nil
	}
	return &at
}
