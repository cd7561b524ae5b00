package api

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// scrapeForm reads the builder's form out of a page as a browser would
// send it without pressing a button: inputs (checked boxes only),
// textareas and the selected option of each select.
func scrapeForm(t *testing.T, page string) url.Values {
	t.Helper()
	start := strings.Index(page, `<form method="post"`)
	for start >= 0 && !strings.Contains(page[start:start+200], `class="builder"`) {
		next := strings.Index(page[start+1:], `<form method="post"`)
		if next < 0 {
			start = -1
			break
		}
		start += 1 + next
	}
	if start < 0 {
		t.Fatalf("no builder form in the page: %s", page)
	}
	end := strings.Index(page[start:], "</form>")
	form := page[start : start+end]
	v := url.Values{}
	attr := func(tag, name string) (string, bool) {
		m := regexp.MustCompile(`\s` + name + `="([^"]*)"`).FindStringSubmatch(tag)
		if m == nil {
			return "", false
		}
		return html.UnescapeString(m[1]), true
	}
	for _, tag := range regexp.MustCompile(`<input[^>]*>`).FindAllString(form, -1) {
		name, ok := attr(tag, "name")
		if !ok {
			continue
		}
		typ, _ := attr(tag, "type")
		if typ == "checkbox" && !regexp.MustCompile(`\schecked[\s>]`).MatchString(tag) {
			continue
		}
		val, _ := attr(tag, "value")
		v.Add(name, val)
	}
	for _, m := range regexp.MustCompile(`(?s)<textarea([^>]*)>(.*?)</textarea>`).FindAllStringSubmatch(form, -1) {
		name, _ := attr(m[1], "name")
		v.Add(name, html.UnescapeString(m[2]))
	}
	for _, m := range regexp.MustCompile(`(?s)<select([^>]*)>(.*?)</select>`).FindAllStringSubmatch(form, -1) {
		name, _ := attr(m[1], "name")
		opts := regexp.MustCompile(`<option value="([^"]*)"( selected)?>`).FindAllStringSubmatch(m[2], -1)
		if len(opts) == 0 {
			continue
		}
		val := opts[0][1]
		for _, o := range opts {
			if o[2] != "" {
				val = o[1]
			}
		}
		v.Set(name, html.UnescapeString(val))
	}
	return v
}

// builderPost posts the form with op and returns the answer.
func builderPost(pc *pageClient, path string, form url.Values, op string) response {
	pc.t.Helper()
	f := url.Values{}
	for k, vs := range form {
		f[k] = append([]string(nil), vs...)
	}
	f.Set("op", op)
	return pc.post(path, f)
}

// studyID reads the study's id from the redirect to its page.
func studyID(t *testing.T, res response) string {
	t.Helper()
	if res.Code != http.StatusSeeOther {
		t.Fatalf("save answered %d, want 303; body: %s", res.Code, res.Body.String())
	}
	loc := res.Header().Get("Location")
	m := regexp.MustCompile(`^/dashboard/studies/([^/?]+)\?notice=notice_study_(created|saved)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("save redirected to %q", loc)
	}
	return m[1]
}

func apiStudy(app *testApp, id string) survey.Study {
	var st survey.Study
	app.do("GET", "/api/v1/studies/"+id, survey.RoleMarketer, nil).status(http.StatusOK).decode(&st)
	return st
}

func countStudies(t *testing.T, app *testApp) int {
	t.Helper()
	list, _, err := app.store.Studies(context.Background(), store.StudyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(list)
}

// TestDashBuilderCreateFull creates a study from the full template in
// Russian with every setting filled, and reads it back from the API.
func TestDashBuilderCreateFull(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		chooser := pc.get("/dashboard/studies/new")
		for _, want := range []string{"Brand Lift из трёх вопросов", "Полное исследование из шести вопросов", `name="template" value="full6"`} {
			if !strings.Contains(chooser.Body.String(), want) {
				t.Errorf("the new-study page lacks %q", want)
			}
		}
		page := pc.get("/dashboard/studies/new?template=full6&brand=Acme")
		if page.Code != http.StatusOK {
			t.Fatalf("builder: %d %s", page.Code, page.Body.String())
		}
		form := scrapeForm(t, page.Body.String())
		// A target row first: the op adds it, nothing is saved.
		res := builderPost(pc, "/dashboard/studies/new", form, "add_target")
		if res.Code != http.StatusOK {
			t.Fatalf("add_target: %d", res.Code)
		}
		form = scrapeForm(t, res.Body.String())
		form.Set("name", "Весенняя кампания")
		form.Set("default_locale", "ru")
		form.Set("assignment", "holdout")
		form.Set("control_share", "0,1")
		form.Set("target_per_group", "1 500")
		form.Set("auto_close", "1")
		form.Set("confidence", "0.95")
		form.Set("target_lift", "0,03")
		form.Set("reach", "1500000")
		form.Set("spend", "250000,5")
		form.Set("currency", "rub")
		form.Set("weighting_attributes", "age, gender")
		form.Set("weighting_margins", "age=18-34:0,4\nage=35+:0,6")
		form.Set("consent.ru", "Я согласен на обработку персональных данных.")
		form.Set("consent.en", "I agree to the processing of my personal data.")
		form.Set("end_url", "https://acme.example/thanks")
		form.Set("frame_ancestors", "https://acme.example\nhttps://news.example")
		form.Set("t.0.question", "ad_recall")
		form.Set("t.0.measure", "abs_lift")
		form.Set("t.0.target", "0,05")
		form.Set("t.0.deadline", "2031-05-31")
		id := studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save"))

		st := apiStudy(app, id)
		var keys []string
		for _, q := range st.Questions {
			keys = append(keys, q.Key)
		}
		if got := strings.Join(keys, ","); got != "unaided_awareness,ad_recall,aided_awareness,consideration,favorability,purchase_intent" {
			t.Errorf("questions %s", got)
		}
		if st.Name != "Весенняя кампания" || st.Brand != "Acme" || st.Assignment != survey.AssignHoldout ||
			st.ControlShare != 0.1 || st.TargetPerGroup != 1500 || !st.AutoClose || st.Confidence != 0.95 ||
			st.TargetLift != 0.03 || st.Reach != 1500000 || st.Spend != 250000.5 || st.Currency != "RUB" ||
			st.EndURL != "https://acme.example/thanks" || len(st.FrameAncestors) != 2 || st.Status != survey.StatusDraft {
			t.Errorf("settings not stored as typed: %+v", st.Spec)
		}
		if strings.Join(st.Locales, ",") != "ru,en" || st.DefaultLocale != "ru" {
			t.Errorf("locales %v default %s", st.Locales, st.DefaultLocale)
		}
		if st.Weighting == nil || strings.Join(st.Weighting.Attributes, ",") != "age,gender" || st.Weighting.Margins["age"]["35+"] != 0.6 {
			t.Errorf("weighting %+v", st.Weighting)
		}
		if len(st.Targets) != 1 || st.Targets[0].Question != "ad_recall" || st.Targets[0].Target != 0.05 ||
			st.Targets[0].Deadline.Format("2006-01-02") != "2031-05-31" {
			t.Errorf("targets %+v", st.Targets)
		}
		if st.Consent["ru"] == "" || st.Consent["en"] == "" {
			t.Errorf("consent %v", st.Consent)
		}
		recall := st.Question("ad_recall")
		if recall == nil || !strings.Contains(recall.Text["ru"], "Acme") || recall.Text["en"] == "" || !recall.Options[0].Positive {
			t.Errorf("ad recall %+v", recall)
		}
		aided := st.Question("aided_awareness")
		if aided == nil || aided.Type != survey.MultiChoice || aided.Option("brand").Text["ru"] != "Acme" ||
			!aided.Option("brand").Positive || !aided.Option("none").Exclusive || aided.Option("brand_a").Text["ru"] != "Бренд А" {
			t.Errorf("aided awareness %+v", aided)
		}
		// The audit log names the page's user, as the API's would.
		entries, _, err := app.store.AuditEvents(context.Background(), survey.AuditFilter{StudyID: id})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range entries {
			if e.Action == "study.create" && strings.Contains(e.Actor, pc.user.Email) {
				found = true
			}
		}
		if !found {
			t.Error("no study.create audit entry")
		}
		// The edit page shows what was stored, in the page's decimal mark.
		edit := scrapeForm(t, pc.get("/dashboard/studies/"+id+"/edit").Body.String())
		if edit.Get("control_share") != "0,1" || edit.Get("q.1.key") != "ad_recall" || edit.Get("t.0.deadline") != "2031-05-31" ||
			edit.Get("weighting_margins") != "age=18-34:0,4\nage=35+:0,6" {
			t.Errorf("edit form %v", edit)
		}
	})
}

// TestDashBuilderOps checks that every structural button changes the
// form shown again, and that none of them saves anything.
func TestDashBuilderOps(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "en")
		form := scrapeForm(t, pc.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String())
		if form.Get("q.0.key") != "ad_recall" || form.Get("q.1.key") != "aided_awareness" || form.Get("q.2.key") != "purchase_intent" || form.Has("q.3.key") {
			t.Fatalf("yandex3 template form: %v", form)
		}
		step := func(op string) url.Values {
			t.Helper()
			res := builderPost(pc, "/dashboard/studies/new", form, op)
			if res.Code != http.StatusOK {
				t.Fatalf("%s: %d %s", op, res.Code, res.Body.String())
			}
			form = scrapeForm(t, res.Body.String())
			return form
		}
		f := step("add_question:rating")
		if f.Get("q.3.type") != "rating" || f.Get("q.3.scale") != "5" || f.Get("q.3.required") != "1" {
			t.Errorf("add_question:rating: %v", f)
		}
		f = step("move_up:3")
		if f.Get("q.2.type") != "rating" || f.Get("q.3.key") != "purchase_intent" {
			t.Errorf("move_up: q2 %s q3 %s", f.Get("q.2.type"), f.Get("q.3.key"))
		}
		f = step("move_down:0")
		if f.Get("q.0.key") != "aided_awareness" || f.Get("q.1.key") != "ad_recall" {
			t.Errorf("move_down: %s %s", f.Get("q.0.key"), f.Get("q.1.key"))
		}
		f = step("dup:1")
		if f.Get("q.2.key") != "ad_recall_2" || f.Get("q.2.text.en") != f.Get("q.1.text.en") || f.Get("q.2.opt.0.positive") != "1" {
			t.Errorf("dup: %s %q", f.Get("q.2.key"), f.Get("q.2.text.en"))
		}
		f = step("del:2")
		if f.Get("q.2.type") != "rating" || f.Has("q.4.type") {
			t.Errorf("del: %v", f)
		}
		f = step("add_option:1")
		if f.Get("q.1.opt.3.key") != "option_4" {
			t.Errorf("add_option: %q", f.Get("q.1.opt.3.key"))
		}
		f = step("del_option:1:3")
		if f.Has("q.1.opt.3.key") {
			t.Errorf("del_option left %q", f.Get("q.1.opt.3.key"))
		}
		f = step("opt_down:1:0")
		if f.Get("q.1.opt.0.key") != "no" || f.Get("q.1.opt.1.key") != "yes" || f.Get("q.1.opt.1.positive") != "1" {
			t.Errorf("opt_down: %s %s", f.Get("q.1.opt.0.key"), f.Get("q.1.opt.1.key"))
		}
		f = step("opt_up:1:1")
		if f.Get("q.1.opt.0.key") != "yes" {
			t.Errorf("opt_up: %s", f.Get("q.1.opt.0.key"))
		}
		f = step("dup_option:1:0")
		if f.Get("q.1.opt.1.key") != "yes_2" || f.Get("q.1.opt.1.text.ru") != "Да" {
			t.Errorf("dup_option: %s %s", f.Get("q.1.opt.1.key"), f.Get("q.1.opt.1.text.ru"))
		}
		f = step("template:nps")
		if f.Get("q.4.type") != "nps" || !strings.Contains(f.Get("q.4.text.en"), "Acme") {
			t.Errorf("template:nps: %s %q", f.Get("q.4.type"), f.Get("q.4.text.en"))
		}
		f = step("template:nps")
		if f.Get("q.5.key") != "nps_2" {
			t.Errorf("a second nps template got key %q", f.Get("q.5.key"))
		}
		f = step("add_target")
		if f.Get("t.0.measure") != "abs_lift" {
			t.Errorf("add_target: %v", f)
		}
		f = step("del_target:0")
		if f.Has("t.0.measure") {
			t.Error("del_target left the row")
		}
		f = step("study_template:full6")
		if f.Get("q.0.key") != "unaided_awareness" || f.Get("q.5.key") != "purchase_intent" || f.Has("q.6.key") {
			t.Errorf("study_template: %v", f)
		}
		// An op that names no row shows the form unchanged.
		before := form.Encode()
		if step("del:99"); form.Encode() != before {
			t.Error("del:99 changed the form")
		}
		if n := countStudies(t, app); n != 0 {
			t.Errorf("ops saved %d studies", n)
		}
	})
}

// fieldShowsError checks the wiring of one field's error: the input is
// marked invalid and described by the message, which is next to it, and
// the summary links to it.
func fieldShowsError(t *testing.T, page, id, message string) {
	t.Helper()
	input := regexp.MustCompile(`<(input|select|textarea|button)[^>]*\sid="` + regexp.QuoteMeta(id) + `"[^>]*>`).FindString(page)
	if input == "" {
		t.Errorf("no input with id %s", id)
		return
	}
	if !strings.Contains(input, `aria-invalid="true"`) || !regexp.MustCompile(`aria-describedby="[^"]*\b`+regexp.QuoteMeta(id)+`-err\b`).MatchString(input) {
		t.Errorf("input %s is not wired to its error: %s", id, input)
	}
	msg := regexp.MustCompile(`<p class="field-error" id="` + regexp.QuoteMeta(id) + `-err">([^<]*)</p>`).FindStringSubmatch(page)
	if msg == nil || !strings.Contains(html.UnescapeString(msg[1]), message) {
		t.Errorf("error of %s: %v, want %q", id, msg, message)
	} else if gap := strings.Index(page, msg[0]) - strings.Index(page, input); gap < 0 || gap > 2000 {
		t.Errorf("the error of %s is not next to it (%d bytes away)", id, gap)
	}
	if !strings.Contains(page, `<a href="#`+id+`">`) {
		t.Errorf("the summary has no link to %s", id)
	}
}

// TestDashBuilderErrors shows several mistakes at once, each next to its
// field, and values that cannot be read as errors on their field.
func TestDashBuilderErrors(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		form := scrapeForm(t, pc.get("/dashboard/studies/new?template=full6&brand=Acme").Body.String())
		form.Set("name", "")
		form.Set("q.2.text.ru", "")
		form.Set("control_share", "2")
		form.Set("q.0.key", "Bad Key")
		res := builderPost(pc, "/dashboard/studies/new", form, "save")
		if res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.Code)
		}
		page := res.Body.String()
		fieldShowsError(t, page, "f-name", "Заполните это поле.")
		fieldShowsError(t, page, "q-2-text-ru", "Нет текста на этом языке (ru).")
		fieldShowsError(t, page, "f-control_share", "строго между 0 и 1")
		fieldShowsError(t, page, "q-0-key", "Только строчная латиница")
		if !strings.Contains(page, "ошибок — 4") {
			t.Error("the summary does not count 4 problems")
		}
		// What was typed stays on the form.
		if again := scrapeForm(t, page); again.Get("control_share") != "2" || again.Get("q.0.key") != "Bad Key" || again.Get("q.5.key") != "purchase_intent" {
			t.Errorf("the form lost what was typed: %v", again)
		}

		// Values that cannot be read: errors on their fields, with the
		// store's findings about the rest at the same time.
		form = scrapeForm(t, pc.get("/dashboard/studies/new?template=yandex3").Body.String())
		form.Set("name", "")
		form.Set("reach", "abc")
		form.Set("spend", "1,2,3")
		form.Set("control_share", "половина")
		form = scrapeForm(t, builderPost(pc, "/dashboard/studies/new", form, "add_target").Body.String())
		form.Set("t.0.question", "ad_recall")
		form.Set("t.0.target", "пять")
		form.Set("t.0.deadline", "31.05.2031")
		form = scrapeForm(t, builderPost(pc, "/dashboard/studies/new", form, "add_question:rating").Body.String())
		form.Set("q.3.scale", "x")
		form.Set("q.3.text.ru", "Оценка")
		res = builderPost(pc, "/dashboard/studies/new", form, "save")
		if res.Code != http.StatusUnprocessableEntity {
			t.Fatalf("unreadable values: status %d, want 422: %s", res.Code, res.Body.String())
		}
		page = res.Body.String()
		fieldShowsError(t, page, "f-reach", "Введите целое число.")
		fieldShowsError(t, page, "f-spend", "Введите число")
		fieldShowsError(t, page, "f-control_share", "Введите число")
		fieldShowsError(t, page, "t-0-target", "Введите число")
		fieldShowsError(t, page, "t-0-deadline", "Введите дату.")
		fieldShowsError(t, page, "q-3-scale", "Введите целое число.")
		fieldShowsError(t, page, "f-name", "Заполните это поле.")
		if !strings.Contains(page, `<p class="field-error" id="f-control_share-err">Введите число, например 0,1.</p>`) {
			t.Error("an unreadable control share got more than its own message")
		}
		if n := countStudies(t, app); n != 0 {
			t.Errorf("invalid forms saved %d studies", n)
		}
	})
}

// TestDashBuilderEditLive edits a study that has been launched: the name
// changes, the questions are read-only and stay as they were.
func TestDashBuilderEditLive(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.createStudy(exampleStudy(t))
		app.do("POST", "/api/v1/studies/"+st.ID+"/launch", survey.RoleMarketer, nil).status(http.StatusOK)
		pc := app.signIn(survey.RoleMarketer, "ru")
		page := pc.get("/dashboard/studies/" + st.ID + "/edit")
		if page.Code != http.StatusOK {
			t.Fatalf("edit page: %d", page.Code)
		}
		body := page.Body.String()
		if !strings.Contains(body, "вопросы, тип, способ распределения, доля контрольной группы и языки заморожены") {
			t.Error("no frozen note")
		}
		form := scrapeForm(t, body)
		for _, name := range []string{"q.0.key", "q.0.type", "kind", "assignment", "control_share", "locales"} {
			if form.Has(name) {
				t.Errorf("a live study's form has the frozen field %s", name)
			}
		}
		form.Set("name", "Новое название")
		form.Set("target_per_group", "3000")
		// A question field sent anyway (a stale page) is ignored.
		form.Set("q.0.key", "changed")
		form.Set("q.0.type", "text")
		studyID(t, builderPost(pc, "/dashboard/studies/"+st.ID+"/edit", form, "save"))
		after := apiStudy(app, st.ID)
		if after.Name != "Новое название" || after.TargetPerGroup != 3000 {
			t.Errorf("name %q target %d", after.Name, after.TargetPerGroup)
		}
		if len(after.Questions) != len(st.Questions) || after.Questions[0].Key != st.Questions[0].Key {
			t.Errorf("questions changed: %+v", after.Questions)
		}
		// Closed: the form shows the store's refusal instead of an error page.
		app.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
		res := builderPost(pc, "/dashboard/studies/"+st.ID+"/edit", form, "save")
		if res.Code != http.StatusConflict || !strings.Contains(res.Body.String(), "Завершённое исследование изменить нельзя.") {
			t.Errorf("closed study save: %d", res.Code)
		}
	})
}

// TestDashBuilderAnalyst: the builder is for marketers; an analyst gets
// the 403 page in their language.
func TestDashBuilderAnalyst(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.createStudy(exampleStudy(t))
		pc := app.signIn(survey.RoleAnalyst, "ru")
		for _, path := range []string{"/dashboard/studies/new", "/dashboard/studies/new?template=full6",
			"/dashboard/studies/" + st.ID + "/edit", "/dashboard/studies/" + st.ID + "/preview"} {
			res := pc.get(path)
			if res.Code != http.StatusForbidden || !strings.Contains(res.Body.String(), "Недостаточно прав") {
				t.Errorf("GET %s as analyst: %d", path, res.Code)
			}
		}
		res := pc.post("/dashboard/studies/new", url.Values{"name": {"x"}, "op": {"save"}})
		if res.Code != http.StatusForbidden {
			t.Errorf("POST as analyst: %d", res.Code)
		}
		if n := countStudies(t, app); n != 1 {
			t.Errorf("%d studies", n)
		}
	})
}

// TestDashBuilderTemplatesSave saves every question template and every
// whole-study template: each passes the store's validation.
func TestDashBuilderTemplatesSave(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "en")
		for _, name := range questionTemplates {
			form := scrapeForm(t, pc.get("/dashboard/studies/new?template=blank&brand=Acme").Body.String())
			form = scrapeForm(t, builderPost(pc, "/dashboard/studies/new", form, "template:"+name).Body.String())
			form.Set("name", "Template "+name)
			form.Add("locales", "en")
			id := studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save"))
			st := apiStudy(app, id)
			if len(st.Questions) != 1 || st.Questions[0].Text["en"] == "" || st.Questions[0].Text["ru"] == "" {
				t.Errorf("template %s stored %+v", name, st.Questions)
			}
		}
		for _, name := range studyTemplateOrder {
			form := scrapeForm(t, pc.get("/dashboard/studies/new?template="+name).Body.String())
			form.Set("name", "Study "+name)
			id := studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save"))
			st := apiStudy(app, id)
			if len(st.Questions) != len(studyTemplates[name]) {
				t.Errorf("study template %s stored %d questions", name, len(st.Questions))
			}
			if name == "nps" && st.Kind != survey.KindNPS {
				t.Errorf("the nps template made a %s study", st.Kind)
			}
		}
		if res := pc.get("/dashboard/studies/new?template=nonsense"); res.Code != http.StatusNotFound {
			t.Errorf("unknown template: %d", res.Code)
		}
	})
}

// TestDashBuilderPreview renders the respondent page of a draft in each
// language, with nothing to send it with.
func TestDashBuilderPreview(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		form := scrapeForm(t, pc.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String())
		form.Set("name", "Превью")
		id := studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save"))
		if edit := pc.get("/dashboard/studies/" + id + "/edit").Body.String(); !strings.Contains(edit, `href="/dashboard/studies/`+id+`/preview?lang=en"`) {
			t.Error("the builder does not link to the English preview")
		}
		for lang, text := range map[string]string{"ru": "Видели ли вы в последние две недели рекламу бренда Acme?", "en": "Have you seen an ad for Acme in the last two weeks?"} {
			res := pc.get("/dashboard/studies/" + id + "/preview?lang=" + lang)
			if res.Code != http.StatusOK {
				t.Fatalf("preview %s: %d", lang, res.Code)
			}
			page := res.Body.String()
			if !strings.Contains(page, html.EscapeString(text)) && !strings.Contains(page, text) {
				t.Errorf("preview %s lacks the question text", lang)
			}
			// The banner is in the dashboard's language (Russian), whatever the survey's.
			if !strings.Contains(page, `<p class="preview" role="note" lang="ru">Предпросмотр`) {
				t.Errorf("preview %s has no banner", lang)
			}
			if !regexp.MustCompile(`id="send" disabled`).MatchString(page) || !strings.Contains(page, `name="t" value=""`) {
				t.Errorf("preview %s can be sent", lang)
			}
			csp := res.Header().Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self' 'nonce-") {
				t.Errorf("preview CSP %q", csp)
			}
		}
	})
}

// TestDashBuilderAnalysis sets the analysis settings (issue 13) from the
// form: the minimum per group, the significance rule, the time zone and a
// signed-link study's planned split; their mistakes in the page's
// language; the time zone read-only once live.
func TestDashBuilderAnalysis(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		pc := app.signIn(survey.RoleMarketer, "ru")
		page := pc.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String()
		text := html.UnescapeString(page)
		mustContain(t, text, "Анализ результатов", `id="f-min_per_group"`, `<option value="fixed" selected>Фиксированная выборка</option>`,
			"рекомендуется последовательный тест", "например Europe/Moscow (как в демо-исследовании)", `<option value="Europe/Moscow">`,
			`id="f-planned_split"`, "Ссылки выданы строго в заданной доле контрольной группы")
		form := scrapeForm(t, page)
		if form.Get("significance") != "fixed" || form.Has("planned_split") || form.Get("timezone") != "" {
			t.Errorf("a new form's analysis settings: %v", form)
		}
		form.Set("name", "Анализ")
		form.Set("control_share", "0,5")
		form.Set("min_per_group", "30")
		form.Set("significance", "sequential")
		form.Set("timezone", " Europe/Moscow ")
		form.Set("planned_split", "1")
		st := apiStudy(app, studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save")))
		if st.MinPerGroup != 30 || st.Significance != "sequential" || st.Timezone != "Europe/Moscow" || !st.PlannedSplit {
			t.Fatalf("saved min %d, significance %q, zone %q, planned split %v", st.MinPerGroup, st.Significance, st.Timezone, st.PlannedSplit)
		}
		// The edit form shows them; unticking the split is kept, though a
		// control share is sent (the API alone would read it as a split).
		form = scrapeForm(t, pc.get("/dashboard/studies/"+st.ID+"/edit").Body.String())
		if form.Get("min_per_group") != "30" || form.Get("significance") != "sequential" || form.Get("timezone") != "Europe/Moscow" || form.Get("planned_split") != "1" {
			t.Fatalf("the edit form: %v", form)
		}
		form.Del("planned_split")
		form.Set("min_per_group", "")
		studyID(t, builderPost(pc, "/dashboard/studies/"+st.ID+"/edit", form, "save"))
		if after := apiStudy(app, st.ID); after.PlannedSplit || after.MinPerGroup != 0 || after.MinGroupSize() != 50 {
			t.Errorf("after unticking: planned split %v, min %d", after.PlannedSplit, after.MinPerGroup)
		}

		// Mistakes, next to their fields, in Russian and in English.
		for _, c := range []struct{ lang, field, id, value, msg string }{
			{"ru", "min_per_group", "f-min_per_group", "тридцать", "Введите целое число."},
			{"ru", "min_per_group", "f-min_per_group", "-5", "Нужно целое число от 1 до 10000 ответов на группу."},
			{"ru", "min_per_group", "f-min_per_group", "20000", "Нужно целое число от 1 до 10000 ответов на группу."},
			{"ru", "timezone", "f-timezone", "Mars/Olympus", "Часовой пояс «Mars/Olympus» не найден: нужно имя IANA, например Europe/Moscow или UTC."},
			{"ru", "significance", "f-significance", "maybe", "Выберите значение из списка."},
			{"en", "timezone", "f-timezone", "Moscow", `No time zone "Moscow": needs an IANA name such as Europe/Moscow or UTC.`},
			{"en", "min_per_group", "f-min_per_group", "0.5", "Enter a whole number."},
		} {
			u := pc
			if c.lang == "en" {
				u = app.signIn(survey.RoleMarketer, "en")
			}
			f := scrapeForm(t, u.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String())
			f.Set("name", "Ошибка")
			f.Set(c.field, c.value)
			res := builderPost(u, "/dashboard/studies/new", f, "save")
			if res.Code != http.StatusUnprocessableEntity {
				t.Fatalf("%s=%q: %d, want 422", c.field, c.value, res.Code)
			}
			fieldShowsError(t, res.Body.String(), c.id, c.msg)
		}

		// A holdout study has no planned split to declare: a ticked box is not saved.
		form = scrapeForm(t, pc.get("/dashboard/studies/new?template=yandex3&brand=Acme").Body.String())
		form.Set("name", "Холдаут")
		form.Set("assignment", "holdout")
		form.Set("planned_split", "1")
		if hold := apiStudy(app, studyID(t, builderPost(pc, "/dashboard/studies/new", form, "save"))); hold.PlannedSplit {
			t.Error("a holdout study saved planned_split")
		}

		// Live: the time zone is read-only and not sent; the rest still changes.
		if _, err := app.store.Transition(context.Background(), st.ID, survey.Launch); err != nil {
			t.Fatal(err)
		}
		live := pc.get("/dashboard/studies/" + st.ID + "/edit").Body.String()
		mustContain(t, html.UnescapeString(live), "После запуска часовой пояс не меняется", "Europe/Moscow", `id="f-planned_split"`)
		form = scrapeForm(t, live)
		if form.Has("timezone") {
			t.Error("a live study's form sends the time zone")
		}
		form.Set("significance", "fixed")
		form.Set("timezone", "Asia/Tokyo") // a stale page: ignored
		studyID(t, builderPost(pc, "/dashboard/studies/"+st.ID+"/edit", form, "save"))
		if after := apiStudy(app, st.ID); after.Significance != "fixed" || after.Timezone != "Europe/Moscow" {
			t.Errorf("live edit: significance %q, zone %q", after.Significance, after.Timezone)
		}
	})
}
