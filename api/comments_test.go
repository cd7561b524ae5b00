package api

import (
	"encoding/csv"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// TestCommentsFilters reads a study's comments as an NPS program's
// manager would: detractors only, one plan, a period, a text search, and
// the same as a CSV file; bad filters are refused naming the parameter.
func TestCommentsFilters(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		type who struct {
			rid, plan, why string
			score          int
		}
		people := []who{{"a", "pro", "всё отлично", 10}, {"b", "pro", "медленная поддержка", 3}, {"c", "free", "дорого", 5},
			{"d", "free", "нормально", 8}, {"e", "pro", "=HYPERLINK(\"http://x\")", 0}}
		for _, p := range people {
			l := app.links(st, map[string]any{"rid": p.rid, "group": "exposed", "attrs": map[string]string{"plan": p.plan}})
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l[0].Token,
				"answers": map[string]any{"recall": "yes", "nps": p.score, "csat": 3, "why": p.why}}).status(http.StatusCreated)
		}
		get := func(query string) []results.TextAnswer {
			t.Helper()
			var page TextPage
			app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/why?"+query, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&page)
			return page.Answers
		}
		texts := func(as []results.TextAnswer) []string {
			var out []string
			for _, a := range as {
				out = append(out, a.Text)
			}
			slices.Sort(out)
			return out
		}
		all := get("")
		if len(all) != 5 || all[0].NPS == nil || all[0].Attrs["plan"] == "" {
			t.Fatalf("all comments: %+v", all)
		}
		det := get("nps=detractor")
		if got := texts(det); strings.Join(got, "|") != `=HYPERLINK("http://x")|дорого|медленная поддержка` {
			t.Errorf("detractors: %q", got)
		}
		for _, a := range det {
			if a.Category != "detractor" || *a.NPS > 6 {
				t.Errorf("a detractor's comment %+v", a)
			}
		}
		if got := texts(get("nps=detractor&attr.plan=pro")); len(got) != 2 {
			t.Errorf("pro detractors: %q", got)
		}
		if got := texts(get("nps=promoter&q=ОТЛИЧНО")); len(got) != 1 || got[0] != "всё отлично" {
			t.Errorf("a promoter's search: %q", got)
		}
		if got := texts(get("nps=passive")); len(got) != 1 || got[0] != "нормально" {
			t.Errorf("passives: %q", got)
		}
		today := time.Now().In(st.Location()).Format(time.DateOnly)
		tomorrow := time.Now().In(st.Location()).AddDate(0, 0, 1).Format(time.DateOnly)
		if n := len(get("from=" + today + "&to=" + today)); n != 5 {
			t.Errorf("today's comments: %d", n)
		}
		if n := len(get("from=" + tomorrow)); n != 0 {
			t.Errorf("tomorrow's comments: %d", n)
		}

		for query, field := range map[string]string{"nps=angry": "nps", "from=yesterday": "from", "to=" + today + "&from=" + tomorrow: "to"} {
			var p Problem
			app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/why?"+query, survey.RoleAnalyst, nil).status(http.StatusBadRequest).decode(&p)
			if len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%s: %+v", query, p)
			}
		}
		var p Problem
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/why?attr.country=ru", survey.RoleAnalyst, nil).status(http.StatusUnprocessableEntity).decode(&p)
		if len(p.Errors) == 0 || p.Errors[0].Field != "attr.country" || !strings.Contains(p.Errors[0].Message, "plan") {
			t.Errorf("an unknown attribute: %+v", p)
		}

		res := app.do("GET", "/api/v1/studies/"+st.ID+"/results/text/why?format=csv&nps=detractor", survey.RoleAnalyst, nil).status(http.StatusOK)
		rows, err := csv.NewReader(strings.NewReader(res.Body.String())).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(rows[0], ",") != "response_id,completed_at,group,cell,wave,nps,nps_category,attr_plan,why" || len(rows) != 4 {
			t.Fatalf("CSV: %q", rows)
		}
		for _, r := range rows[1:] {
			if r[6] != "detractor" || r[2] != "exposed" {
				t.Errorf("CSV row %q", r)
			}
			if strings.HasPrefix(r[8], "=") {
				t.Errorf("a formula is not neutralised: %q", r[8])
			}
		}

		pc := app.signIn(survey.RoleAnalyst, "ru")
		page := pc.page("/dashboard/studies/" + st.ID + "/text/why?nps=detractor&attr.plan=pro")
		if strings.Count(page, "data-answer") != 2 || strings.Count(page, `data-category="detractor"`) != 2 ||
			!strings.Contains(page, `name="attr.plan" value="pro"`) || !strings.Contains(page, "<option value=\"detractor\" selected>") {
			t.Errorf("the comments page does not keep the filters or shows other answers")
		}
		i := strings.Index(page, `data-export`)
		j := strings.LastIndex(page[:i], `href="`)
		export := html.UnescapeString(page[j+6 : j+strings.Index(page[j+6:], `"`)+6])
		u, _ := url.Parse(export)
		if u.Query().Get("format") != "csv" || u.Query().Get("nps") != "detractor" || u.Query().Get("attr.plan") != "pro" {
			t.Errorf("the export link %q does not carry the filters", export)
		}
		if res := pc.get(u.RequestURI()); res.Code != http.StatusOK || strings.Count(res.Body.String(), "\r\n") != 3 {
			t.Errorf("the page's export: %d %q", res.Code, res.Body.String())
		}
	})
}

// TestTrendRollingAPI: the trend's rolling window through the API (the
// rolling 28-day NPS), and a window out of range named.
func TestTrendRollingAPI(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		for i, l := range app.links(st, map[string]any{"rid": "x", "group": "exposed"}, map[string]any{"rid": "y", "group": "control"}) {
			app.do("POST", "/api/v1/public/responses", "", map[string]any{"token": l.Token,
				"answers": map[string]any{"recall": "yes", "nps": 4 + 6*i, "csat": 3}}).status(http.StatusCreated)
		}
		var tr struct {
			RollingDays int `json:"rolling_days"`
			Periods     []struct {
				Metrics, Rolling []map[string]any
			}
		}
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/trend?interval=day&rolling=28", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&tr)
		if tr.RollingDays != 28 || len(tr.Periods) != 1 || len(tr.Periods[0].Rolling) != len(tr.Periods[0].Metrics) {
			t.Fatalf("trend %+v", tr)
		}
		for i, m := range tr.Periods[0].Metrics { // one day: the window is that day
			if m["question"] != tr.Periods[0].Rolling[i]["question"] || m["diff"] != tr.Periods[0].Rolling[i]["diff"] {
				t.Errorf("metric %d: day %v, rolling %v", i, m, tr.Periods[0].Rolling[i])
			}
		}
		var p Problem
		app.do("GET", "/api/v1/studies/"+st.ID+"/results/trend?rolling=3", survey.RoleAnalyst, nil).status(http.StatusBadRequest).decode(&p)
		if len(p.Errors) == 0 || p.Errors[0].Field != "rolling" {
			t.Errorf("rolling=3: %+v", p)
		}
	})
}
