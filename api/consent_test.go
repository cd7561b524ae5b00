package api

import (
	"bufio"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// TestConsentVersions: a consent text changed while the study is live is a
// new version, not an overwrite; both stay readable with their hashes;
// every response names the version it accepted, also one whose page was
// opened before the change; exports carry version, time and hash.
func TestConsentVersions(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		v1 := map[string]any{"ru": "Согласие, редакция 1.", "en": "Consent, version 1."}
		v2 := map[string]any{"ru": "Согласие, редакция 2: добавлен срок хранения.", "en": "Consent, version 2: with a retention period."}
		st := app.launched(func(b map[string]any) { b["consent"] = v1 })
		if st.ConsentVersion != 1 {
			t.Fatalf("a new study's consent is version %d", st.ConsentVersion)
		}
		links := app.links(st, map[string]any{"rid": "a", "group": "exposed"}, map[string]any{"rid": "b", "group": "exposed"},
			map[string]any{"rid": "c", "group": "exposed"})
		submit := func(token string, version int) {
			t.Helper()
			body := map[string]any{"token": token, "answers": exampleAnswers, "consent": true, "locale": "ru"}
			if version > 0 {
				body["consent_version"] = version
			}
			app.do("POST", "/api/v1/public/responses", "", body).status(http.StatusCreated)
		}
		submit(links[0].Token, 0)
		// The page of respondent c opens now, with version 1.
		page := app.do("GET", "/s/"+st.PublicKey+"?t="+url.QueryEscape(links[2].Token), "", nil).status(http.StatusOK)
		if !strings.Contains(page.Body.String(), `name="consent_version" value="1"`) {
			t.Fatal("the page does not post back the consent version it shows")
		}

		var live survey.Study
		app.do("PATCH", "/api/v1/studies/"+st.ID, survey.RoleMarketer, map[string]any{"consent": v2}).status(http.StatusOK).decode(&live)
		if live.ConsentVersion != 2 || live.Consent["ru"] != v2["ru"] {
			t.Fatalf("after the edit: version %d, text %q", live.ConsentVersion, live.Consent["ru"])
		}
		app.do("PATCH", "/api/v1/studies/"+st.ID, survey.RoleMarketer, map[string]any{"name": "renamed"}).status(http.StatusOK).decode(&live)
		if live.ConsentVersion != 2 {
			t.Fatalf("an edit that leaves the consent alone made version %d", live.ConsentVersion)
		}
		submit(links[1].Token, 0)
		form := url.Values{"t": {links[2].Token}, "q.recall": {"yes"}, "q.nps": {"9"}, "q.csat": {"4"}, "consent": {"yes"}, "consent_version": {"1"}}
		app.do("POST", "/s/"+st.PublicKey, "", form.Encode(), "Content-Type", "application/x-www-form-urlencoded").status(http.StatusSeeOther)
		bad := app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": app.links(st, map[string]any{"rid": "d", "group": "exposed"})[0].Token,
			"answers": exampleAnswers, "consent": true, "consent_version": 9}).status(http.StatusUnprocessableEntity)
		if missing := hasAll(bad.problem().fields(), "consent_version"); len(missing) > 0 {
			t.Errorf("an unknown version: %s", bad.Body.String())
		}

		var list ConsentList
		app.do("GET", "/api/v1/studies/"+st.ID+"/consent", survey.RoleMarketer, nil).status(http.StatusOK).decode(&list)
		if list.Current != 2 || len(list.Versions) != 2 || list.Versions[0].Texts["ru"] != v1["ru"] || list.Versions[1].Texts["en"] != v2["en"] ||
			list.Versions[0].SHA256["ru"] != survey.ConsentHash(v1["ru"].(string)) || list.Versions[1].CreatedAt.Before(list.Versions[0].CreatedAt) {
			t.Fatalf("versions %+v", list)
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/consent", survey.RoleAnalyst, nil).status(http.StatusForbidden)
		app.do("GET", "/api/v1/studies/nope/consent", survey.RoleMarketer, nil).status(http.StatusNotFound)

		// The export names each response's version, time and hash.
		res := app.getUnchecked("/api/v1/studies/"+st.ID+"/responses?format=jsonl", survey.RoleAnalyst).status(http.StatusOK)
		byVersion := map[float64]int{}
		sc := bufio.NewScanner(res.Body)
		for sc.Scan() {
			var row map[string]any
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatal(err)
			}
			v, _ := row["consent_version"].(float64)
			want := list.Versions[int(v)-1].SHA256["ru"]
			if row["consent_sha256"] != want || row["consent_at"] == nil {
				t.Errorf("row %v: hash %v, want %s", row["response_id"], row["consent_sha256"], want)
			}
			byVersion[v]++
		}
		if byVersion[1] != 2 || byVersion[2] != 1 {
			t.Errorf("responses by consent version %v, want 2 on version 1 (one opened before the edit) and 1 on version 2", byVersion)
		}
	})
}

// TestEndURL: only an http or https URL may be a study's end_url.
func TestEndURL(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		for _, bad := range []string{"javascript:alert(1)", "data:text/html,x", "ftp://acme.example", "//acme.example", "https://", "https://user:pw@acme.example/"} {
			b := exampleStudy(t)
			b["end_url"] = bad
			res := app.do("POST", "/api/v1/studies", survey.RoleMarketer, b).status(http.StatusUnprocessableEntity)
			if missing := hasAll(res.problem().fields(), "end_url"); len(missing) > 0 {
				t.Errorf("%q: %s", bad, res.Body.String())
			}
		}
		b := exampleStudy(t)
		b["end_url"] = "https://acme.example/spasibo"
		if st := app.createStudy(b); st.EndURL != "https://acme.example/spasibo" {
			t.Errorf("end_url %q", st.EndURL)
		}
	})
}
