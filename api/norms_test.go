package api

import (
	"encoding/json"
	"html"
	"math"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// normStudy launches a study of category cat, answers 20 control
// respondents (4 recall the ad: 20%) and 20 exposed (exposedYes recall),
// and closes it unless open.
func normStudy(t *testing.T, app *testApp, cat string, exclude bool, exposedYes int, open bool) survey.Study {
	t.Helper()
	st := app.launched(func(b map[string]any) {
		if cat != "" {
			b["category"] = cat
		}
		b["exclude_from_norms"] = exclude
	})
	answerArm(t, app, st, "c", map[string]any{"group": "control"}, 20, 4)
	answerArm(t, app, st, "e", map[string]any{"group": "exposed"}, 20, exposedYes)
	if !open {
		app.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
	}
	return st
}

// spaces makes the no-break and thin spaces of formatted numbers plain.
var spaces = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\u2009", " ")

func closeTo(a, b float64) bool { return math.Abs(a-b) < 1e-12 }

func quartilesNear(q, want quartiles) bool {
	return closeTo(q.Q1, want.Q1) && closeTo(q.Median, want.Median) && closeTo(q.Q3, want.Q3)
}

type normsReply struct {
	Category   string
	Studies    int
	MinStudies int `json:"min_studies"`
	Metrics    []struct {
		Metric  string
		Unit    string
		Studies int
		Enough  bool
		AbsLift *struct {
			Studies        int
			Q1, Median, Q3 float64
		} `json:"abs_lift"`
		RelLift *struct {
			Studies        int
			Q1, Median, Q3 float64
		} `json:"rel_lift"`
		Reasons map[string]string
	}
}

type normBlock struct {
	Pool       string
	Category   string
	Studies    int
	AbsLift    quartiles `json:"abs_lift"`
	Percentile float64
	Notes      string
}

// reportNorms reads the norms block of a report's recall metric.
func reportNorms(t *testing.T, app *testApp, id, query string) *normBlock {
	t.Helper()
	var r struct {
		Metrics []struct {
			Question string
			Norms    *normBlock
		}
		Methods map[string]string
	}
	app.do("GET", "/api/v1/studies/"+id+"/results"+query, survey.RoleAnalyst, nil).status(http.StatusOK).decode(&r)
	for _, m := range r.Metrics {
		if m.Question == "recall" {
			if m.Norms != nil && r.Methods["norms"] == "" {
				t.Error("a report with norms does not name their method")
			}
			return m.Norms
		}
	}
	t.Fatalf("no recall metric in %+v", r.Metrics)
	return nil
}

// quartiles are a reference file's quartiles.
type quartiles = struct{ Q1, Median, Q3 float64 }

// normsFixture is the expected norms of TestNorms's studies in
// stats/testdata/refs_norms.json: numpy.quantile's quartiles (linear,
// Hyndman-Fan 7) and scipy.stats.percentileofscore(kind="mean"), from
// gen_norms.py.
type normsFixture struct {
	All, Fmcg struct {
		Studies int
		AbsLift quartiles `json:"abs_lift"`
		RelLift quartiles `json:"rel_lift"`
	}
	FmcgAfterErasure struct {
		AbsLift quartiles `json:"abs_lift"`
	} `json:"fmcg_after_erasure"`
}

func loadNormsFixture(t *testing.T) (f normsFixture, live, fmcg2 normBlock) {
	t.Helper()
	raw, err := os.ReadFile("../stats/testdata/refs_norms.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Fixture struct {
			Expect json.RawMessage
		}
	}
	var pos struct {
		Live  normBlock `json:"live_position"`
		Fmcg2 normBlock `json:"fmcg2_position"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(file.Fixture.Expect, &f); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(file.Fixture.Expect, &pos); err != nil {
		t.Fatal(err)
	}
	if f.All.Studies != 6 || f.Fmcg.Studies != 5 || pos.Live.Studies != 5 {
		t.Fatalf("refs_norms.json's fixture is not TestNorms's: %+v", f)
	}
	return f, pos.Live, pos.Fmcg2
}

// TestNorms: five closed fmcg studies with recall lifts of 5, 10, 20, 25
// and 40 points over a 20% control, one closed auto study at 30, one
// excluded fmcg study at 70 and one open fmcg study at 15, against the
// norms numpy and scipy give for them (gen_norms.py).
func TestNorms(t *testing.T) {
	want, wantLive, wantFmcg2 := loadNormsFixture(t)
	forEachDB(t, func(t *testing.T, app *testApp) {
		var fmcg []survey.Study
		for _, yes := range []int{5, 6, 8, 9, 12} {
			fmcg = append(fmcg, normStudy(t, app, "fmcg", false, yes, false))
		}
		normStudy(t, app, "auto", false, 10, false)
		normStudy(t, app, "fmcg", true, 18, false)
		live := normStudy(t, app, "fmcg", false, 7, true)

		var all normsReply
		app.do("GET", "/api/v1/norms", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&all)
		if all.Studies != 6 || all.MinStudies != 5 || len(all.Metrics) != len(results.NormMetrics) {
			t.Fatalf("norms of all: %+v", all)
		}
		recall := all.Metrics[0]
		if recall.Metric != "ad_recall" || recall.Unit != "fraction" || recall.Studies != 6 || !recall.Enough || recall.AbsLift == nil ||
			!quartilesNear(quartiles{recall.AbsLift.Q1, recall.AbsLift.Median, recall.AbsLift.Q3}, want.All.AbsLift) {
			t.Errorf("ad recall over all: %+v %+v", recall, recall.AbsLift)
		}
		for _, m := range all.Metrics {
			switch m.Metric {
			case "nps":
				// Both groups answer the same NPS scores: every lift is 0.
				if m.Unit != "nps_points" || m.Studies != 6 || m.AbsLift == nil || m.AbsLift.Median != 0 || m.RelLift != nil || m.Reasons["rel_lift"] == "" {
					t.Errorf("nps norm: %+v", m)
				}
			case "awareness":
				if m.Studies != 0 || m.Enough || m.AbsLift != nil || !strings.Contains(m.Reasons["abs_lift"], "0 closed studies") {
					t.Errorf("a metric no study measures: %+v", m)
				}
			}
		}

		var cat normsReply
		app.do("GET", "/api/v1/norms?metric=ad_recall&category=fmcg", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&cat)
		if cat.Category != "fmcg" || cat.Studies != 5 || len(cat.Metrics) != 1 {
			t.Fatalf("fmcg norms: %+v", cat)
		}
		m := cat.Metrics[0]
		if m.AbsLift == nil || m.RelLift == nil || m.RelLift.Studies != 5 ||
			!quartilesNear(quartiles{m.AbsLift.Q1, m.AbsLift.Median, m.AbsLift.Q3}, want.Fmcg.AbsLift) ||
			!quartilesNear(quartiles{m.RelLift.Q1, m.RelLift.Median, m.RelLift.Q3}, want.Fmcg.RelLift) {
			t.Errorf("fmcg recall: %+v %+v", m.AbsLift, m.RelLift)
		}

		// The open fmcg study (lift .15) among the five closed fmcg ones:
		// two below, so percentile 40.
		n := reportNorms(t, app, live.ID, "")
		if n == nil || n.Pool != "category" || n.Category != "fmcg" || n.Studies != wantLive.Studies || !closeTo(n.Percentile, wantLive.Percentile) ||
			!quartilesNear(n.AbsLift, wantLive.AbsLift) {
			t.Errorf("open study's norms: %+v", n)
		}
		// A closed fmcg study (lift .20) is left out of its own pool: four
		// other fmcg studies are too few, so all five others serve:
		// [.05 .10 .25 .30 .40], two below.
		n = reportNorms(t, app, fmcg[2].ID, "")
		if n == nil || n.Pool != "all" || n.Studies != wantFmcg2.Studies || !closeTo(n.Percentile, wantFmcg2.Percentile) ||
			!quartilesNear(n.AbsLift, wantFmcg2.AbsLift) ||
			!strings.Contains(n.Notes, "fmcg") {
			t.Errorf("closed study's norms: %+v", n)
		}
		// The results page words the same block, in both languages.
		for lang, want := range map[string]string{
			"ru": "Среди 5 закрытых исследований (категория fmcg): медиана прироста +20,0 п. п., у половины исследований — от +10,0 до +25,0; процентиль этого исследования — 40.",
			"en": "Among 5 closed studies (category fmcg): median lift +20.0 p.p., the middle half from +10.0 to +25.0; this study is at percentile 40.",
		} {
			page := app.signIn(survey.RoleAnalyst, lang).get("/dashboard/studies/" + live.ID + "/results")
			if body := spaces.Replace(html.UnescapeString(page.Body.String())); page.Code != http.StatusOK || !strings.Contains(body, want) {
				t.Errorf("%s results page: %d, no %q in %s", lang, page.Code, want, regexp.MustCompile(`(?s)data-norms>.{0,300}`).FindString(body))
			}
		}
		// Flagged responses change what a lift means: no norms then.
		if n := reportNorms(t, app, live.ID, "?include_flagged=true"); n != nil {
			t.Errorf("norms beside a report with flagged responses: %+v", n)
		}

		// Erasing a respondent changes a closed study's lift, and the norms
		// follow: the 10-point study loses an exposed respondent who
		// recalled, so its lift is 5/19 - 4/20 and the lower quartile.
		app.do("DELETE", "/api/v1/studies/"+fmcg[1].ID+"/respondents/e-0", survey.RoleAdmin, nil).status(http.StatusOK)
		app.do("GET", "/api/v1/norms?metric=ad_recall&category=fmcg", survey.RoleAnalyst, nil).status(http.StatusOK).decode(&cat)
		if got := cat.Metrics[0].AbsLift; !quartilesNear(quartiles{got.Q1, got.Median, got.Q3}, want.FmcgAfterErasure.AbsLift) {
			t.Errorf("fmcg after the erasure %+v, want %+v", got, want.FmcgAfterErasure.AbsLift)
		}

		for _, q := range []string{"metric=brand_love", "category=FMCG"} {
			p := app.do("GET", "/api/v1/norms?"+q, survey.RoleAnalyst, nil).status(http.StatusBadRequest).problem()
			if f := p.fields(); len(f) != 1 || !strings.HasPrefix(q, f[0]+"=") {
				t.Errorf("%s: fields %v", q, p.fields())
			}
		}
	})
}
