package api

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// TestDashBuilderDesignRoundTrip builds a two-cell study in the builder
// (the ops add the rows), saves it, reads the design back from the API
// and from the edit page, and then a wave series with dates in the
// study's time zone.
func TestDashBuilderDesignRoundTrip(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		form := scrapeForm(t, pc.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String())
		res := builderPost(pc, "/dashboard/studies/new", form, "add_cell")
		if res.Code != http.StatusOK {
			t.Fatalf("add_cell: %d", res.Code)
		}
		form = scrapeForm(t, res.Body.String())
		if form.Get("c.0.key") != "cell_1" || form.Get("c.1.key") != "cell_2" || form.Has("c.2.key") {
			t.Fatalf("the first add_cell adds two cells: %v", form)
		}
		form.Set("name", "Два ролика")
		form.Set("c.0.key", "video_a")
		form.Set("c.0.name.ru", "Ролик А")
		form.Set("c.0.name.en", "Video A")
		form.Set("c.0.share", "0,25")
		form.Set("c.0.creatives", "v15, v15 alt")
		form.Set("c.1.key", "video_b")
		form.Set("c.1.name.ru", "Ролик Б")
		form.Set("c.1.name.en", "Video B")
		form.Set("c.1.share", "0,75")
		form.Set("category", "fmcg")
		form.Set("exclude_from_norms", "1")
		id := studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save"))
		st := apiStudy(app, id)
		if len(st.Cells) != 2 || st.Cells[0].Key != "video_a" || st.Cells[0].Share != 0.25 || st.Cells[1].Share != 0.75 ||
			st.Cells[0].Name["en"] != "Video A" || strings.Join(st.Cells[0].Creatives, "|") != "v15|v15 alt" || len(st.Cells[1].Creatives) != 0 {
			t.Errorf("cells stored %+v", st.Cells)
		}
		if st.Category != "fmcg" || !st.ExcludeFromNorms || len(st.Waves) != 0 {
			t.Errorf("category %q exclude %v waves %v", st.Category, st.ExcludeFromNorms, st.Waves)
		}
		edit := scrapeForm(t, pc.get("/dashboard/studies/"+id+"/edit").Body.String())
		if edit.Get("c.0.share") != "0,25" || edit.Get("c.0.creatives") != "v15, v15 alt" || edit.Get("c.1.name.ru") != "Ролик Б" ||
			edit.Get("category") != "fmcg" || edit.Get("exclude_from_norms") != "1" {
			t.Errorf("edit form %v", edit)
		}
		// Saving the edit page unchanged changes nothing.
		studyID(t, builderPost(pc, "/dashboard/studies/"+id+"/edit", edit, "save"))
		if again := apiStudy(app, id); len(again.Cells) != 2 || again.Cells[0].Share != 0.25 || again.Category != "fmcg" {
			t.Errorf("after saving unchanged: %+v", again.Spec.Design)
		}
		// Removing a cell in the builder, then all of them.
		res = builderPost(pc, "/dashboard/studies/"+id+"/edit", edit, "del_cell:0")
		if f := scrapeForm(t, res.Body.String()); f.Get("c.0.key") != "video_b" || f.Has("c.1.key") {
			t.Errorf("del_cell:0: %v", f)
		}

		// A wave series: the first add_wave adds pre and post.
		form = scrapeForm(t, pc.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String())
		form = scrapeForm(t, builderPost(pc, "/dashboard/studies/new", form, "add_wave").Body.String())
		if form.Get("w.0.key") != "pre" || form.Get("w.1.key") != "post" {
			t.Fatalf("add_wave: %v", form)
		}
		form.Set("name", "Волны")
		form.Set("timezone", "Europe/Moscow")
		form.Set("w.0.name.ru", "Нулевой опрос")
		form.Set("w.0.name.en", "Pre-campaign")
		form.Set("w.0.starts_at", "2031-03-01")
		form.Set("w.0.ends_at", "2031-03-14")
		form.Set("w.1.starts_at", "2031-04-01")
		id = studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save"))
		st = apiStudy(app, id)
		msk := time.FixedZone("MSK", 3*3600)
		if len(st.Waves) != 2 || st.Waves[0].StartsAt == nil || !st.Waves[0].StartsAt.Equal(time.Date(2031, 3, 1, 0, 0, 0, 0, msk)) ||
			st.Waves[0].EndsAt == nil || !st.Waves[0].EndsAt.Equal(time.Date(2031, 3, 15, 0, 0, 0, 0, msk)) ||
			st.Waves[1].EndsAt != nil || st.Waves[0].Name["ru"] != "Нулевой опрос" || st.Waves[1].Name != nil {
			t.Errorf("waves stored %+v", st.Waves)
		}
		edit = scrapeForm(t, pc.get("/dashboard/studies/"+id+"/edit").Body.String())
		if edit.Get("w.0.starts_at") != "2031-03-01" || edit.Get("w.0.ends_at") != "2031-03-14" || edit.Get("w.1.starts_at") != "2031-04-01" || edit.Get("w.1.ends_at") != "" {
			t.Errorf("edit form waves %v", edit)
		}
	})
}

// TestDashBuilderDesignErrors: the store's design errors show next to
// their fields in the page's language, nothing is saved; once launched,
// the design is read-only and the rest still saves.
func TestDashBuilderDesignErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "en")
		form := scrapeForm(t, pc.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String())
		form = scrapeForm(t, builderPost(pc, "/dashboard/studies/new", form, "add_cell").Body.String())
		before := countStudies(t, app)
		form.Set("name", "Broken design")
		form.Set("c.0.key", "same")
		form.Set("c.1.key", "same")
		form.Set("c.0.share", "1,5")
		form.Set("c.1.share", "abc")
		form.Set("category", "Not A Tag")
		res := builderPost(pc, "/dashboard/studies/new", form, "save")
		if res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.Code)
		}
		page := res.Body.String()
		fieldShowsError(t, page, "c-1-key", "A cell with key “same” already exists.")
		fieldShowsError(t, page, "c-0-share", "strictly between 0 and 1")
		fieldShowsError(t, page, "c-1-share", "number")
		fieldShowsError(t, page, "f-category", "A short tag")
		if !strings.Contains(html.UnescapeString(page), "Cell 2: Key") {
			t.Error("the summary does not name the cell's field")
		}
		// Cells and waves together: the error is on the waves' button.
		form.Set("c.0.key", "a")
		form.Set("c.1.key", "b")
		form.Set("c.0.share", "")
		form.Set("c.1.share", "")
		form.Set("category", "")
		form = scrapeForm(t, builderPost(pc, "/dashboard/studies/new", form, "add_wave").Body.String())
		res = builderPost(pc, "/dashboard/studies/new", form, "save")
		if res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("cells and waves: status %d, want 422", res.Code)
		}
		fieldShowsError(t, res.Body.String(), "add-wave", "either cells or waves")
		if n := countStudies(t, app); n != before {
			t.Errorf("invalid forms saved %d studies", n-before)
		}

		// Launched: the cells are listed, not editable; the category still saves.
		st := app.launched(func(b map[string]any) {
			b["cells"] = []map[string]any{{"key": "a", "name": map[string]string{"ru": "А", "en": "A"}}, {"key": "b"}}
		})
		page = pc.get("/dashboard/studies/" + st.ID + "/edit").Body.String()
		if !strings.Contains(page, "data-frozen-cells") || strings.Contains(page, `name="c.0.key"`) || strings.Contains(page, `value="add_cell"`) {
			t.Errorf("the launched study's cells are editable")
		}
		edit := scrapeForm(t, page)
		edit.Set("category", "auto")
		studyID(t, builderPost(pc, "/dashboard/studies/"+st.ID+"/edit", edit, "save"))
		if got := apiStudy(app, st.ID); got.Category != "auto" || len(got.Cells) != 2 || got.Cells[0].Name["en"] != "A" {
			t.Errorf("after saving the launched study: %+v", got.Spec.Design)
		}
	})
}

// TestDashLinksFormDesign: the links form offers a two-cell study's cells
// and a wave study's waves, mints links with them, and says in words
// what an exposed link without a cell lacks.
func TestDashLinksFormDesign(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		st := app.launched(func(b map[string]any) {
			b["cells"] = []map[string]any{{"key": "video_a", "name": map[string]string{"ru": "Ролик А", "en": "Video A"}}, {"key": "video_b"}}
		})
		page := pc.get("/dashboard/studies/" + st.ID + "/integration").Body.String()
		if !strings.Contains(page, `<select id="cell" name="cell"`) || !strings.Contains(page, `<option value="video_a">Ролик А (video_a)</option>`) ||
			strings.Contains(page, `id="wave"`) {
			t.Errorf("the links form of a cell study has no cell select, or a wave select")
		}
		res := pc.post("/dashboard/studies/"+st.ID+"/links", url.Values{"rids": {"u-1,exposed\nu-2,control"}})
		if res.Code != http.StatusUnprocessableEntity || !strings.Contains(res.Body.String(), "ссылке тестовой группы нужен креатив") {
			t.Errorf("exposed link without a cell: %d", res.Code)
		}
		res = pc.post("/dashboard/studies/"+st.ID+"/links", url.Values{"rids": {"u-1,exposed\nu-2,control"}, "cell": {"video_b"}})
		if res.Code != http.StatusOK {
			t.Fatalf("links with a cell: %d %s", res.Code, res.Body.String())
		}
		token := linkToken(t, res.Body.String(), "u-1")
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": token, "answers": exampleAnswers}).status(http.StatusCreated)
		var r designReport
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		if r.Cells == nil || r.Cells.Cells[1].Counts.Exposed != 1 || r.Cells.Cells[0].Counts.Exposed != 0 {
			t.Errorf("the link's response is not in cell video_b: %+v", r.Cells)
		}
		if res := pc.post("/dashboard/studies/"+st.ID+"/links", url.Values{"rids": {"u-3,exposed"}, "cell": {"nope"}}); res.Code != http.StatusUnprocessableEntity {
			t.Errorf("unknown cell: %d", res.Code)
		}

		waves := app.launched(func(b map[string]any) {
			b["waves"] = []map[string]any{{"key": "pre", "name": map[string]string{"ru": "До", "en": "Before"}}, {"key": "post"}}
		})
		page = pc.get("/dashboard/studies/" + waves.ID + "/integration").Body.String()
		if !strings.Contains(page, `<select id="wave" name="wave"`) || strings.Contains(page, `id="cell"`) {
			t.Errorf("the links form of a wave study has no wave select, or a cell select")
		}
		res = pc.post("/dashboard/studies/"+waves.ID+"/links", url.Values{"rids": {"w-1,control"}, "wave": {"pre"}})
		if res.Code != http.StatusOK {
			t.Fatalf("links with a wave: %d %s", res.Code, res.Body.String())
		}
		app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": linkToken(t, res.Body.String(), "w-1"), "answers": exampleAnswers}).status(http.StatusCreated)
		var wr designReport
		app.do("GET", "/api/v1/studies/"+waves.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&wr)
		if wr.Waves == nil || wr.Waves.Waves[0].Counts.Control != 1 {
			t.Errorf("the link's response is not in wave pre: %+v", wr.Waves)
		}
	})
}

// linkToken finds rid's token in the links CSV.
func linkToken(t *testing.T, csvText, rid string) string {
	t.Helper()
	for _, line := range strings.Split(csvText, "\n") {
		f := strings.Split(strings.TrimSpace(line), ",")
		if len(f) == 3 && strings.TrimPrefix(f[0], "\ufeff") == rid {
			u, err := url.Parse(f[2])
			if err != nil {
				t.Fatal(err)
			}
			return u.Query().Get("t")
		}
	}
	t.Fatalf("no link for %s in %q", rid, csvText)
	return ""
}

// TestDashResultsDesigns: the results page of a two-cell study shows the
// cells against control with the Holm values, and the pair; a wave
// study's shows its waves and the difference-in-differences.
func TestDashResultsDesigns(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(func(b map[string]any) {
			b["cells"] = []map[string]any{{"key": "video_a", "name": map[string]string{"ru": "Ролик А", "en": "Video A"}},
				{"key": "video_b", "name": map[string]string{"ru": "Ролик Б", "en": "Video B"}}}
			b["control_share"] = 1.0 / 3
		})
		answerArm(t, app, st, "c", map[string]any{"group": "control"}, 60, 12)
		answerArm(t, app, st, "a", map[string]any{"group": "exposed", "cell": "video_a"}, 60, 18)
		answerArm(t, app, st, "b", map[string]any{"group": "exposed", "cell": "video_b"}, 60, 33)
		pc := app.signIn(survey.RoleAnalyst, "en")
		page := html.UnescapeString(pc.get("/dashboard/studies/" + st.ID + "/results").Body.String())
		for _, want := range []string{`data-correction="holm"`, "Creative cells", "Holm correction", "p, Holm-adjusted",
			// video_a: 18/60 against 12/60, Holm 0.206; video_b 33/60, Holm 0.00015; b - a p 0.0056
			`data-row="video_a" data-sig="false"`, "0.206", `data-row="video_b" data-sig="true"`, "Video B − Video A", `data-row="video_a/video_b" data-sig="true"`, "0.006"} {
			if !strings.Contains(page, want) {
				t.Errorf("the cells' results page lacks %q", want)
			}
		}
		past := time.Now().Add(-48 * time.Hour).UTC()
		ws := app.launched(func(b map[string]any) {
			b["control_share"], b["planned_split"] = 0.5, false
			b["waves"] = []map[string]any{{"key": "pre", "name": map[string]string{"ru": "До кампании", "en": "Before"}}, {"key": "post"}, {"key": "old", "ends_at": past}}
		})
		answerArm(t, app, ws, "pe", map[string]any{"group": "exposed", "wave": "pre"}, 60, 12)
		answerArm(t, app, ws, "pc", map[string]any{"group": "control", "wave": "pre"}, 60, 11)
		answerArm(t, app, ws, "qe", map[string]any{"group": "exposed", "wave": "post"}, 60, 27)
		answerArm(t, app, ws, "qc", map[string]any{"group": "control", "wave": "post"}, 60, 13)
		ru := app.signIn(survey.RoleAnalyst, "ru")
		page = html.UnescapeString(ru.get("/dashboard/studies/" + ws.ID + "/results").Body.String())
		// The difference-in-differences +21.7 p.p., p 0.049; the whole wave +14.2 p.p., p 0.012.
		for _, want := range []string{"data-waves", "Волны", "«post» по сравнению с «До кампании»", "+21,7\u00a0п.\u00a0п.", "0,049",
			"+14,2\u00a0п.\u00a0п.", "0,012", "Разность разностей не рассчитана: для разности разностей нужны ответы"} {
			if !strings.Contains(page, want) {
				t.Errorf("the waves' results page lacks %q", want)
			}
		}
	})
}
