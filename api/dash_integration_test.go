package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"html"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// postMultipart sends a multipart form as the links form does, with the
// session's token, and a file part when fileName is not empty.
func (pc *pageClient) postMultipart(path string, fields url.Values, fileName string, file []byte) response {
	pc.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if fields.Get("csrf") == "" {
		fields.Set("csrf", pc.csrf)
	}
	for k, vs := range fields {
		for _, v := range vs {
			w.WriteField(k, v)
		}
	}
	part, err := w.CreateFormFile("file", fileName)
	if err != nil {
		pc.t.Fatal(err)
	}
	part.Write(file) // an empty part when no file was chosen, as browsers send
	w.Close()
	req := httptest.NewRequest(http.MethodPost, path, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return pc.send(req)
}

// linksCSV reads the links download: BOM, header rid,group,url.
func linksCSV(t *testing.T, res response) [][]string {
	t.Helper()
	if res.Code != http.StatusOK {
		t.Fatalf("links form: %d %.600s", res.Code, res.Body.String())
	}
	if cd := res.Header().Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("Content-Disposition %q, want a CSV attachment", cd)
	}
	if ct := res.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type %q", ct)
	}
	body := res.Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Error("the CSV has no byte order mark")
	}
	rows, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(body, []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatalf("links CSV %q: %v", body, err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "rid,group,url" {
		t.Fatalf("links CSV header %v", rows)
	}
	return rows[1:]
}

// openSurvey fetches a survey link as a respondent would (no session).
func (a *testApp) openSurvey(link string) int {
	a.t.Helper()
	u, err := url.Parse(link)
	if err != nil || u.Scheme+"://"+u.Host != "http://brandlift.test" || !strings.HasPrefix(u.Path, "/s/") {
		a.t.Fatalf("link %q is not on the study's base URL", link)
	}
	rec := httptest.NewRecorder()
	a.srv.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, u.RequestURI(), nil))
	return rec.Code
}

// auditCount counts a study's audit events of an action.
func (a *testApp) auditCount(studyID, action string) int {
	a.t.Helper()
	events, _, err := a.store.AuditEvents(context.Background(), survey.AuditFilter{StudyID: studyID, Limit: 500})
	if err != nil {
		a.t.Fatal(err)
	}
	n := 0
	for _, e := range events {
		if e.Action == action {
			n++
		}
	}
	return n
}

func holdoutStudy(body map[string]any) {
	body["assignment"] = "holdout"
	body["control_share"] = 0.3
}

func exposureStudy(body map[string]any) { body["assignment"] = "exposure" }

// TestDashIntegrationLinks mints links from pasted lines and from a CSV
// upload; every link in the download opens the survey.
func TestDashIntegrationLinks(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		st := app.launched(nil)
		rows := linksCSV(t, pc.postMultipart("/dashboard/studies/"+st.ID+"/links", url.Values{
			"rids": {"u-1\n\nu-2,control\n\"u,3\",exposed,age=25-34,region=msk\n"}, "group": {"exposed"}}, "", nil))
		want := [][2]string{{"u-1", "exposed"}, {"u-2", "control"}, {"u,3", "exposed"}}
		if len(rows) != len(want) {
			t.Fatalf("rows %v, want %v", rows, want)
		}
		for i, r := range rows {
			if r[0] != want[i][0] || r[1] != want[i][1] {
				t.Errorf("row %d: %v, want %v", i, r, want[i])
			}
			if code := app.openSurvey(r[2]); code != http.StatusOK {
				t.Errorf("link of %s opens %d", r[0], code)
			}
		}
		tok, _ := url.Parse(rows[2][2])
		peek, err := survey.PeekToken(tok.Query().Get("t"))
		if err != nil || peek.Attrs["age"] != "25-34" || peek.Attrs["region"] != "msk" || peek.Group != survey.GroupExposed {
			t.Errorf("token of u,3: %+v %v", peek, err)
		}
		if n := app.auditCount(st.ID, "links.create"); n != 1 {
			t.Errorf("%d links.create events, want 1", n)
		}

		// A holdout study from a semicolon CSV (Excel in Russian); the
		// group column is the server's holdout answer.
		hs := app.launched(holdoutStudy)
		file := []byte("\uFEFFrid;age;region\r\nh-1;25-34;msk\r\nh-2;;spb\r\nh-3;45-54;\r\n")
		rows = linksCSV(t, pc.postMultipart("/dashboard/studies/"+hs.ID+"/links", url.Values{"expires": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}}, "panel.csv", file))
		if len(rows) != 3 {
			t.Fatalf("rows %v", rows)
		}
		for _, r := range rows {
			var g struct{ Group string }
			app.do("GET", "/api/v1/public/studies/"+hs.PublicKey+"/assignment?rid="+r[0], "", nil).status(http.StatusOK).decode(&g)
			if r[1] != g.Group {
				t.Errorf("%s: group %q in the file, the server says %q", r[0], r[1], g.Group)
			}
			if code := app.openSurvey(r[2]); code != http.StatusOK {
				t.Errorf("link of %s opens %d", r[0], code)
			}
			u, _ := url.Parse(r[2])
			p, _ := survey.PeekToken(u.Query().Get("t"))
			if p == nil || p.Expires == 0 || p.Group != "" {
				t.Errorf("%s: token %+v, want an expiry and no group", r[0], p)
			}
			if r[0] == "h-2" && (p == nil || len(p.Attrs) != 1 || p.Attrs["region"] != "spb") {
				t.Errorf("h-2 attributes %+v, want region only (an empty cell is left out)", p)
			}
		}
	})
}

// TestDashIntegrationLinksErrors: a bad row is an error on the page that
// names its line, and nothing is minted.
func TestDashIntegrationLinksErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		st := app.launched(nil)
		path := "/dashboard/studies/" + st.ID + "/links"
		cases := []struct {
			name, text, file string
			want             []string
		}{
			{"bad rows", "ok-1,exposed\n\nbad-2,exposed,Age=1\nok-3,purple\nok-4", "", []string{"Строка 3", "атрибут «Age»", "Строка 4", "группа должна быть", "Строка 5", "укажите группу"}},
			{"bad CSV", "", "rid,group\nx-1,exposed\nx-2,exposed,extra\n", []string{"Строка 3", "число столбцов"}},
			{"no rid column", "", "id,group\nx-1,exposed\n", []string{"Строка 1", "нет столбца rid"}},
			{"both", "a-1,exposed", "rid\nb-1\n", []string{"не то и другое"}},
			{"nothing", "  \n", "", []string{"хотя бы один"}},
		}
		for _, tc := range cases {
			res := pc.postMultipart(path, url.Values{"rids": {tc.text}}, "f.csv", []byte(tc.file))
			body := res.Body.String()
			if res.Code != http.StatusUnprocessableEntity || !strings.Contains(body, `id="links-errors"`) {
				t.Errorf("%s: %d, want the page with errors: %.400s", tc.name, res.Code, body)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(html.UnescapeString(body), w) {
					t.Errorf("%s: the page does not say %q", tc.name, w)
				}
			}
			if tc.text != "" && strings.TrimSpace(tc.text) != "" && !strings.Contains(body, html.EscapeString(strings.Split(tc.text, "\n")[0])) {
				t.Errorf("%s: the textarea lost what was pasted", tc.name)
			}
		}
		// The study's mode decides the group: a holdout study takes none.
		hs := app.launched(holdoutStudy)
		res := pc.postMultipart("/dashboard/studies/"+hs.ID+"/links", url.Values{"rids": {"h-1\nh-2,exposed"}}, "", nil)
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "Строка 2") || !strings.Contains(res.Body.String(), "группу указывать не нужно") {
			t.Errorf("holdout with a group: %d %.300s", res.Code, res.Body.String())
		}
		for _, id := range []string{st.ID, hs.ID} {
			if n := app.auditCount(id, "links.create"); n != 0 {
				t.Errorf("%d links.create events after refused forms", n)
			}
		}
	})
}

// TestDashIntegrationSecret: the page never carries the secret; the
// reveal form does, and is audited; analysts are refused everywhere.
func TestDashIntegrationSecret(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(holdoutStudy)
		if st.Secret == "" || st.AssignmentKey == "" {
			t.Fatal("the marketer's view has no secret")
		}
		for _, role := range []survey.Role{survey.RoleMarketer, survey.RoleAdmin} {
			pc := app.signIn(role, "en")
			page := pc.get("/dashboard/studies/" + st.ID + "/integration")
			if page.Code != http.StatusOK {
				t.Fatalf("%s: integration page %d %s", role, page.Code, app.logBuf.String())
			}
			body := page.Body.String()
			if strings.Contains(body, st.Secret) || strings.Contains(body, st.AssignmentKey) {
				t.Errorf("%s: the GET page carries the secret", role)
			}
			for _, want := range []string{"/api/v1/public/studies/" + st.PublicKey + "/assignment?rid=RESPONDENT_ID", "BRANDLIFT_SECRET", `action="/dashboard/studies/` + st.ID + `/secret"`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the page lacks %q", role, want)
				}
			}
			before := app.auditCount(st.ID, "study.secret_revealed")
			res := pc.post("/dashboard/studies/"+st.ID+"/secret", url.Values{})
			if res.Code != http.StatusOK || !strings.Contains(res.Body.String(), `value="`+st.Secret+`"`) || !strings.Contains(res.Body.String(), st.AssignmentKey) {
				t.Errorf("%s: reveal %d does not show the secret", role, res.Code)
			}
			if cc := res.Header().Get("Cache-Control"); cc != "no-store" {
				t.Errorf("reveal Cache-Control %q", cc)
			}
			if app.auditCount(st.ID, "study.secret_revealed") != before+1 {
				t.Errorf("%s: reveal not audited", role)
			}
			events, _, _ := app.store.AuditEvents(context.Background(), survey.AuditFilter{StudyID: st.ID, Limit: 1})
			if len(events) != 1 || events[0].Action != "study.secret_revealed" || events[0].Actor != "user:"+pc.user.Email {
				t.Errorf("last event %+v, want the reveal by %s", events, pc.user.Email)
			}
		}
		// An exposure study shows the pixel, not the assignment call.
		ex := app.launched(exposureStudy)
		body := app.signIn(survey.RoleMarketer, "ru").get("/dashboard/studies/" + ex.ID + "/integration").Body.String()
		for _, want := range []string{"/px/" + ex.PublicKey + "?rid=RESPONDENT_ID&amp;creative=%ecid!&amp;placement=%epid!&amp;cb=%%CACHEBUSTER%%", "%aw_random%", "%system.random%", "{{random}}", "${CACHEBUSTER}"} {
			if !strings.Contains(body, want) {
				t.Errorf("exposure page lacks %q", want)
			}
		}
		if strings.Contains(body, "/assignment?rid=") || strings.Contains(body, ex.Secret) {
			t.Error("exposure page shows the assignment call or the secret")
		}

		for _, lang := range []string{"ru", "en"} {
			an := app.signIn(survey.RoleAnalyst, lang)
			want := map[string]string{"ru": "Недостаточно прав", "en": "Not allowed"}[lang]
			for _, res := range []response{
				an.get("/dashboard/studies/" + st.ID + "/integration"),
				an.post("/dashboard/studies/"+st.ID+"/links", url.Values{"rids": {"a-1"}}),
				an.post("/dashboard/studies/"+st.ID+"/secret", url.Values{}),
				an.post("/dashboard/studies/"+st.ID+"/rotate", url.Values{"confirm": {"yes"}}),
			} {
				if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), want) || !strings.Contains(res.Body.String(), `<html lang="`+lang+`">`) || strings.Contains(res.Body.String(), st.Secret) {
					t.Errorf("analyst (%s): %d, want a 403 page in %s", lang, res.Code, lang)
				}
			}
		}
		if n := app.auditCount(st.ID, "study.rotate_secret"); n != 0 {
			t.Errorf("an analyst rotated the secret")
		}
	})
}

// TestDashIntegrationRotate: rotation needs the confirmation; the old
// links keep working during the grace period and stop without one.
func TestDashIntegrationRotate(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		for _, tc := range []struct {
			grace   string
			oldOpen bool
		}{{"24", true}, {"0", false}} {
			st := app.launched(nil)
			old := app.links(st, map[string]any{"rid": "r-" + tc.grace, "group": "exposed"})[0]
			path := "/dashboard/studies/" + st.ID + "/rotate"
			if res := pc.post(path, url.Values{"grace_hours": {tc.grace}}); res.Code != http.StatusBadRequest && res.Code != http.StatusUnprocessableEntity {
				t.Errorf("rotate without confirmation: %d", res.Code)
			}
			res := pc.post(path, url.Values{"grace_hours": {tc.grace}, "confirm": {"yes"}})
			if res.Code != http.StatusSeeOther || res.Header().Get("Location") != "/dashboard/studies/"+st.ID+"/integration?notice=notice_secret_rotated" {
				t.Fatalf("rotate: %d to %q", res.Code, res.Header().Get("Location"))
			}
			if page := pc.get(res.Header().Get("Location")).Body.String(); !strings.Contains(page, "Секрет сменён") {
				t.Error("no notice after rotating")
			}
			var now survey.Study
			app.do("GET", "/api/v1/studies/"+st.ID, survey.RoleMarketer, nil).status(http.StatusOK).decode(&now)
			if now.Secret == st.Secret || now.AssignmentKey != st.AssignmentKey {
				t.Errorf("grace %s: secret not rotated, or the assignment key changed", tc.grace)
			}
			if got := app.openSurvey(old.URL) == http.StatusOK; got != tc.oldOpen {
				t.Errorf("grace %s: the old link opens: %v, want %v", tc.grace, got, tc.oldOpen)
			}
			if res := pc.post(path, url.Values{"grace_hours": {"721"}, "confirm": {"yes"}}); res.Code != http.StatusUnprocessableEntity {
				t.Errorf("grace 721: %d, want 422", res.Code)
			}
			if app.auditCount(st.ID, "study.rotate_secret") != 1 {
				t.Errorf("rotations audited: %d", app.auditCount(st.ID, "study.rotate_secret"))
			}
		}
	})
}

// snippetCode reads a snippet as the page shows it.
func snippetCode(t *testing.T, page, id string) string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<code id="` + id + `">(.*?)</code>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no snippet %s on the page", id)
	}
	return html.UnescapeString(m[1])
}

// TestDashIntegrationSnippets runs the Go, Python and Node.js snippets of
// the page with the study's secret; the server opens the links they print.
func TestDashIntegrationSnippets(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "en")
		for _, mode := range []struct {
			name   string
			change func(map[string]any)
			args   []string
		}{{"signed_link", nil, []string{"control"}}, {"holdout", holdoutStudy, nil}} {
			st := app.launched(mode.change)
			page := pc.get("/dashboard/studies/" + st.ID + "/integration").Body.String()
			for _, sn := range []struct{ id, file, tool string }{
				{"snippet-go", "mint.go", "go"}, {"snippet-python", "mint.py", "python3"}, {"snippet-js", "mint.js", "node"},
			} {
				code := snippetCode(t, page, sn.id)
				if strings.Contains(code, st.Secret) || !strings.Contains(code, st.PublicKey) {
					t.Fatalf("%s: the snippet carries the secret or lacks the public key", sn.id)
				}
				bin, err := exec.LookPath(sn.tool)
				if err != nil {
					t.Logf("%s not installed: %s not run", sn.tool, sn.id)
					continue
				}
				dir := t.TempDir()
				if err := os.WriteFile(filepath.Join(dir, sn.file), []byte(code), 0o644); err != nil {
					t.Fatal(err)
				}
				rid := "snip-" + sn.tool + "-" + mode.name
				args := append([]string{sn.file, rid}, mode.args...)
				if sn.tool == "go" {
					args = append([]string{"run"}, args...)
				}
				cmd := exec.Command(bin, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "BRANDLIFT_SECRET="+st.Secret, "GOFLAGS=", "GO111MODULE=")
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s %s: %v\n%s", mode.name, sn.id, err, out)
				}
				link := strings.TrimSpace(string(out))
				if !strings.HasPrefix(link, "http://brandlift.test/s/"+st.PublicKey+"?t=") {
					t.Fatalf("%s %s printed %q", mode.name, sn.id, out)
				}
				if code := app.openSurvey(link); code != http.StatusOK {
					t.Errorf("%s %s: the minted link opens %d", mode.name, sn.id, code)
				}
				u, _ := url.Parse(link)
				p, err := survey.PeekToken(u.Query().Get("t"))
				wantGroup := survey.Group("")
				if mode.args != nil {
					wantGroup = survey.Group(mode.args[0])
				}
				if err != nil || p.RID != rid || p.Group != wantGroup {
					t.Errorf("%s %s: payload %+v %v", mode.name, sn.id, p, err)
				}
				// Without the secret the snippet refuses rather than signing with nothing.
				cmd = exec.Command(bin, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "BRANDLIFT_SECRET=")
				if out, err := cmd.CombinedOutput(); err == nil {
					t.Errorf("%s without a secret printed %q", sn.id, out)
				}
			}
		}
	})
}
