package api

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// receivedHook is one POST the test receiver got.
type receivedHook struct {
	ID, Type string
	Status   int
	SigOK    bool
	Payload  map[string]any
}

// hookReceiver is a webhook target that checks every signature by the
// Standard Webhooks rules, written out here independently of the sender,
// and answers 503 to its first failFirst requests.
type hookReceiver struct {
	srv       *httptest.Server
	mu        sync.Mutex
	secret    string
	failFirst int
	got       []receivedHook
}

func newHookReceiver(t *testing.T, failFirst int) *hookReceiver {
	r := &hookReceiver{failFirst: failFirst}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		id, ts, sig := req.Header.Get("webhook-id"), req.Header.Get("webhook-timestamp"), req.Header.Get("webhook-signature")
		r.mu.Lock()
		defer r.mu.Unlock()
		key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.secret, "whsec_"))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(id + "." + ts + "." + string(body)))
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		sec, _ := strconv.ParseInt(ts, 10, 64)
		fresh := time.Since(time.Unix(sec, 0)).Abs() < 5*time.Minute
		h := receivedHook{ID: id, Status: http.StatusOK, SigOK: err == nil && hmac.Equal([]byte(sig), []byte(want)) && fresh &&
			strings.HasPrefix(r.secret, "whsec_") && req.Header.Get("Content-Type") == "application/json"}
		_ = json.Unmarshal(body, &h.Payload)
		h.Type, _ = h.Payload["type"].(string)
		if len(r.got) < r.failFirst {
			h.Status = http.StatusServiceUnavailable
		}
		r.got = append(r.got, h)
		w.WriteHeader(h.Status)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *hookReceiver) received() []receivedHook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]receivedHook(nil), r.got...)
}

// waitFor polls cond until it holds or 20 s pass.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runHooks starts the app's webhook worker with fast retries; the returned
// function stops it and waits until it has.
func runHooks(app *testApp) func() {
	app.srv.cfg.WebhookAllowPrivate, app.srv.cfg.WebhookBackoff, app.srv.cfg.WebhookPoll = true, 20*time.Millisecond, 10*time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); app.srv.RunWebhooks(ctx) }()
	return func() { cancel(); <-done }
}

type deliveryLog struct {
	Deliveries []survey.Delivery
}

// TestWebhookDeliveries subscribes a local receiver to a study's events,
// answers the study (a promoter, a detractor, a passive), and restarts the
// server (a new store on the same database) while the receiver fails its
// first three requests: every event arrives signed, with 2xx exactly once
// per webhook-id, the detractor raises response.detractor, closing the
// study raises study.closed, and the delivery log and a manual redelivery
// work through the API.
func TestWebhookDeliveries(t *testing.T) {
	for _, d := range surveytest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			dsn := surveytest.DSN(t, d)
			s1, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s1.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			app := newTestApp(t, s1)
			st := app.launched(nil)
			recv := newHookReceiver(t, 3)

			app.srv.cfg.WebhookAllowPrivate = true
			var hook survey.Webhook
			app.do("POST", "/api/v1/webhooks", survey.RoleMarketer, map[string]any{"url": recv.srv.URL + "/hooks", "study_id": st.ID,
				"events": []string{"response.completed", "response.detractor", "study.closed"}}).status(http.StatusCreated).decode(&hook)
			if !strings.HasPrefix(hook.Secret, "whsec_") || hook.StudyID != st.ID {
				t.Fatalf("created webhook %+v", hook)
			}
			recv.mu.Lock()
			recv.secret = hook.Secret
			recv.mu.Unlock()
			if body := app.do("GET", "/api/v1/webhooks?study_id="+st.ID, survey.RoleMarketer, nil).status(http.StatusOK).Body.String(); strings.Contains(body, hook.Secret) || !strings.Contains(body, hook.ID) {
				t.Errorf("the list shows the secret or misses the webhook: %s", body)
			}

			links := app.links(st, map[string]any{"rid": "p", "group": "exposed"}, map[string]any{"rid": "d", "group": "exposed"},
				map[string]any{"rid": "n", "group": "control", "attrs": map[string]string{"plan": "pro"}})
			for i, score := range []int{10, 3, 7} {
				app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[i].Token,
					"answers": map[string]any{"recall": "yes", "nps": score, "csat": 4, "why": "причина " + strconv.Itoa(score)}}).status(http.StatusCreated)
			}
			// The same respondent again: a duplicate, which raises nothing.
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": links[1].Token,
				"answers": map[string]any{"recall": "yes", "nps": 3, "csat": 4}}).status(http.StatusOK)

			// First run: fails once or more, then the server stops.
			stop := runHooks(app)
			waitFor(t, "a first failed attempt", func() bool { return len(recv.received()) >= 1 })
			stop()
			s1.Close()

			// The restart: a new store and server on the same database.
			s2, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s2.Close() })
			app2 := *app
			app2.store = s2
			app2.srv = New(Config{Store: s2, Logger: testLogger(app.logBuf), BaseURL: "http://brandlift.test", Version: "test"})
			defer runHooks(&app2)()
			ok := func() map[string]receivedHook {
				out := map[string]receivedHook{}
				for _, h := range recv.received() {
					if h.Status == http.StatusOK {
						out[h.ID] = h
					}
				}
				return out
			}
			waitFor(t, "four deliveries", func() bool { return len(ok()) == 4 })
			app2.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
			waitFor(t, "study.closed", func() bool { return len(ok()) == 5 })

			types := map[string]int{}
			perID := map[string]int{}
			for _, h := range recv.received() {
				if !h.SigOK {
					t.Errorf("delivery %s (%s) has a bad signature", h.ID, h.Type)
				}
				if h.Status == http.StatusOK {
					perID[h.ID]++
					types[h.Type]++
				}
			}
			for id, n := range perID {
				if n != 1 {
					t.Errorf("delivery %s acknowledged %d times", id, n)
				}
			}
			if types["response.completed"] != 3 || types["response.detractor"] != 1 || types["study.closed"] != 1 {
				t.Errorf("events received: %v", types)
			}
			for _, h := range ok() {
				data, _ := h.Payload["data"].(map[string]any)
				switch h.Type {
				case "response.detractor":
					nps, _ := data["nps"].(map[string]any)
					answers, _ := data["answers"].(map[string]any)
					if nps["score"] != 3.0 || nps["category"] != "detractor" || answers["why"] != "причина 3" || data["study_id"] != st.ID {
						t.Errorf("detractor payload %v", data)
					}
				case "study.closed":
					if data["reason"] != "manual" || data["study_id"] != st.ID {
						t.Errorf("study.closed payload %v", data)
					}
				}
			}

			// The receiver has answered before the worker records the attempt.
			var log deliveryLog
			waitFor(t, "the log to record every delivery", func() bool {
				log = deliveryLog{}
				app2.do("GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", survey.RoleMarketer, nil).status(http.StatusOK).decode(&log)
				for _, dl := range log.Deliveries {
					if dl.Status != survey.DeliveryDelivered {
						return false
					}
				}
				return true
			})
			attempts := 0
			for _, dl := range log.Deliveries {
				if dl.Status != survey.DeliveryDelivered || dl.NextAt != nil || dl.DeliveredAt == nil || dl.LastStatus == nil || *dl.LastStatus != 200 || len(dl.Log) != dl.Attempts {
					t.Errorf("delivery log entry %+v", dl)
				}
				attempts += dl.Attempts
			}
			if len(log.Deliveries) != 5 || attempts != 5+3 {
				t.Errorf("the log has %d deliveries and %d attempts, want 5 and 8 (three 503s)", len(log.Deliveries), attempts)
			}

			// A manual redelivery sends the same webhook-id again.
			first := log.Deliveries[len(log.Deliveries)-1]
			app2.do("POST", "/api/v1/webhooks/"+hook.ID+"/deliveries/"+first.ID+"/redeliver", survey.RoleMarketer, nil).status(http.StatusAccepted)
			waitFor(t, "the redelivery", func() bool {
				n := 0
				for _, h := range recv.received() {
					if h.ID == first.ID && h.Status == http.StatusOK {
						n++
					}
				}
				return n == 2
			})
			app2.do("POST", "/api/v1/webhooks/"+hook.ID+"/deliveries/msg_nope/redeliver", survey.RoleMarketer, nil).status(http.StatusNotFound)
			app2.do("DELETE", "/api/v1/webhooks/"+hook.ID, survey.RoleMarketer, nil).status(http.StatusNoContent)
			app2.do("GET", "/api/v1/webhooks/"+hook.ID, survey.RoleMarketer, nil).status(http.StatusNotFound)
		})
	}
}

// TestWebhookRefusals: bad targets and events are 422s naming the field,
// loopback and private targets are refused by default (at creation and at
// connection), and a webhook of every study needs an admin.
func TestWebhookRefusals(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"url": "ftp://example.com/x", "events": []string{"study.closed"}, "study_id": st.ID}, "url"},
			{map[string]any{"url": "", "events": []string{"study.closed"}, "study_id": st.ID}, "url"},
			{map[string]any{"url": "https://user:pw@example.com/", "events": []string{"study.closed"}, "study_id": st.ID}, "url"},
			{map[string]any{"url": "https://example.com/", "events": []string{"response.nope"}, "study_id": st.ID}, "events[0]"},
			{map[string]any{"url": "https://example.com/", "events": []string{}, "study_id": st.ID}, "events"},
			{map[string]any{"url": "http://127.0.0.1:9/", "events": []string{"study.closed"}, "study_id": st.ID}, "url"},
			{map[string]any{"url": "http://10.1.2.3/", "events": []string{"study.closed"}, "study_id": st.ID}, "url"},
			{map[string]any{"url": "http://[::1]/", "events": []string{"study.closed"}, "study_id": st.ID}, "url"},
			{map[string]any{"url": "http://169.254.169.254/latest/meta-data", "events": []string{"study.closed"}, "study_id": st.ID}, "url"},
			{map[string]any{"url": "http://10.1.2.3/", "events": []string{"study.closed"}, "study_id": "nope"}, "url"},
		} {
			res := app.do("POST", "/api/v1/webhooks", survey.RoleMarketer, c.body).status(http.StatusUnprocessableEntity)
			var p Problem
			res.decode(&p)
			if len(p.Errors) == 0 || p.Errors[0].Field != c.field {
				t.Errorf("%v: errors %+v, want the field %s", c.body, p.Errors, c.field)
			}
		}
		app.srv.cfg.WebhookAllowPrivate = true
		app.do("POST", "/api/v1/webhooks", survey.RoleMarketer, map[string]any{"url": "http://10.1.2.3/", "events": []string{"study.closed"}}).
			status(http.StatusForbidden)
		app.do("POST", "/api/v1/webhooks", survey.RoleMarketer, map[string]any{"url": "http://10.1.2.3/", "events": []string{"study.closed"}, "study_id": "nope"}).
			status(http.StatusUnprocessableEntity)
		app.do("POST", "/api/v1/webhooks", survey.RoleAdmin, map[string]any{"url": "http://10.1.2.3/", "events": []string{"study.closed"}}).
			status(http.StatusCreated)
		app.do("POST", "/api/v1/webhooks", survey.RoleAnalyst, map[string]any{"url": "http://10.1.2.3/", "events": []string{"study.closed"}, "study_id": st.ID}).
			status(http.StatusForbidden)
	})
}

// TestWebhookDialerRefusesPrivate: a target that passed the creation check
// but connects to a loopback address (a name that now resolves inside) is
// refused by the dialer, and the attempt says why.
func TestWebhookDialerRefusesPrivate(t *testing.T) {
	recv := newHookReceiver(t, 0)
	d := store.DueDelivery{Delivery: survey.Delivery{ID: "msg_x", Payload: `{}`}, URL: recv.srv.URL, Secret: "whsec_" + base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123"))}
	recv.secret = d.Secret
	a := attempt(context.Background(), webhookClient(false), d, "test")
	if a.StatusCode != nil || !strings.Contains(a.Error, "loopback, private") || len(recv.received()) != 0 {
		t.Errorf("attempt to a loopback target: %+v, received %d", a, len(recv.received()))
	}
	a = attempt(context.Background(), webhookClient(true), d, "test")
	if a.StatusCode == nil || *a.StatusCode != 200 || len(recv.received()) != 1 || !recv.received()[0].SigOK {
		t.Errorf("attempt with private targets allowed: %+v", a)
	}
}

// TestWebhookBackoff: waits double from the base, with jitter, capped at
// an hour, and stop a day after the event.
func TestWebhookBackoff(t *testing.T) {
	created := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	for n, want := range map[int]time.Duration{1: 5 * time.Second, 2: 10 * time.Second, 5: 80 * time.Second, 12: time.Hour, 40: time.Hour} {
		at := nextTry(created, n, 5*time.Second, created)
		if at == nil {
			t.Fatalf("attempt %d: no retry", n)
		}
		if got := at.Sub(created); got < want*8/10 || got > want*12/10 {
			t.Errorf("attempt %d: wait %v, want %v ± 20%%", n, got, want)
		}
	}
	if at := nextTry(created, 3, 5*time.Second, created.Add(webhookRetryWindow-time.Second)); at != nil {
		t.Errorf("a retry past the day: %v", at)
	}
}

// TestWebhookErasureAndDelete: erasing a respondent drops the deliveries
// that carry their answers, and deleting a study drops its webhooks.
func TestWebhookErasureAndDelete(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		app.srv.cfg.WebhookAllowPrivate = true
		st := app.launched(nil)
		var hook survey.Webhook
		app.do("POST", "/api/v1/webhooks", survey.RoleMarketer, map[string]any{"url": "http://10.1.2.3/", "study_id": st.ID,
			"events": []string{"response.completed", "response.detractor"}}).status(http.StatusCreated).decode(&hook)
		links := app.links(st, map[string]any{"rid": "gone", "group": "exposed"}, map[string]any{"rid": "kept", "group": "control"})
		for _, l := range links {
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token,
				"answers": map[string]any{"recall": "no", "nps": 2, "csat": 1}}).status(http.StatusCreated)
		}
		count := func() int {
			var log deliveryLog
			app.do("GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", survey.RoleMarketer, nil).status(http.StatusOK).decode(&log)
			return len(log.Deliveries)
		}
		if n := count(); n != 4 { // two responses, each completed and detractor
			t.Fatalf("%d deliveries queued, want 4", n)
		}
		app.do("DELETE", "/api/v1/studies/"+st.ID+"/respondents/gone", survey.RoleAdmin, nil).status(http.StatusOK)
		if n := count(); n != 2 {
			t.Errorf("%d deliveries after erasing one respondent, want 2", n)
		}
		app.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
		app.do("DELETE", "/api/v1/studies/"+st.ID+"?force=true", survey.RoleAdmin, nil).status(http.StatusNoContent)
		app.do("GET", "/api/v1/webhooks/"+hook.ID, survey.RoleMarketer, nil).status(http.StatusNotFound)
	})
}

// TestWebhookAutoClose: a study that closes itself when its quota fills
// raises study.closed with the reason auto_close, from the transaction of
// the response that filled it.
func TestWebhookAutoClose(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		recv := newHookReceiver(t, 0)
		app.srv.cfg.WebhookAllowPrivate = true
		st := app.launched(func(b map[string]any) { b["target_per_group"] = 1; b["auto_close"] = true })
		var hook survey.Webhook
		app.do("POST", "/api/v1/webhooks", survey.RoleMarketer, map[string]any{"url": recv.srv.URL, "study_id": st.ID,
			"events": []string{"study.closed"}}).status(http.StatusCreated).decode(&hook)
		recv.mu.Lock()
		recv.secret = hook.Secret
		recv.mu.Unlock()
		for _, l := range app.links(st, map[string]any{"rid": "a", "group": "exposed"}, map[string]any{"rid": "b", "group": "control"}) {
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token,
				"answers": map[string]any{"recall": "yes", "nps": 9, "csat": 5}}).status(http.StatusCreated)
		}
		defer runHooks(app)()
		waitFor(t, "study.closed", func() bool { return len(recv.received()) == 1 })
		h := recv.received()[0]
		data, _ := h.Payload["data"].(map[string]any)
		if h.Type != "study.closed" || data["reason"] != "auto_close" || !h.SigOK {
			t.Errorf("auto-close delivery %+v", h)
		}
	})
}
