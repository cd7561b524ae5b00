package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/brandlift/brandlift/survey/surveytest"
)

// planStudyJSON has what a page can hold: consent, two languages, choices
// shuffled around fixed and exclusive ones, every question type, and texts
// that escaping changes (quotes, ampersands, angle brackets, plus signs).
const planStudyJSON = `{
 "name": "Plan <\"&'+>", "kind": "brand_lift", "brand": "A&B \"Co\" <b>+1</b>", "locales": ["ru", "en"],
 "assignment": "signed_link", "control_share": 0.5,
 "consent": {"ru": "Согласие <b>&amp;</b> \"условия\" + 'правила'", "en": "I agree to <terms> & \"rules\" + more"},
 "questions": [
  {"key": "recall", "type": "single_choice", "metric": "ad_recall", "randomize": true,
   "text": {"ru": "Видели <рекламу> «A&B»?", "en": "Seen the \"A&B\" ad?"},
   "options": [{"key": "yes", "text": {"ru": "Да & да", "en": "Yes & yes"}, "positive": true},
               {"key": "no", "text": {"ru": "Нет <нет>", "en": "No <no>"}},
               {"key": "maybe", "text": {"ru": "Может + быть", "en": "Maybe + so"}},
               {"key": "dk", "text": {"ru": "Не помню", "en": "Don't remember"}, "fixed": true}]},
  {"key": "brands", "type": "multi_choice", "metric": "awareness", "randomize": true,
   "text": {"ru": "Какие бренды вы знаете?", "en": "Which brands do you know?"},
   "options": [{"key": "ab", "text": {"ru": "A&B", "en": "A&B"}, "positive": true},
               {"key": "cd", "text": {"ru": "C'D", "en": "C'D"}}, {"key": "ef", "text": {"ru": "E\"F", "en": "E\"F"}},
               {"key": "gh", "text": {"ru": "G<H", "en": "G<H"}}, {"key": "ij", "text": {"ru": "I+J", "en": "I+J"}},
               {"key": "none", "text": {"ru": "Никакие", "en": "None"}, "exclusive": true}]},
  {"key": "nps", "type": "nps", "text": {"ru": "Порекомендуете?", "en": "Recommend?"}},
  {"key": "csat", "type": "rating", "scale": 7, "text": {"ru": "Оценка?", "en": "Rating?"}},
  {"key": "pick", "type": "single_choice", "required": false, "text": {"ru": "Ещё?", "en": "More?"},
   "options": [{"key": "a", "text": {"ru": "А", "en": "A"}}, {"key": "b", "text": {"ru": "Б", "en": "B"}}]},
  {"key": "why", "type": "text", "required": false, "text": {"ru": "Почему <так>?", "en": "Why & how?"}}
 ]}`

// TestSurveyPlanIsTheTemplate: a filled plan is the page the template
// renders, byte for byte, for hundreds of respondents (each with their
// own order of choices), in both languages, with and without language
// links, for a study with consent and texts that escaping changes and for
// the example study.
func TestSurveyPlanIsTheTemplate(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	for name, spec := range map[string]string{"hostile": planStudyJSON, "example": exampleStudyJSON(t)} {
		st := launchedFromJSON(t, s, spec)
		for _, lang := range st.Locales {
			for _, languages := range []bool{true, false} {
				plan, err := frontend.PlanSurvey(func(token string) frontend.SurveyPage {
					return surveyModel(st, lang, token, languages, func(q *survey.Question) []survey.Option { return q.Options })
				})
				if err != nil {
					t.Fatalf("%s %s: %v", name, lang, err)
				}
				orders := map[string]bool{}
				for i := range 300 {
					hash := fmt.Sprintf("respondent-%d", i)
					token := st.SignToken(&survey.Token{RID: hash, Group: survey.GroupExposed})
					started := st.StartStamp(hash, time.Now())
					nonce := newNonce()
					want := surveyModel(st, lang, token, languages, func(q *survey.Question) []survey.Option { return q.OptionOrder(hash) })
					want.Started, want.Nonce = started, nonce
					var wantBuf bytes.Buffer
					if err := frontend.Render(&wantBuf, "survey", &want); err != nil {
						t.Fatal(err)
					}
					v := frontend.SurveyValues{Token: token, Started: started, Nonce: nonce, Orders: make([][]string, len(st.Questions))}
					order := ""
					for qi := range st.Questions {
						for _, o := range st.Questions[qi].OptionOrder(hash) {
							v.Orders[qi] = append(v.Orders[qi], o.Key)
							order += o.Key + ","
						}
					}
					orders[order] = true
					var got bytes.Buffer
					if !plan.Fill(&got, v) {
						t.Fatalf("%s %s: Fill refused respondent %d", name, lang, i)
					}
					if !bytes.Equal(got.Bytes(), wantBuf.Bytes()) {
						t.Fatalf("%s %s languages=%v respondent %d: the plan differs from the template\n%s",
							name, lang, languages, i, firstDifference(got.Bytes(), wantBuf.Bytes()))
					}
					var zipped bytes.Buffer
					if !plan.FillGzip(&zipped, v) {
						t.Fatalf("%s %s: FillGzip refused respondent %d", name, lang, i)
					}
					if unzipped := gunzip(t, zipped.Bytes()); !bytes.Equal(unzipped, wantBuf.Bytes()) {
						t.Fatalf("%s %s languages=%v respondent %d: the gzipped plan differs from the template\n%s",
							name, lang, languages, i, firstDifference(unzipped, wantBuf.Bytes()))
					}
					if i == 0 && languages {
						t.Logf("%s %s: %d bytes, %d gzipped from the plan", name, lang, wantBuf.Len(), zipped.Len())
					}
				}
				if name == "hostile" && len(orders) < 50 {
					t.Errorf("%s: %d orders of choices among 300 respondents; the test needs shuffled pages", name, len(orders))
				}
			}
		}
	}
}

// TestSurveyPlanRefuses: values that escaping would change, and orders
// that are not a permutation of a question's choices, are refused, so
// that the caller renders the template.
func TestSurveyPlanRefuses(t *testing.T) {
	s := surveytest.New(t, store.SQLite)
	st := launchedFromJSON(t, s, planStudyJSON)
	plan, err := frontend.PlanSurvey(func(token string) frontend.SurveyPage {
		return surveyModel(st, "en", token, true, func(q *survey.Question) []survey.Option { return q.Options })
	})
	if err != nil {
		t.Fatal(err)
	}
	good := frontend.SurveyValues{Token: "abc.DEF-_1", Started: "s.1", Nonce: "n-1", Orders: make([][]string, len(st.Questions))}
	for i := range st.Questions {
		for _, o := range st.Questions[i].Options {
			good.Orders[i] = append(good.Orders[i], o.Key)
		}
	}
	var buf bytes.Buffer
	if !plan.Fill(&buf, good) || buf.Len() == 0 {
		t.Fatal("a plain token and the study's order were refused")
	}
	bad := map[string]func(v *frontend.SurveyValues){
		"token with +":          func(v *frontend.SurveyValues) { v.Token = "a+b" },
		"token with %":          func(v *frontend.SurveyValues) { v.Token = "a%20b" },
		"nonce with /":          func(v *frontend.SurveyValues) { v.Nonce = "a/b" },
		"started with a quote":  func(v *frontend.SurveyValues) { v.Started = `a"b` },
		"a choice twice":        func(v *frontend.SurveyValues) { v.Orders[0] = []string{"yes", "yes", "no", "dk"} },
		"an unknown choice":     func(v *frontend.SurveyValues) { v.Orders[0] = []string{"yes", "no", "maybe", "zz"} },
		"a choice missing":      func(v *frontend.SurveyValues) { v.Orders[0] = []string{"yes", "no", "maybe"} },
		"too few questions":     func(v *frontend.SurveyValues) { v.Orders = v.Orders[:2] },
		"choices for a scale q": func(v *frontend.SurveyValues) { v.Orders[2] = []string{"yes"} },
	}
	for name, change := range bad {
		v := good
		v.Orders = make([][]string, len(good.Orders))
		copy(v.Orders, good.Orders)
		change(&v)
		buf.Reset()
		if plan.Fill(&buf, v) || buf.Len() != 0 {
			t.Errorf("%s: Fill took it (wrote %d bytes)", name, buf.Len())
		}
		if plan.FillGzip(&buf, v) || buf.Len() != 0 {
			t.Errorf("%s: FillGzip took it (wrote %d bytes)", name, buf.Len())
		}
	}
}

// TestSurveyPageFromPlan: the page the server sends a first visit is the
// template's for that respondent (its own order of choices, nonce and
// start time), and the nonce in the page is the one the CSP header names.
func TestSurveyPageFromPlan(t *testing.T) {
	surveytest.ForEachDB(t, func(t *testing.T, s *store.Store) {
		var err error
		srv := New(Config{Store: s, Logger: testLogger(&syncBuffer{}), BaseURL: "http://brandlift.test", Version: "test"})
		st := launchedFromJSON(t, s, planStudyJSON)
		nonceRe := regexp.MustCompile(`nonce="([^"]+)"`)
		startedRe := regexp.MustCompile(`name="started" value="([^"]+)"`)
		// A phone (gzip and brotli), Go's client (gzip), curl (none).
		encodings := []struct{ accept, want string }{{"gzip, deflate, br", "gzip"}, {"gzip", "gzip"}, {"", ""}, {"br", "br"}}
		for i := range 20 {
			rid := fmt.Sprint("web-", i)
			token := st.SignToken(&survey.Token{RID: rid, Group: survey.GroupControl})
			req := httptest.NewRequest(http.MethodGet, "/s/"+st.PublicKey+"?t="+url.QueryEscape(token)+"&lang=en", nil)
			enc := encodings[i%len(encodings)]
			if enc.accept != "" {
				req.Header.Set("Accept-Encoding", enc.accept)
			}
			rec := httptest.NewRecorder()
			srv.Handler().ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body.String())
			}
			if got := rec.Header().Get("Content-Encoding"); got != enc.want {
				t.Fatalf("Accept-Encoding %q: Content-Encoding %q, want %q", enc.accept, got, enc.want)
			}
			body := rec.Body.Bytes()
			switch enc.want {
			case "gzip":
				body = gunzip(t, body)
			case "br":
				if body, err = io.ReadAll(brotli.NewReader(bytes.NewReader(body))); err != nil {
					t.Fatal(err)
				}
			}
			nonce, started := nonceRe.FindSubmatch(body), startedRe.FindSubmatch(body)
			if nonce == nil || started == nil {
				t.Fatalf("no nonce or start time in the page:\n%s", body)
			}
			if csp := rec.Header().Get("Content-Security-Policy"); !bytes.Contains([]byte(csp), []byte("'nonce-"+string(nonce[1])+"'")) {
				t.Fatalf("CSP %q does not name the page's nonce %s", csp, nonce[1])
			}
			who, err := s.Respondent(context.Background(), st, token)
			if err != nil {
				t.Fatal(err)
			}
			want := surveyModel(st, "en", token, true, func(q *survey.Question) []survey.Option { return q.OptionOrder(who.Hash) })
			want.Started, want.Nonce = string(started[1]), string(nonce[1])
			var wantBuf bytes.Buffer
			if err := frontend.Render(&wantBuf, "survey", &want); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(body, wantBuf.Bytes()) {
				t.Fatalf("respondent %d: the served page differs from the template\n%s", i, firstDifference(body, wantBuf.Bytes()))
			}
			if enc.want == "gzip" {
				// The bytes on the wire are the plan's own pieces, not a
				// template render compressed per request: the plan served.
				plan := srv.plans.plans[planKey{st.ID, "en", true}].plan
				v := frontend.SurveyValues{Token: token, Started: string(started[1]), Nonce: string(nonce[1]), Orders: make([][]string, len(st.Questions))}
				for qi := range st.Questions {
					for _, o := range st.Questions[qi].OptionOrder(who.Hash) {
						v.Orders[qi] = append(v.Orders[qi], o.Key)
					}
				}
				var planned bytes.Buffer
				if plan == nil || !plan.FillGzip(&planned, v) || !bytes.Equal(rec.Body.Bytes(), planned.Bytes()) {
					t.Fatalf("respondent %d: the gzipped page is not the study's plan", i)
				}
			}
		}
	})
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	r, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// launchedFromJSON creates the study spec describes and launches it.
func launchedFromJSON(t testing.TB, s *store.Store, spec string) *survey.Study {
	t.Helper()
	var in survey.StudyInput
	if err := json.Unmarshal([]byte(spec), &in); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	st, err := s.CreateStudy(ctx, &in)
	if err != nil {
		t.Fatal(err)
	}
	if st, err = s.Transition(ctx, st.ID, survey.Launch); err != nil {
		t.Fatal(err)
	}
	// The page is rendered from the study the survey's cache serves.
	if st, err = s.PublicStudy(ctx, st.PublicKey); err != nil {
		t.Fatal(err)
	}
	return st
}

func exampleStudyJSON(t *testing.T) string {
	b, err := json.Marshal(exampleStudy(t))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// firstDifference shows where two pages part.
func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d:\n got: %q\nwant: %q", i, got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}
