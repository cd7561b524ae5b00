package api

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// The results page's caveats (issue 13): low samples, the test behind
// "significant", the sample ratio check, crossed segments, the stratified
// view and the trend's changes, each against the API's own report.

// specWith is spec with fields set or replaced.
func specWith(t testing.TB, spec string, fields map[string]any) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(spec), &m); err != nil {
		t.Fatal(err)
	}
	for k, v := range fields {
		m[k] = v
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// apiReport is the API's report as the tests read it.
type apiReport struct {
	Health       results.Health
	MinPerGroup  int64 `json:"min_per_group"`
	Significance string
	IgnoreSRM    bool `json:"ignore_srm"`
	Metrics      []map[string]any
	Stratified   *results.StratifiedReport
	Segments     []struct {
		Level   string
		Other   []string
		Counts  results.GroupCounts
		Metrics []map[string]any
	}
}

// report reads the API's report with an analyst's session. (app.do would
// also check the answer against openapi.json, which other tests do; here
// only the numbers matter.)
func (app *testApp) report(t *testing.T, id, query string) apiReport {
	t.Helper()
	var r apiReport
	app.apiGet(t, "/api/v1/studies/"+id+"/results"+query, &r)
	return r
}

// readers keeps one signed-in analyst per test app.
var readers sync.Map

func (app *testApp) apiGet(t *testing.T, path string, v any) {
	t.Helper()
	pc, ok := readers.Load(app)
	if !ok {
		pc, _ = readers.LoadOrStore(app, app.signIn(survey.RoleAnalyst, "en"))
	}
	res := pc.(*pageClient).get(path)
	if res.Code != http.StatusOK {
		t.Fatalf("%s: %d %s", path, res.Code, res.Body.String())
	}
	res.decode(v)
}

// lifts are the report's lift metrics (not the withheld ones).
func (r apiReport) lifts() []map[string]any {
	var out []map[string]any
	for _, m := range r.Metrics {
		if m["type"] == "lift" && m["status"] == nil {
			out = append(out, m)
		}
	}
	return out
}

// page is a results page as text, entities decoded.
func (pc *pageClient) page(path string) string {
	pc.t.Helper()
	res := pc.get(path)
	if res.Code != http.StatusOK {
		pc.t.Fatalf("%s: %d %s", path, res.Code, res.Body.String())
	}
	return html.UnescapeString(res.Body.String())
}

func mustLack(t *testing.T, body string, banned ...string) {
	t.Helper()
	for _, b := range banned {
		if strings.Contains(body, b) {
			t.Errorf("the page has %q", b)
		}
	}
}

func TestDashResultsLowSample(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, dashResultsSpec, 30)
		r := app.report(t, st.ID, "")
		lifts := r.lifts()
		if r.Health.EnoughData || len(lifts) != 4 || len(r.Health.LowSample) < 4 {
			t.Fatalf("the API's report: enough %v, %d lifts, low sample %v", r.Health.EnoughData, len(lifts), r.Health.LowSample)
		}
		for _, m := range lifts {
			if m["low_sample"] != true || m["significant_by"] != results.ByFisherExact {
				t.Fatalf("lift %v/%v: low_sample %v, significant_by %v", m["question"], m["option"], m["low_sample"], m["significant_by"])
			}
		}
		words := map[string][]string{
			"en": {"low sample", "Low sample: fewer than 50 answers per group (exposed group — 30, control group — 30).", "Fisher's exact test decides whether the lift is significant.",
				"significant (Fisher's exact test)", "Metrics with a low sample", "Low sample: a group has fewer than 50 responses."},
			"ru": {"мало ответов", "Мало ответов: меньше 50 на группу (тестовая группа — 30, контрольная группа — 30).", "Значимость прироста определяет точный тест Фишера.",
				"значимо (точный тест Фишера)", "Метрики с малой выборкой", "Мало ответов: в одной из групп меньше 50."},
		}
		for _, lang := range []string{"en", "ru"} {
			body := app.signIn(survey.RoleAnalyst, lang).page("/dashboard/studies/" + st.ID + "/results")
			// The numbers are shown: the headline is the API's lift.
			m := lifts[0]
			ci := m["abs_lift_ci"].([]any)
			label := map[string]string{"en": "Ad recall", "ru": "Запоминаемость рекламы"}[lang]
			conf := map[string]string{"en": "90%", "ru": "90\u00a0%"}[lang]
			mustContain(t, body, headlineText(lang, label, m["abs_lift"].(float64), ci[0].(float64), ci[1].(float64), conf))
			mustContain(t, body, words[lang]...)
			// Every lift metric's table and headline carry the badge, the NPS and rating blocks too.
			if n := strings.Count(body, "data-low-sample"); n < 2*len(lifts)+2 {
				t.Errorf("%s: %d low-sample marks, want at least %d", lang, n, 2*len(lifts)+2)
			}
			// The low-sample list names every metric of the API's list.
			list := regexp.MustCompile(`(?s)<ul class="rs-low-list" data-low-list>(.*?)</ul>`).FindStringSubmatch(body)
			if list == nil || strings.Count(list[1], "<li>") != len(r.Health.LowSample) {
				t.Errorf("%s: the low-sample list %v, want %d items", lang, list, len(r.Health.LowSample))
			}
			mustLack(t, body, "low sample: fewer than", "answers per group (exposed 30", "rs_", "%!")
		}
		// A lower minimum on the link lifts the caveat, and the page's links keep it.
		body := app.signIn(survey.RoleAnalyst, "en").page("/dashboard/studies/" + st.ID + "/results?min_per_group=20")
		mustLack(t, body, "data-low-sample", "significant (Fisher's exact test)")
		mustContain(t, body, "significant (z-test)", `name="min_per_group" value="20"`, "min_per_group=20")
	})
}

func TestDashResultsWithheld(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedStudyGroups(t, app.store, dashResultsSpec, 12, 0)
		r := app.report(t, st.ID, "")
		if len(r.lifts()) != 0 {
			t.Fatalf("a study without control answers has %d lifts", len(r.lifts()))
		}
		for _, lang := range []string{"en", "ru"} {
			body := app.signIn(survey.RoleAnalyst, lang).page("/dashboard/studies/" + st.ID + "/results")
			want := map[string][]string{"en": {"Not enough data", "No answer yet: control group.", "12 responses", "0 responses", "Ad recall"},
				"ru": {"Недостаточно данных", "Пока нет ни одного ответа: контрольная группа.", "12 ответов", "0 ответов"}}[lang]
			mustContain(t, body, want...)
			// Counts only: no lift, interval or p-value anywhere.
			mustLack(t, body, "CI +", "ДИ от", "p-value (z-test)</a></th><td", `data-headline`, "no answers yet in the")
		}
	})
}

func TestDashResultsSRM(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		// Signed links stating control_share 0.5, answered 150 to 80.
		st := seedStudyGroups(t, app.store, dashResultsSpec, 150, 80)
		r := app.report(t, st.ID, "")
		if r.Health.SRM == nil || !r.Health.SRM.Defined || !r.Health.SRM.Mismatch {
			t.Fatalf("the API sees no mismatch: %+v", r.Health.SRM)
		}
		for _, m := range r.lifts() {
			if m["significant"] != false {
				t.Fatalf("significant under a mismatch: %v", m)
			}
		}
		base := "/dashboard/studies/" + st.ID + "/results"
		for _, lang := range []string{"en", "ru"} {
			pc := app.signIn(survey.RoleAnalyst, lang)
			body := pc.page(base)
			want := map[string][]string{
				"en": {"so significance is off", "Control group: 80 of 230 (34.8%), planned 50.0%; p <\u00a00.001.", "Show significance anyway (ignore_srm=true)",
					"significance is off: the groups' sizes do not fit the planned split"},
				"ru": {"поэтому статистическая значимость отключена", "Контрольная группа: 80 из 230 (34,8\u00a0%), по плану — 50,0\u00a0%; p <\u00a00,001.",
					"Показать значимость без учёта проверки (ignore_srm=true)", "значимость отключена: размеры групп не соответствуют плановому соотношению"},
			}[lang]
			mustContain(t, body, want...)
			mustContain(t, body, `data-srm="mismatch"`)
			mustLack(t, body, `class="badge sig"`, "sample ratio mismatch:", "ignore_srm=true overrides")
			// The button asks for the same view with the check ignored.
			link := regexp.MustCompile(`<a class="button" href="([^"]*ignore_srm=true[^"]*)"`).FindStringSubmatch(body)
			if link == nil {
				t.Fatalf("%s: no ignore_srm link", lang)
			}
			ignored := pc.page(link[1])
			mustContain(t, ignored, `data-srm="ignored"`, `name="ignore_srm" value="true"`,
				map[string]string{"en": "The sample ratio check is off on request", "ru": "Проверка соотношения групп отключена по запросу"}[lang])
			if !strings.Contains(ignored, "/report?") || !strings.Contains(regexp.MustCompile(`href="([^"]*/report\?[^"]*)"`).FindString(ignored), "ignore_srm=true") {
				t.Errorf("%s: the report link drops ignore_srm", lang)
			}
			// With the check ignored, significance is the API's again.
			ri := app.report(t, st.ID, "?ignore_srm=true")
			sig := 0
			for _, m := range ri.lifts() {
				if m["significant"] == true {
					sig++
				}
			}
			if got := strings.Count(ignored, `<span class="badge sig">`); got != sig {
				t.Errorf("%s: %d significant badges with ignore_srm, the API has %d significant lifts", lang, got, sig)
			}
		}

		// Signed links without a declared split: not checked, and why, in words.
		noSplit := seedStudyGroups(t, app.store, specWith(t, dashResultsSpec, map[string]any{"planned_split": false}), 60, 60)
		if rs := app.report(t, noSplit.ID, ""); rs.Health.SRM == nil || rs.Health.SRM.Defined {
			t.Fatalf("a signed-link study without a planned split: SRM %+v", rs.Health.SRM)
		}
		ru := app.signIn(survey.RoleAnalyst, "ru").page("/dashboard/studies/" + noSplit.ID + "/results")
		mustContain(t, ru, `data-srm="unchecked"`, "Соотношение групп не проверялось: в исследовании не указано плановое соотношение групп")
		mustLack(t, ru, "the study declares no planned split")
	})
}

func TestDashResultsSignificanceRule(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		fixed := seedResultsStudy(t, app.store, dashResultsSpec, 60)
		seq := seedResultsStudy(t, app.store, specWith(t, dashResultsSpec, map[string]any{"significance": "sequential"}), 60)
		if r := app.report(t, seq.ID, ""); r.Significance != survey.SignificanceSequential || r.lifts()[0]["significant_by"] != results.BySequential {
			t.Fatalf("a sequential study's report: %s, %v", r.Significance, r.lifts()[0]["significant_by"])
		}
		pc := app.signIn(survey.RoleAnalyst, "ru")
		f := pc.page("/dashboard/studies/" + fixed.ID + "/results")
		mustContain(t, f, `data-rule="fixed"`, "Фиксированная выборка: разница статистически значима, когда p-value z-теста", "data-rule-hint",
			"рекомендуется последовательный тест", "(z-тест)")
		s := pc.page("/dashboard/studies/" + seq.ID + "/results")
		mustContain(t, s, `data-rule="sequential"`, "Последовательный тест: разница статистически значима", "(последовательный тест)")
		mustLack(t, s, "data-rule-hint")
		// A closed study is read once: no advice.
		if _, err := app.store.Transition(t.Context(), fixed.ID, survey.Close); err != nil {
			t.Fatal(err)
		}
		mustLack(t, pc.page("/dashboard/studies/"+fixed.ID+"/results"), "data-rule-hint")
	})
}

func TestDashResultsSegmentsCrossed(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, dashResultsSpec, 90)
		base := "/dashboard/studies/" + st.ID + "/results"
		en, ru := app.signIn(survey.RoleAnalyst, "en"), app.signIn(survey.RoleAnalyst, "ru")

		// Two selects make one crossed segment. Small levels pool into
		// "other" when two or more are small and one stands alone: the
		// minimum is set to the largest level's smaller group.
		var all apiReport
		app.apiGet(t, "/api/v1/studies/"+st.ID+"/results?segment=age,gender&min_per_group=10000", &all)
		if len(all.Segments) != 6 {
			t.Fatalf("age × gender: %d levels, want 6", len(all.Segments))
		}
		var minimum int64
		for _, s := range all.Segments {
			n := min(s.Counts.Exposed, s.Counts.Control)
			minimum = max(minimum, n)
		}
		q := fmt.Sprintf("&min_per_group=%d", minimum)
		r := app.report(t, st.ID, "?segment=age,gender"+q)
		var other []string
		for _, s := range r.Segments {
			if s.Level == results.OtherLevel {
				other = s.Other
			}
		}
		if len(other) < 2 {
			t.Fatalf("age × gender at min_per_group %d pools %v, want two or more levels", minimum, other)
		}
		body := en.page(base + "?segment=age&segment2=gender" + q)
		mustContain(t, body, "Segments: Age × Gender", `<option value="gender" selected>`, `<th scope="row">Other`,
			fmt.Sprintf(`"Other" pools the levels (%d) where a group has fewer than %d responses: %s.`, len(other), minimum, strings.Join(other, ", ")),
			"segment=age%2Cgender")
		if n := strings.Count(body, `<th scope="row">`+other[0]+"</th>"); n != 0 {
			t.Errorf("a pooled level %q has its own row", other[0])
		}
		rb := ru.page(base + "?segment=age&segment2=gender" + q)
		mustContain(t, rb, "Сегменты: Возраст × Пол", "«Прочие» объединяет сегменты")
		// At the default minimum every level is small: each keeps its row, marked.
		small := en.page(base + "?segment=age&segment2=gender")
		for _, l := range []string{"18-34 / f", "55+ / m"} {
			if !strings.Contains(small, `<th scope="row">`+l+" (low sample)</th>") {
				t.Errorf("no level %s marked low sample", l)
			}
		}
		// The same attribute twice is one segment; frequency crosses with nothing.
		mustContain(t, en.page(base+"?segment=age&segment2=age"), "Segments: Age</h2>")
		mustContain(t, en.page(base+"?segment=frequency&segment2=age"), "Exposure frequency cannot be crossed", "Segments: Exposure frequency</h2>")

		// An attribute the study lacks: the page, not a 500 or a 422.
		for _, c := range []struct{ lang, query, want string }{
			{"en", "?segment=income", `This study's respondents have no attribute "income", so the results are shown without segments.`},
			{"ru", "?segment=age&segment2=income", "У респондентов этого исследования нет атрибута «income», поэтому результаты показаны без сегментов."},
			{"en", "?weighting=stratify&by=income", `no attribute "income", so no post-stratification was done`},
		} {
			pc := map[string]*pageClient{"en": en, "ru": ru}[c.lang]
			res := pc.get(base + c.query)
			if res.Code != http.StatusOK {
				t.Fatalf("%s: %d, want the page with a notice", c.query, res.Code)
			}
			b := html.UnescapeString(res.Body.String())
			mustContain(t, b, c.want, "data-notice", map[string]string{"en": "Age", "ru": "Возраст"}[c.lang])
			mustLack(t, b, "data-stratified", `id="segments-h"`)
		}
		// The API still refuses it.
		app.do("GET", "/api/v1/studies/"+st.ID+"/results?segment=income", survey.RoleAnalyst, nil).status(http.StatusUnprocessableEntity)
	})
}

func TestDashResultsStratified(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, dashResultsSpec, 90)
		r := app.report(t, st.ID, "?weighting=stratify&by=age,gender")
		if r.Stratified == nil || len(r.Stratified.Metrics) != 4 {
			t.Fatalf("the API's stratified report: %+v", r.Stratified)
		}
		base := "/dashboard/studies/" + st.ID + "/results"
		for _, lang := range []string{"en", "ru"} {
			pc := app.signIn(survey.RoleAnalyst, lang)
			// The form's checkboxes send by twice.
			body := pc.page(base + "?weighting=stratify&by=age&by=gender")
			mustContain(t, body, "data-stratified", `<option value="stratify" selected>`, `id="rs-by-age" name="by" value="age" checked`,
				map[string]string{"en": "Post-stratified lift: Age × Gender", "ru": "Прирост с постстратификацией: Возраст × Пол"}[lang],
				map[string]string{"en": "Cochran–Mantel–Haenszel test", "ru": "Тест Кохрана — Мантеля — Хензеля"}[lang],
				"weighting=stratify", "by=age%2Cgender")
			for _, m := range r.Stratified.Metrics {
				if !m.Defined {
					continue
				}
				mustContain(t, body, frontend.PP(lang, m.AbsLift)+" ("+frontend.Pct(lang, 0.9, 0)+" "+frontend.T(lang, "ci_short")+" "+ppRange(lang, m.AbsLiftCI)+"); "+pIs(lang, "p", m.PValue))
				if m.CMHDefined {
					mustContain(t, body, "χ² = "+frontend.Num(lang, m.CMH, 2)+"; "+pIs(lang, "p", m.CMHPValue))
				}
			}
			// by without stratify is a form's leftover, not an error.
			mustLack(t, pc.page(base+"?weighting=none&by=age"), "data-stratified")
		}
	})
}

func TestDashResultsTrendChanges(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, specWith(t, dashResultsSpec, map[string]any{"timezone": "Europe/Moscow"}), 120)
		var tr results.Trend
		app.apiGet(t, "/api/v1/studies/"+st.ID+"/results/trend?interval=week", &tr)
		last := tr.Periods[len(tr.Periods)-1]
		if tr.Timezone != "Europe/Moscow" || len(last.Changes) == 0 {
			t.Fatalf("the API's trend: zone %s, %d changes in the last period", tr.Timezone, len(last.Changes))
		}
		for _, lang := range []string{"en", "ru"} {
			body := app.signIn(survey.RoleAnalyst, lang).page("/dashboard/studies/" + st.ID + "/results")
			mustContain(t, body, "data-changes", "Europe/Moscow",
				map[string]string{"en": "Change: ", "ru": "Изменение: "}[lang])
			table := regexp.MustCompile(`(?s)<table class="rows rs-changes".*?</table>`).FindString(body)
			if n := strings.Count(table, `<tr data-change>`); n != len(last.Changes) {
				t.Errorf("%s: %d change rows, the API has %d", lang, n, len(last.Changes))
			}
			c := last.Changes[0]
			if c.Defined {
				mustContain(t, table, changeDiff(lang, c.Measure, c.Diff)+" ("+frontend.T(lang, "ci_short")+" "+changeRange(lang, c)+")", pValue(lang, c.PValue))
			}
		}
	})
}

func TestDashStudiesLowSample(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		low := seedResultsStudy(t, app.store, specWith(t, dashResultsSpec, map[string]any{"name": "Low sample study"}), 20)
		none := seedStudyGroups(t, app.store, specWith(t, dashResultsSpec, map[string]any{"name": "No control yet"}), 5, 0)
		body := app.signIn(survey.RoleAnalyst, "ru").page("/dashboard")
		row := func(name string) string {
			m := regexp.MustCompile(`(?s)<tr>\s*<td class="first"><a href="/dashboard/studies/[^"]+">` + regexp.QuoteMeta(name) + `</a>.*?</tr>`).FindString(body)
			if m == "" {
				t.Fatalf("no row for %s", name)
			}
			return m
		}
		// 20 answers per group: the headline, with the caveat of the study's own minimum.
		mustContain(t, row(low.Name), "Запоминаемость рекламы", "data-low-sample", "меньше 50 ответов в группе")
		mustContain(t, row(none.Name), "пока нет")
		mustLack(t, row(none.Name), "data-low-sample")
		// A study whose minimum is 10 shows no caveat at 20.
		ten := seedResultsStudy(t, app.store, specWith(t, dashResultsSpec, map[string]any{"name": "Minimum ten", "min_per_group": 10}), 20)
		body = app.signIn(survey.RoleAnalyst, "ru").page("/dashboard")
		mustLack(t, row(ten.Name), "data-low-sample")
	})
}
