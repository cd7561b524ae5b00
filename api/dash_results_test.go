package api

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// dashResultsSpec is a brand-lift study like the demo's: lift metrics
// (one multi-choice), NPS, a rating, a text question, raking on age and
// gender, reach and spend, and KPI targets.
const dashResultsSpec = `{
 "name": "Весенняя кампания Acme", "brand": "Acme", "kind": "brand_lift",
 "locales": ["ru", "en"], "default_locale": "ru", "assignment": "signed_link", "control_share": 0.5,
 "target_per_group": 600, "confidence": 0.9, "reach": 1500000, "spend": 2500000, "currency": "RUB",
 "weighting": {"attributes": ["age", "gender"]},
 "targets": [{"question": "recall", "measure": "abs_lift", "target": 0.05, "deadline": "2030-06-30T00:00:00Z"}],
 "questions": [
  {"key": "recall", "type": "single_choice", "metric": "ad_recall",
   "text": {"ru": "Видели ли вы рекламу Acme?", "en": "Have you seen an Acme ad?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true}, {"key": "no", "text": {"ru": "Нет", "en": "No"}}]},
  {"key": "brands", "type": "multi_choice", "metric": "awareness",
   "text": {"ru": "Какие бренды вы знаете?", "en": "Which brands do you know?"},
   "options": [{"key": "acme", "text": {"ru": "Acme", "en": "Acme"}, "positive": true},
               {"key": "rival", "text": {"ru": "Rival", "en": "Rival"}},
               {"key": "none", "text": {"ru": "Ни один", "en": "None"}, "exclusive": true}]},
  {"key": "intent", "type": "single_choice", "metric": "purchase_intent",
   "text": {"ru": "Купите ли вы Acme?", "en": "Will you buy Acme?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true}, {"key": "no", "text": {"ru": "Нет", "en": "No"}}]},
  {"key": "nps", "type": "nps", "text": {"ru": "Порекомендуете ли вы Acme?", "en": "Would you recommend Acme?"}},
  {"key": "csat", "type": "rating", "scale": 5, "text": {"ru": "Оцените Acme", "en": "Rate Acme"}},
  {"key": "why", "type": "text", "required": false, "text": {"ru": "Что запомнилось?", "en": "What do you remember?"}}
 ]}`

// dashNPSSpec is an NPS tracker: one population.
const dashNPSSpec = `{
 "name": "NPS-трекер Acme", "brand": "Acme", "kind": "nps", "locales": ["ru", "en"],
 "targets": [{"question": "nps", "measure": "nps", "target": 30, "deadline": "2030-03-31T00:00:00Z"}],
 "questions": [
  {"key": "nps", "type": "nps", "text": {"ru": "Порекомендуете ли вы Acme?", "en": "Would you recommend Acme?"}},
  {"key": "csat", "type": "rating", "scale": 5, "text": {"ru": "Насколько вы довольны?", "en": "How satisfied are you?"}},
  {"key": "reason", "type": "text", "required": false, "text": {"ru": "Почему?", "en": "Why?"}}
 ]}`

// seedResultsStudy creates a live study from spec and submits perGroup
// responses per group through the store's real submit path (several at a
// time, as the demo does), over the last four weeks, with attributes age,
// gender and city, impressions for the exposed group, and a text answer
// every other response (one of them a <script>).
func seedResultsStudy(tb testing.TB, s *store.Store, spec string, perGroup int) *survey.Study {
	tb.Helper()
	return seedStudyGroups(tb, s, spec, perGroup, perGroup)
}

// seedStudyGroups is seedResultsStudy with nExposed and nControl responses
// (a skewed split, a group without answers); an nps study gets nExposed.
func seedStudyGroups(tb testing.TB, s *store.Store, spec string, nExposed, nControl int) *survey.Study {
	tb.Helper()
	ctx := context.Background()
	var in survey.StudyInput
	if err := json.Unmarshal([]byte(spec), &in); err != nil {
		tb.Fatal(err)
	}
	st, err := s.CreateStudy(ctx, &in)
	if err != nil {
		tb.Fatal(err)
	}
	if st, err = s.Transition(ctx, st.ID, survey.Launch); err != nil {
		tb.Fatal(err)
	}
	type person struct {
		rid     string
		group   survey.Group
		attrs   map[string]string
		answers map[string]any
		at      time.Time
	}
	rng := rand.New(rand.NewPCG(12, 6))
	now := time.Now().UTC()
	groups := []survey.Group{survey.GroupExposed, survey.GroupControl}
	if !st.HasGroups() {
		groups = []survey.Group{survey.GroupAll}
	}
	var people []person
	var imps []survey.Impression
	// The groups alternate while both have respondents left, as a 50/50
	// split does; the larger group's rest comes last.
	var order []survey.Group
	for e, c := nExposed, nControl; e > 0 || (c > 0 && st.HasGroups()); {
		if e > 0 {
			order, e = append(order, groups[0]), e-1
		}
		if c > 0 && st.HasGroups() {
			order, c = append(order, survey.GroupControl), c-1
		}
	}
	for i, g := range order {
		exposed := g == survey.GroupExposed
		yes := func(p float64) bool {
			if exposed {
				p += 0.12
			}
			return rng.Float64() < p
		}
		a := map[string]any{}
		nps := min(10, max(0, int(math.Round(6.8+rng.NormFloat64()*2.3))))
		a["nps"] = json.Number(fmt.Sprint(nps))
		a["csat"] = json.Number(fmt.Sprint(min(5, max(1, int(math.Round(3.6+rng.NormFloat64()))))))
		if st.HasGroups() {
			a["recall"] = map[bool]string{true: "yes", false: "no"}[yes(0.22)]
			a["intent"] = map[bool]string{true: "yes", false: "no"}[yes(0.18)]
			brands := []any{}
			if yes(0.45) {
				brands = append(brands, "acme")
			}
			if rng.Float64() < 0.35 {
				brands = append(brands, "rival")
			}
			if len(brands) == 0 {
				brands = []any{"none"}
			}
			a["brands"] = brands
		}
		text := "why"
		if !st.HasGroups() {
			text = "reason"
		}
		if (i/2)%2 == 0 { // half of each group
			a[text] = fmt.Sprintf("answer %d: memorable jingle", i)
		}
		if i == 4 {
			a[text] = `<script>alert("x")</script> loud & clear`
		}
		p := person{rid: fmt.Sprintf("r-%05d", i), group: g, answers: a,
			attrs: map[string]string{"age": []string{"18-34", "35-54", "55+"}[rng.IntN(3)], "gender": []string{"f", "m"}[rng.IntN(2)],
				"city": []string{"msk", "spb"}[rng.IntN(2)]},
			at: now.Add(-time.Duration(rng.Float64() * 27 * 24 * float64(time.Hour)))}
		if exposed {
			imps = append(imps, survey.Impression{RID: p.rid, Count: int64(1 + rng.IntN(6))})
		}
		people = append(people, p)
	}
	if len(imps) > 0 {
		if err := s.RecordImpressions(ctx, st, imps); err != nil {
			tb.Fatal(err)
		}
	}
	jobs := make(chan person)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				tok := survey.Token{RID: p.rid, Attrs: p.attrs}
				if st.HasGroups() {
					tok.Group = p.group
				}
				stamp := st.StartStamp(st.RespondentHash(p.rid), p.at.Add(-90*time.Second))
				if _, err := s.Submit(ctx, survey.SubmitRequest{Token: st.SignToken(&tok), Answers: p.answers, Started: stamp, At: p.at}); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("respondent %s: %w", p.rid, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	for _, p := range people {
		jobs <- p
	}
	close(jobs)
	wg.Wait()
	if firstErr != nil {
		tb.Fatal(firstErr)
	}
	return st
}

// apiLift reads a lift metric of the API's report.
func apiLift(t *testing.T, app *testApp, id, query, question string) (lift, lo, hi float64) {
	t.Helper()
	var r reportJSON
	app.do("GET", "/api/v1/studies/"+id+"/results"+query, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
	m := metric(r, question)
	if m == nil || m["type"] != "lift" {
		t.Fatalf("no lift metric %s in the API's report: %v", question, m)
	}
	ci := m["abs_lift_ci"].([]any)
	return m["abs_lift"].(float64), ci[0].(float64), ci[1].(float64)
}

// headlineText is the headline the page must show for a lift, written
// here from the API's numbers.
func headlineText(lang, label string, lift, lo, hi float64, conf string) string {
	if lang == "en" {
		return fmt.Sprintf("%s %s (%s CI %s to %s)", label, frontend.PP(lang, lift), conf, frontend.Signed(lang, 100*lo, 1), frontend.Signed(lang, 100*hi, 1))
	}
	return fmt.Sprintf("%s %s (%s ДИ от %s до %s)", label, frontend.PP(lang, lift), conf, frontend.Signed(lang, 100*lo, 1), frontend.Signed(lang, 100*hi, 1))
}

func mustContain(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the page lacks %q", w)
		}
	}
}

func TestDashResultsPage(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, dashResultsSpec, 70)
		analyst := app.signIn(survey.RoleAnalyst, "en")
		page := analyst.get("/dashboard/studies/" + st.ID + "/results")
		if page.Code != http.StatusOK {
			t.Fatalf("results page: %d %s", page.Code, page.Body.String())
		}
		body := html.UnescapeString(page.Body.String())

		// The headline has the API's numbers.
		lift, lo, hi := apiLift(t, app, st.ID, "", "recall")
		mustContain(t, body, headlineText("en", "Ad recall", lift, lo, hi, "90%"))
		// Every part of the page is there.
		mustContain(t, body, `id="lift-chart-title"`, "Metrics in detail", "Headroom lift", "q-value", "Fisher", "Sequential interval",
			"Lifted users (estimate)", "Cost per lifted user", "Promoters", "Detractors", "top-2-box", "Lift by exposure frequency",
			"Trend", "KPI targets", "Study health", "Speeders", "Minimum detectable lift", "Text answers", `<dfn>q-value</dfn>`,
			"/dashboard/studies/"+st.ID+"/report?confidence=0.9")
		// An analyst sees results but no edit or integration tabs.
		if strings.Contains(body, "/edit\"") || strings.Contains(body, "/integration\"") {
			t.Error("an analyst sees the edit or integration tab")
		}

		// Another confidence level changes the interval.
		p95 := html.UnescapeString(analyst.get("/dashboard/studies/" + st.ID + "/results?confidence=0.95").status(http.StatusOK).Body.String())
		lift95, lo95, hi95 := apiLift(t, app, st.ID, "?confidence=0.95", "recall")
		if lo95 >= lo || hi95 <= hi {
			t.Fatalf("the 95%% interval [%v, %v] is not wider than the 90%% one [%v, %v]", lo95, hi95, lo, hi)
		}
		mustContain(t, p95, headlineText("en", "Ad recall", lift95, lo95, hi95, "95%"))
		if strings.Contains(p95, headlineText("en", "Ad recall", lift, lo, hi, "90%")) {
			t.Error("the 95% page still shows the 90% interval")
		}

		// A segment shows its levels: at 70 per group each age band is below
		// the minimum of 50, so each is marked low sample; a lower minimum
		// lifts the marks.
		seg := html.UnescapeString(analyst.get("/dashboard/studies/" + st.ID + "/results?segment=age").status(http.StatusOK).Body.String())
		mustContain(t, seg, "Segments: Age", `<th scope="row">18-34 (low sample)</th>`, `<th scope="row">55+ (low sample)</th>`)
		seg = html.UnescapeString(analyst.get("/dashboard/studies/" + st.ID + "/results?segment=age&min_per_group=10").status(http.StatusOK).Body.String())
		mustContain(t, seg, "Segments: Age", "<th scope=\"row\">18-34</th>", "<th scope=\"row\">35-54</th>", "<th scope=\"row\">55+</th>")
		// Raking works on a study that names its attributes.
		rake := html.UnescapeString(analyst.get("/dashboard/studies/" + st.ID + "/results?weighting=rake").status(http.StatusOK).Body.String())
		mustContain(t, rake, "Largest weight", "control weighted to the exposed group's mix", `<option value="rake" selected>`, "weighting=rake")

		// A bad selector is the API's 400, naming it.
		for q, name := range map[string]string{"confidence=0.5": "confidence", "confidence=high": "confidence", "interval=year": "interval",
			"include_flagged=maybe": "include_flagged", "weighting=magic": "weighting", "segment=no%20such": "segment"} {
			res := analyst.get("/dashboard/studies/" + st.ID + "/results?" + q)
			if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), name) || !strings.Contains(res.Header().Get("Content-Type"), "text/html") {
				t.Errorf("%s: %d %s, want a 400 page naming %s", q, res.Code, res.Header().Get("Content-Type"), name)
			}
		}

		// The export links answer with their files, for the session.
		links := regexp.MustCompile(`href="(/api/v1/[^"]+)"`).FindAllStringSubmatch(page.Body.String(), -1)
		want := map[string]string{"format=csv&bom=1": "text/csv", "responses?format=csv": "text/csv", "responses?format=xlsx": "spreadsheetml",
			"format=jsonl": "application/x-ndjson", "format=parquet": "application/vnd.apache.parquet",
			"results?format=csv": "text/csv", "results?format=xlsx": "spreadsheetml"}
		if len(links) != len(want) {
			t.Errorf("%d export links, want %d: %v", len(links), len(want), links)
		}
		for _, l := range links {
			u := html.UnescapeString(l[1])
			res := analyst.get(u)
			ct := res.Header().Get("Content-Type")
			ok := false
			for part, wantCT := range want {
				if strings.Contains(u, part) && strings.Contains(ct, wantCT) {
					ok = true
				}
			}
			if res.Code != http.StatusOK || !ok || res.Body.Len() == 0 {
				t.Errorf("export %s: %d %q (%d bytes)", u, res.Code, ct, res.Body.Len())
			}
		}

		// The printable report: print layout, no navigation, no forms, both languages.
		for _, lang := range []string{"en", "ru"} {
			u := analyst
			if lang == "ru" {
				u = app.signIn(survey.RoleAnalyst, "ru")
			}
			res := u.get("/dashboard/studies/" + st.ID + "/report?confidence=0.95&segment=age")
			if res.Code != http.StatusOK {
				t.Fatalf("report %s: %d %s", lang, res.Code, res.Body.String())
			}
			rb := html.UnescapeString(res.Body.String())
			label := map[string]string{"en": "Ad recall", "ru": "Запоминаемость рекламы"}[lang]
			conf := map[string]string{"en": "95%", "ru": "95\u00a0%"}[lang]
			mustContain(t, rb, `<body class="print">`, headlineText(lang, label, lift95, lo95, hi95, conf), st.Name,
				map[string]string{"en": "Confidence level 95%.", "ru": "Уровень доверия 95\u00a0%."}[lang])
			for _, banned := range []string{"<nav", "<form", "<select", "<header class=\"top\""} {
				if strings.Contains(rb, banned) {
					t.Errorf("the %s report has %s", lang, banned)
				}
			}
		}
	})
}

func TestDashResultsNPSStudy(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, dashNPSSpec, 130)
		pc := app.signIn(survey.RoleAnalyst, "ru")
		body := html.UnescapeString(pc.get("/dashboard/studies/" + st.ID + "/results?interval=day").status(http.StatusOK).Body.String())
		var r reportJSON
		app.do("GET", "/api/v1/studies/"+st.ID+"/results", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
		all := metric(r, "nps")["all"].(map[string]any)
		mustContain(t, body, "Все респонденты", "NPS "+frontend.Signed("ru", all["nps"].(float64), 1), "NPS по периодам", `id="trend-title"`,
			"Промоутеры", "Нейтралы", "Критики")
		if strings.Contains(body, "Тестовая группа") {
			t.Error("an nps study shows groups")
		}
		// Raking needs margins on an nps study: the page says why not.
		res := pc.get("/dashboard/studies/" + st.ID + "/results?weighting=rake")
		if res.Code != http.StatusBadRequest || !strings.Contains(res.Body.String(), "weighting") {
			t.Errorf("rake on an nps study without margins: %d", res.Code)
		}
		seg := html.UnescapeString(pc.get("/dashboard/studies/" + st.ID + "/results?segment=city").status(http.StatusOK).Body.String())
		mustContain(t, seg, "Сегменты: Город", `<th scope="row">msk</th>`, `<th scope="row">spb</th>`)
	})
}

func TestDashResultsTextAnswers(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := seedResultsStudy(t, app.store, dashResultsSpec, 60) // 60 text answers
		pc := app.signIn(survey.RoleAnalyst, "en")
		results := pc.get("/dashboard/studies/" + st.ID + "/results").status(http.StatusOK).Body.String()
		if !strings.Contains(results, "/dashboard/studies/"+st.ID+"/text/why") {
			t.Error("the results page does not link the text answers")
		}
		first := pc.get("/dashboard/studies/" + st.ID + "/text/why").status(http.StatusOK).Body.String()
		if n := strings.Count(first, "data-answer"); n != textPageSize {
			t.Fatalf("first page has %d answers, want %d", n, textPageSize)
		}
		next := regexp.MustCompile(`href="([^"]+)" rel="next"`).FindStringSubmatch(first)
		if next == nil {
			t.Fatal("no next page link")
		}
		second := pc.get(html.UnescapeString(next[1])).status(http.StatusOK).Body.String()
		if n := strings.Count(second, "data-answer"); n != 10 {
			t.Errorf("second page has %d answers, want 10", n)
		}
		if strings.Contains(second, `rel="next"`) {
			t.Error("the last page links a next one")
		}
		// Escaped, on whichever page it is.
		all := first + second
		if strings.Contains(all, "<script>alert") || !strings.Contains(all, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; loud &amp; clear") {
			t.Error("the <script> answer is not escaped")
		}
		// Search: SQL LIKE with its wildcards escaped.
		found := pc.get("/dashboard/studies/" + st.ID + "/text/why?q=SCRIPT").status(http.StatusOK).Body.String()
		if n := strings.Count(found, "data-answer"); n != 1 {
			t.Errorf("search found %d answers, want 1", n)
		}
		if n := strings.Count(pc.get("/dashboard/studies/"+st.ID+"/text/why?q=%25").status(http.StatusOK).Body.String(), "data-answer"); n != 0 {
			t.Errorf("a %% search matched %d answers, want 0 (the wildcard must be escaped)", n)
		}
		pc.get("/dashboard/studies/" + st.ID + "/text/recall").status(http.StatusNotFound)
		// The API's text endpoint is unchanged.
		var tp TextPage
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/why?limit=50", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&tp)
		if len(tp.Answers) != 50 || tp.NextCursor == "" {
			t.Errorf("API text page: %d answers, cursor %q", len(tp.Answers), tp.NextCursor)
		}
	})
}
