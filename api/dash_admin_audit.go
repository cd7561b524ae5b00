package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// The audit log page. The store filters by study and pages by cursor
// (survey.AuditFilter); the page's other filters (action, actor, dates)
// are applied here while reading the log newest first, in bounded steps,
// and the cursor it hands on is the last event it read, so paging never
// skips or repeats an event.

const (
	auditPageSize = 50   // events on one page
	auditScan     = 5000 // events read at most for one page
	auditBatch    = 500  // events read per store call
)

// auditQuery is the page's filter form.
type auditQuery struct {
	Action, Actor, Study, From, To string
}

// auditBody is the audit page's model.
type auditBody struct {
	Q       auditQuery
	Events  []auditRowView
	Next    string // the next page's URL, "" on the last
	Partial bool   // the scan limit cut the page short
	Actions []string
	Error   string
}

// auditRowView is one event as the table shows it.
type auditRowView struct {
	At      time.Time
	Actor   string
	Action  string
	StudyID string
	Details []detailPair
}

type detailPair struct{ Key, Value string }

// knownActions are the actions the code writes, offered as suggestions.
var knownActions = []string{"study.create", "study.update", "study.delete", "study.launch", "study.pause", "study.resume",
	"study.close", "study.rotate_secret", "study.secret_revealed", "links.create", "key.create", "key.revoke",
	"user.create", "user.delete", "user.login", "user.login_failed", "respondent.erase", "study.export"}

func (s *Server) auditPage(c echo.Context) error {
	q := auditQuery{Action: strings.TrimSpace(c.QueryParam("action")), Actor: strings.TrimSpace(c.QueryParam("actor")),
		Study: strings.TrimSpace(c.QueryParam("study")), From: c.QueryParam("from"), To: c.QueryParam("to")}
	b := &auditBody{Q: q, Actions: knownActions}
	var from, to time.Time
	var err error
	if q.From != "" {
		if from, err = time.Parse(time.DateOnly, q.From); err != nil {
			b.Error = tr(c, "audit_err_date")
		}
	}
	if q.To != "" {
		if to, err = time.Parse(time.DateOnly, q.To); err != nil {
			b.Error = tr(c, "audit_err_date")
		}
		to = to.Add(24 * time.Hour) // through the end of that day (UTC)
	}
	status := http.StatusOK
	if b.Error != "" {
		status = http.StatusBadRequest
	} else {
		next, partial, err := s.scanAudit(c, q, from, to, c.QueryParam("cursor"), b)
		if err != nil {
			return err
		}
		b.Partial = partial
		if next != "" {
			v := url.Values{"cursor": {next}}
			for k, val := range map[string]string{"action": q.Action, "actor": q.Actor, "study": q.Study, "from": q.From, "to": q.To} {
				if val != "" {
					v.Set(k, val)
				}
			}
			b.Next = "/dashboard/admin/audit?" + v.Encode()
		}
	}
	return s.page(c, status, "dash_admin_audit", s.dash(c, "admin_audit_title", "admin", b))
}

// scanAudit reads the log from cursor until the page is full, the log
// ends, or auditScan events were read; it returns the cursor after the
// last event read ("" at the end of the log).
func (s *Server) scanAudit(c echo.Context, q auditQuery, from, to time.Time, cursor string, b *auditBody) (string, bool, error) {
	actor := strings.ToLower(q.Actor)
	read := 0
	for {
		events, next, err := s.store.AuditEvents(c.Request().Context(), survey.AuditFilter{StudyID: q.Study, Cursor: cursor, Limit: auditBatch})
		if err != nil {
			return "", false, err
		}
		for _, e := range events {
			read++
			cursor = e.ID
			if !from.IsZero() && e.At.Before(from) {
				return "", false, nil // newest first: everything after is older still
			}
			match := (to.IsZero() || e.At.Before(to)) &&
				(q.Action == "" || e.Action == q.Action || strings.HasSuffix(q.Action, ".") && strings.HasPrefix(e.Action, q.Action)) &&
				(actor == "" || strings.Contains(strings.ToLower(e.Actor), actor))
			if match {
				b.Events = append(b.Events, auditRowView{At: e.At, Actor: e.Actor, Action: e.Action, StudyID: e.StudyID, Details: details(e.Detail)})
				if len(b.Events) == auditPageSize {
					if next == "" && e.ID == events[len(events)-1].ID {
						return "", false, nil
					}
					return cursor, false, nil
				}
			}
			if read >= auditScan {
				return cursor, true, nil
			}
		}
		if next == "" {
			return "", false, nil
		}
		cursor = next
	}
}

// details lists an event's detail in key order, values as JSON unless they
// are plain strings; the template escapes them.
func details(m map[string]any) []detailPair {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]detailPair, 0, len(keys))
	for _, k := range keys {
		v, ok := m[k].(string)
		if !ok {
			js, _ := json.Marshal(m[k])
			v = string(js)
		}
		out = append(out, detailPair{k, v})
	}
	return out
}
