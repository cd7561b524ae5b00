package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

func TestCreateExampleStudy(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		res := app.do("POST", "/api/v1/studies", survey.RoleMarketer, exampleStudy(t)).status(http.StatusCreated)
		var st survey.Study
		res.decode(&st)
		if st.ID == "" || len(st.PublicKey) < 20 || st.Status != survey.StatusDraft {
			t.Fatalf("bad identity: %+v", st)
		}
		if res.Header().Get("Location") != "/api/v1/studies/"+st.ID {
			t.Errorf("Location = %q", res.Header().Get("Location"))
		}
		if len(st.Secret) != 43 { // 32 bytes, unpadded base64url
			t.Errorf("secret %q is not 32 random bytes in base64url", st.Secret)
		}
		if st.ControlShare != 0.1 || st.Reach != 1500000 || st.Currency != "RUB" || st.DefaultLocale != "ru" {
			t.Errorf("settings not kept: %+v", st.Spec)
		}
		if len(st.Questions) != 4 || st.Questions[0].Key != "recall" || st.Questions[3].Key != "why" {
			t.Fatalf("questions out of order: %+v", st.Questions)
		}
		recall := st.Questions[0]
		if len(recall.Options) != 3 || !recall.Options[0].Positive || !recall.Options[2].Fixed || recall.Options[1].Key != "no" {
			t.Errorf("options not kept in order: %+v", recall.Options)
		}
		if recall.Text["ru"] == "" || recall.Options[2].Text["en"] != "Don't remember" {
			t.Errorf("texts lost: %+v", recall)
		}
		if st.Questions[2].Scale != 5 || st.Questions[3].Required || !st.Questions[1].Required {
			t.Errorf("scale or required wrong: %+v", st.Questions)
		}
		var got survey.Study
		app.do("GET", "/api/v1/studies/"+st.ID, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&got)
		if got.Secret != "" || got.AssignmentKey != "" {
			t.Errorf("analyst sees the secret or assignment key")
		}
		if st.AssignmentKey != st.Secret {
			t.Errorf("assignment key should start equal to the secret")
		}
		got.Secret, got.AssignmentKey = st.Secret, st.AssignmentKey
		if fmt.Sprint(got) != fmt.Sprint(st) {
			t.Errorf("GET differs from POST:\n%+v\n%+v", got, st)
		}
	})
}

func TestCreateDefaults(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.createStudy(map[string]any{
			"name":      "Minimal",
			"questions": []any{map[string]any{"key": "q", "type": "rating", "text": map[string]string{"ru": "Оценка"}}},
		})
		if st.Kind != survey.KindBrandLift || st.Confidence != 0.9 || st.ControlShare != 0.5 ||
			st.Assignment != survey.AssignSignedLink || st.DefaultLocale != "ru" || st.Questions[0].Scale != 5 {
			t.Errorf("defaults: %+v", st.Spec)
		}
	})
}

// TestValidationListsEveryField posts studies with mistakes and expects
// each one back by JSON path in one 422.
func TestValidationListsEveryField(t *testing.T) {
	q := func(m map[string]any) map[string]any {
		base := map[string]any{"key": "q1", "type": "single_choice", "text": map[string]string{"ru": "В", "en": "Q"},
			"options": []any{
				map[string]any{"key": "a", "text": map[string]string{"ru": "А", "en": "A"}, "positive": true},
				map[string]any{"key": "b", "text": map[string]string{"ru": "Б", "en": "B"}},
			}}
		for k, v := range m {
			base[k] = v
		}
		return base
	}
	study := func(m map[string]any) map[string]any {
		base := map[string]any{"name": "S", "locales": []string{"ru", "en"}, "questions": []any{q(nil)}}
		for k, v := range m {
			base[k] = v
		}
		return base
	}
	cases := []struct {
		name string
		body map[string]any
		want []string
	}{
		{"three mistakes", study(map[string]any{"kind": "tv", "control_share": 1.5, "confidence": 0.99}),
			[]string{"kind", "control_share", "confidence"}},
		{"empty name", study(map[string]any{"name": "  "}), []string{"name"}},
		{"long name", study(map[string]any{"name": strings.Repeat("я", 201)}), []string{"name"}},
		{"control share zero", study(map[string]any{"control_share": 0}), []string{"control_share"}},
		{"unknown type and metric", study(map[string]any{"questions": []any{
			q(map[string]any{"type": "slider"}), q(map[string]any{"key": "q2", "metric": "vibes"})}}),
			[]string{"questions[0].type", "questions[1].metric"}},
		{"duplicate keys", study(map[string]any{"questions": []any{q(map[string]any{"options": []any{
			map[string]any{"key": "a", "text": map[string]string{"ru": "А", "en": "A"}, "positive": true},
			map[string]any{"key": "a", "text": map[string]string{"ru": "Б", "en": "B"}}}}), q(nil)}}),
			[]string{"questions[0].options[1].key", "questions[1].key"}},
		{"missing locale text", study(map[string]any{"questions": []any{q(map[string]any{"options": []any{
			map[string]any{"key": "a", "text": map[string]string{"ru": "А", "en": "A"}, "positive": true},
			map[string]any{"key": "b", "text": map[string]string{"ru": "Б"}}}})}}),
			[]string{"questions[0].options[1].text.en"}},
		{"question text in undeclared locale", study(map[string]any{"questions": []any{
			q(map[string]any{"text": map[string]string{"ru": "В", "en": "Q", "de": "F"}})}}),
			[]string{"questions[0].text.de"}},
		{"choice without options", study(map[string]any{"questions": []any{q(map[string]any{"options": []any{}, "metric": ""})}}),
			[]string{"questions[0].options"}},
		{"lift metric without positive", study(map[string]any{"questions": []any{q(map[string]any{"metric": "awareness", "options": []any{
			map[string]any{"key": "a", "text": map[string]string{"ru": "А", "en": "A"}},
			map[string]any{"key": "b", "text": map[string]string{"ru": "Б", "en": "B"}}}})}}),
			[]string{"questions[0].options"}},
		{"rating scale out of range", study(map[string]any{"questions": []any{
			map[string]any{"key": "r", "type": "rating", "scale": 12, "text": map[string]string{"ru": "О", "en": "R"}},
			map[string]any{"key": "r2", "type": "rating", "scale": 1, "text": map[string]string{"ru": "О", "en": "R"}}}}),
			[]string{"questions[0].scale", "questions[1].scale"}},
		{"locales", study(map[string]any{"locales": []string{"ru", "en", "fr", "en"}, "default_locale": "de"}),
			[]string{"locales[2]", "locales[3]", "default_locale"}},
		{"no questions", study(map[string]any{"questions": []any{}}), []string{"questions"}},
		{"bad attention and exclusive", study(map[string]any{"questions": []any{q(map[string]any{"metric": "", "attention": "zz",
			"options": []any{
				map[string]any{"key": "a", "text": map[string]string{"ru": "А", "en": "A"}, "exclusive": true},
				map[string]any{"key": "b", "text": map[string]string{"ru": "Б", "en": "B"}}}})}}),
			[]string{"questions[0].attention", "questions[0].options[0].exclusive"}},
		{"targets", study(map[string]any{"targets": []any{
			map[string]any{"question": "nope", "measure": "abs_lift", "target": 0.02, "deadline": "2027-01-01T00:00:00Z"},
			map[string]any{"question": "q1", "measure": "speed", "target": 1, "deadline": "2027-01-01T00:00:00Z"}}}),
			[]string{"targets[0].question", "targets[1].measure"}},
	}
	forEachDB(t, func(t *testing.T, app *testApp) {
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				p := app.do("POST", "/api/v1/studies", survey.RoleMarketer, c.body).status(http.StatusUnprocessableEntity).problem()
				if missing := hasAll(p.fields(), c.want...); len(missing) > 0 {
					t.Errorf("missing %v in %+v", missing, p.Errors)
				}
				if len(p.Errors) != len(c.want) {
					t.Errorf("got %d errors %+v, want exactly %v", len(p.Errors), p.Errors, c.want)
				}
			})
		}
		var list StudyList
		app.do("GET", "/api/v1/studies", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&list)
		if len(list.Studies) != 0 {
			t.Errorf("invalid studies were stored: %d", len(list.Studies))
		}
	})
}

func TestStrictDecoding(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		body := exampleStudy(t)
		body["colour"] = "red"
		body["questions"].([]any)[0].(map[string]any)["options"].([]any)[1].(map[string]any)["weight"] = 2
		p := app.do("POST", "/api/v1/studies", survey.RoleMarketer, body).status(http.StatusBadRequest).problem()
		if missing := hasAll(p.fields(), "colour", "questions[0].options[1].weight"); len(missing) > 0 {
			t.Errorf("unknown fields not named: %+v", p.Errors)
		}

		body = exampleStudy(t)
		body["control_share"] = "0.1"
		body["reach"] = 1.5
		p = app.do("POST", "/api/v1/studies", survey.RoleMarketer, body).status(http.StatusBadRequest).problem()
		if missing := hasAll(p.fields(), "control_share", "reach"); len(missing) > 0 {
			t.Errorf("type errors not named: %+v", p.Errors)
		}

		for _, raw := range []string{`{"name":`, `[1,2]`, `{"name":"a"} {"name":"b"}`, ``, `null`} {
			p := app.do("POST", "/api/v1/studies", survey.RoleMarketer, raw).status(http.StatusBadRequest).problem()
			if p.Detail == "" {
				t.Errorf("%q: no detail", raw)
			}
		}
		app.do("POST", "/api/v1/studies", survey.RoleMarketer, "name=x", "Content-Type", "application/x-www-form-urlencoded").
			status(http.StatusUnsupportedMediaType).problem()
	})
}

func TestLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.createStudy(exampleStudy(t))
		path := "/api/v1/studies/" + st.ID
		step := func(action string, want int, wantStatus survey.Status) {
			t.Helper()
			res := app.do("POST", path+"/"+action, survey.RoleMarketer, nil).status(want)
			if want == http.StatusOK {
				var got survey.Study
				res.decode(&got)
				if got.Status != wantStatus {
					t.Fatalf("%s: status %s, want %s", action, got.Status, wantStatus)
				}
				return
			}
			p := res.problem()
			if p.CurrentStatus != wantStatus || !strings.Contains(p.Detail, string(wantStatus)) {
				t.Fatalf("%s: conflict %+v does not name current status %s", action, p, wantStatus)
			}
		}
		step("pause", http.StatusConflict, survey.StatusDraft)
		step("launch", http.StatusOK, survey.StatusLive)
		step("launch", http.StatusConflict, survey.StatusLive)

		// Questions are frozen once live; other fields are not.
		body := exampleStudy(t)
		p := app.do("PATCH", path, survey.RoleMarketer, map[string]any{"questions": body["questions"].([]any)[:2]}).
			status(http.StatusConflict).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "questions" {
			t.Errorf("frozen field not named: %+v", p)
		}
		// Sending the same questions back is not a change.
		app.do("PATCH", path, survey.RoleMarketer, map[string]any{"questions": body["questions"], "name": "Renamed"}).
			status(http.StatusOK)

		step("pause", http.StatusOK, survey.StatusPaused)
		step("resume", http.StatusOK, survey.StatusLive)
		step("pause", http.StatusOK, survey.StatusPaused)
		app.do("PATCH", path, survey.RoleMarketer, map[string]any{"control_share": 0.2}).status(http.StatusConflict)
		step("close", http.StatusOK, survey.StatusClosed)
		step("resume", http.StatusConflict, survey.StatusClosed)
		app.do("PATCH", path, survey.RoleMarketer, map[string]any{"name": "x"}).status(http.StatusConflict)

		var got survey.Study
		app.do("GET", path, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&got)
		if got.Name != "Renamed" || got.LaunchedAt == nil || got.ClosedAt == nil {
			t.Errorf("after close: %+v", got)
		}
		app.do("POST", "/api/v1/studies/nope/launch", survey.RoleMarketer, nil).status(http.StatusNotFound).problem()
	})
}

func TestPatchDraft(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.createStudy(exampleStudy(t))
		path := "/api/v1/studies/" + st.ID
		body := exampleStudy(t)
		qs := body["questions"].([]any)
		var got survey.Study
		app.do("PATCH", path, survey.RoleMarketer, map[string]any{"questions": []any{qs[3], qs[0]}, "reach": 10}).
			status(http.StatusOK).decode(&got)
		if len(got.Questions) != 2 || got.Questions[0].Key != "why" || got.Reach != 10 || got.Name != st.Name {
			t.Errorf("patch: %+v", got)
		}
		// A patch that breaks the study is refused whole.
		p := app.do("PATCH", path, survey.RoleMarketer, map[string]any{"name": "", "confidence": 0.5}).
			status(http.StatusUnprocessableEntity).problem()
		if missing := hasAll(p.fields(), "name", "confidence"); len(missing) > 0 {
			t.Errorf("%+v", p.Errors)
		}
		app.do("GET", path, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&got)
		if got.Name != st.Name || got.Reach != 10 {
			t.Errorf("refused patch changed the study: %+v", got)
		}
		// Dropping "ru" leaves texts in a locale the study no longer declares.
		app.do("PATCH", path, survey.RoleMarketer, map[string]any{"locales": []string{"en"}}).
			status(http.StatusUnprocessableEntity)
		app.do("PATCH", "/api/v1/studies/missing", survey.RoleMarketer, map[string]any{"name": "x"}).status(http.StatusNotFound)
	})
}

func TestDelete(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		draft := app.createStudy(exampleStudy(t))
		app.do("DELETE", "/api/v1/studies/"+draft.ID, survey.RoleAdmin, nil).status(http.StatusNoContent)
		app.do("GET", "/api/v1/studies/"+draft.ID, survey.RoleAdmin, nil).status(http.StatusNotFound)

		live := app.createStudy(exampleStudy(t))
		path := "/api/v1/studies/" + live.ID
		app.do("POST", path+"/launch", survey.RoleMarketer, nil).status(http.StatusOK)
		if p := app.do("DELETE", path+"?force=true", survey.RoleAdmin, nil).status(http.StatusConflict).problem(); p.CurrentStatus != survey.StatusLive {
			t.Errorf("%+v", p)
		}
		app.do("POST", path+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
		app.do("DELETE", path, survey.RoleAdmin, nil).status(http.StatusConflict).problem()
		app.do("DELETE", path+"?force=maybe", survey.RoleAdmin, nil).status(http.StatusBadRequest).problem()
		app.do("DELETE", path+"?force=true", survey.RoleAdmin, nil).status(http.StatusNoContent)
		app.do("DELETE", path+"?force=true", survey.RoleAdmin, nil).status(http.StatusNotFound).problem()
	})
}

func TestListPagination(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		var ids []string
		for i := 0; i < 7; i++ {
			body := exampleStudy(t)
			body["name"] = fmt.Sprintf("Study %d", i)
			if i%3 == 0 {
				body["kind"] = "nps"
			}
			ids = append(ids, app.createStudy(body).ID)
		}
		app.do("POST", "/api/v1/studies/"+ids[1]+"/launch", survey.RoleMarketer, nil).status(http.StatusOK)

		seen := map[string]bool{}
		cursor, pages := "", 0
		for {
			var page StudyList
			app.do("GET", "/api/v1/studies?limit=3&cursor="+cursor, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&page)
			pages++
			for _, s := range page.Studies {
				if seen[s.ID] {
					t.Fatalf("study %s on two pages", s.ID)
				}
				seen[s.ID] = true
			}
			if page.NextCursor == "" {
				break
			}
			cursor = page.NextCursor
		}
		if len(seen) != 7 || pages != 3 {
			t.Errorf("saw %d studies on %d pages", len(seen), pages)
		}
		var nps, live StudyList
		app.do("GET", "/api/v1/studies?kind=nps", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&nps)
		app.do("GET", "/api/v1/studies?status=live", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&live)
		if len(nps.Studies) != 3 || len(live.Studies) != 1 || live.Studies[0].ID != ids[1] {
			t.Errorf("filters: %d nps, %d live", len(nps.Studies), len(live.Studies))
		}
		if nps.Studies[0].ID != ids[6] {
			t.Errorf("not newest first")
		}
		for _, bad := range []string{"limit=0", "limit=201", "limit=x", "status=done", "kind=tv"} {
			p := app.do("GET", "/api/v1/studies?"+bad, survey.RoleAnalyst, nil).status(http.StatusBadRequest).problem()
			if len(p.Errors) != 1 || !strings.HasPrefix(bad, p.Errors[0].Field) {
				t.Errorf("%s: %+v", bad, p)
			}
		}
	})
}
