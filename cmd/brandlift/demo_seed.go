package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// The demo's brand-lift study has known true lifts (exposed minus control,
// in the whole exposed group): the report should find each inside its
// interval, and favorability, with none, not significant.
var demoTrueLifts = map[string]float64{
	"recall": 0.08, "brands/acme": 0.05, "brands/rival": 0, "consideration": 0.04,
	"favorability": 0, "intent": 0.03,
}

// demoBaseRates are the control group's rates.
var demoBaseRates = map[string]float64{
	"recall": 0.22, "brands/acme": 0.45, "brands/rival": 0.35, "brands/other": 0.25,
	"consideration": 0.30, "favorability": 0.38, "intent": 0.18,
}

const demoPerGroup = 5500

const demoBrandLift = `{
 "name": "Весенняя кампания Acme", "brand": "Acme", "kind": "brand_lift",
 "locales": ["ru", "en"], "default_locale": "ru", "assignment": "signed_link", "control_share": 0.5,
 "timezone": "Europe/Moscow", "target_per_group": 6000, "confidence": 0.9, "reach": 1500000, "spend": 2500000, "currency": "RUB",
 "consent": {"ru": "Я даю согласие на обработку моих персональных данных (ответов и обезличенного идентификатора) для исследования эффективности рекламы.",
             "en": "I consent to the processing of my personal data (answers and a pseudonymous identifier) for advertising research."},
 "weighting": {"attributes": ["age", "gender"]},
 "targets": [{"question": "recall", "measure": "abs_lift", "target": 0.05, "deadline": "2027-06-30T00:00:00Z"},
             {"question": "intent", "measure": "abs_lift", "target": 0.06, "deadline": "2027-06-30T00:00:00Z"}],
 "questions": [
  {"key": "recall", "type": "single_choice", "metric": "ad_recall", "randomize": true,
   "text": {"ru": "Видели ли вы рекламу Acme за последние две недели?", "en": "Have you seen an Acme ad in the last two weeks?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true},
               {"key": "no", "text": {"ru": "Нет", "en": "No"}},
               {"key": "dk", "text": {"ru": "Не помню", "en": "Don't remember"}, "fixed": true}]},
  {"key": "brands", "type": "multi_choice", "metric": "awareness", "randomize": true,
   "text": {"ru": "Какие из этих брендов вы знаете?", "en": "Which of these brands do you know?"},
   "options": [{"key": "acme", "text": {"ru": "Acme", "en": "Acme"}, "positive": true},
               {"key": "rival", "text": {"ru": "Rival", "en": "Rival"}},
               {"key": "other", "text": {"ru": "Globex", "en": "Globex"}},
               {"key": "none", "text": {"ru": "Ни один из этих", "en": "None of these"}, "exclusive": true}]},
  {"key": "consideration", "type": "single_choice", "metric": "consideration",
   "text": {"ru": "Рассмотрели бы вы Acme при следующей покупке?", "en": "Would you consider Acme for your next purchase?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true}, {"key": "no", "text": {"ru": "Нет", "en": "No"}}]},
  {"key": "favorability", "type": "single_choice", "metric": "favorability",
   "text": {"ru": "Как вы относитесь к Acme?", "en": "How do you feel about Acme?"},
   "options": [{"key": "good", "text": {"ru": "Хорошо", "en": "Favourably"}, "positive": true},
               {"key": "neutral", "text": {"ru": "Нейтрально", "en": "Neutral"}},
               {"key": "bad", "text": {"ru": "Плохо", "en": "Unfavourably"}}]},
  {"key": "intent", "type": "single_choice", "metric": "purchase_intent",
   "text": {"ru": "Планируете ли вы купить Acme в ближайший месяц?", "en": "Do you plan to buy Acme in the next month?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true}, {"key": "no", "text": {"ru": "Нет", "en": "No"}}]},
  {"key": "nps", "type": "nps", "text": {"ru": "Насколько вероятно, что вы порекомендуете Acme друзьям?", "en": "How likely are you to recommend Acme to a friend?"}},
  {"key": "csat", "type": "rating", "scale": 5, "text": {"ru": "Оцените свои впечатления от Acme", "en": "Rate your experience with Acme"}},
  {"key": "why", "type": "text", "required": false, "text": {"ru": "Что запомнилось в рекламе?", "en": "What do you remember from the ad?"}}
 ]}`

const demoNPS = `{
 "name": "NPS-трекер Acme", "brand": "Acme", "kind": "nps", "locales": ["ru", "en"], "timezone": "Europe/Moscow",
 "targets": [{"question": "nps", "measure": "nps", "target": 30, "deadline": "2027-03-31T00:00:00Z"}],
 "questions": [
  {"key": "nps", "type": "nps", "text": {"ru": "Насколько вероятно, что вы порекомендуете Acme друзьям?", "en": "How likely are you to recommend Acme to a friend?"}},
  {"key": "csat", "type": "rating", "scale": 5, "text": {"ru": "Насколько вы довольны Acme?", "en": "How satisfied are you with Acme?"}},
  {"key": "reason", "type": "text", "required": false, "text": {"ru": "Почему вы поставили такую оценку?", "en": "Why this score?"}}
 ]}`

type seededStudy struct {
	id, name, kind string
	responses      int
	// path is where to look instead of the study's results (the archive's
	// norms).
	path string
}

// seedDemo creates and fills the demo studies through the real storage
// path: the same Submit and impression recording that respondents and
// the pixel use.
func seedDemo(ctx context.Context, s *store.Store) ([]seededStudy, error) {
	bl, n, err := seedBrandLift(ctx, s)
	if err != nil {
		return nil, err
	}
	tracker, m, err := seedTracker(ctx, s)
	if err != nil {
		return nil, err
	}
	cells, c, err := seedCells(ctx, s)
	if err != nil {
		return nil, err
	}
	waves, w, err := seedWaves(ctx, s)
	if err != nil {
		return nil, err
	}
	archived, a, err := seedArchive(ctx, s)
	if err != nil {
		return nil, err
	}
	return []seededStudy{{bl.ID, bl.Name, string(bl.Kind), n, ""}, {tracker.ID, tracker.Name, string(tracker.Kind), m, ""},
		{cells.ID, cells.Name, "brand_lift, two cells", c, ""}, {waves.ID, waves.Name, "brand_lift, pre/post waves", w, ""},
		{"", fmt.Sprintf("Архив Acme: %d закрытых кампаний для нормативов", archived), "brand_lift, closed, category fmcg", a, "/api/v1/norms?category=fmcg"}}, nil
}

func createLive(ctx context.Context, s *store.Store, spec string) (*survey.Study, error) {
	var in survey.StudyInput
	if err := json.Unmarshal([]byte(spec), &in); err != nil {
		return nil, err
	}
	st, err := s.CreateStudy(ctx, &in)
	if err != nil {
		return nil, err
	}
	return s.Transition(ctx, st.ID, survey.Launch)
}

// pick draws a key from weighted choices.
func pick(rng *rand.Rand, choices []string, weights []float64) string {
	u := rng.Float64()
	for i, w := range weights {
		if u < w {
			return choices[i]
		}
		u -= w
	}
	return choices[len(choices)-1]
}

// demoRespondent is one simulated respondent, ready to submit.
type demoRespondent struct {
	rid       string
	group     survey.Group
	attrs     map[string]string
	answers   map[string]any
	at        time.Time
	duration  time.Duration
	userAgent string
	freq      int
	cell      string // two-cell study: an exposed respondent's cell
	wave      string // wave study
}

var (
	mobileUA  = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Mobile Safari/537.36"
	desktopUA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36"
	demoWhy   = []string{"Яркий ролик с котом", "Запомнилась музыка", "Слоган «Acme — это просто»", "Ничего особенного",
		"Видел на YouTube", "Красивые цвета", "Скидка 20%", "Не помню деталей"}
)

// frequencyWeights is P(F = f) for f = 1..12: a geometric distribution of
// impressions, truncated.
func frequencyWeights() []float64 {
	w := make([]float64, 12)
	total := 0.0
	for f := 1; f <= 12; f++ {
		w[f-1] = 0.35 * math.Pow(0.65, float64(f-1))
		total += w[f-1]
	}
	for i := range w {
		w[i] /= total
	}
	return w
}

// response builds the answers of a simulated respondent. Exposed
// respondents' chance of a positive answer rises with frequency as
// 1 - exp(-0.6 f), scaled so that the exposed group's average lift is
// exactly the true lift.
func response(rng *rand.Rand, g survey.Group, freq int, norm float64) map[string]any {
	lift := func(key string) float64 {
		p := demoBaseRates[key]
		if g == survey.GroupExposed {
			p += demoTrueLifts[key] * (1 - math.Exp(-0.6*float64(freq))) / norm
		}
		return p
	}
	yes := func(key string) bool { return rng.Float64() < lift(key) }
	a := map[string]any{}
	switch {
	case yes("recall"):
		a["recall"] = "yes"
	case rng.Float64() < 0.7:
		a["recall"] = "no"
	default:
		a["recall"] = "dk"
	}
	var brands []any
	for _, b := range []string{"acme", "rival", "other"} {
		if yes("brands/" + b) {
			brands = append(brands, b)
		}
	}
	if len(brands) == 0 {
		brands = []any{"none"}
	}
	a["brands"] = brands
	a["consideration"] = map[bool]string{true: "yes", false: "no"}[yes("consideration")]
	if yes("favorability") {
		a["favorability"] = "good"
	} else {
		a["favorability"] = pick(rng, []string{"neutral", "bad"}, []float64{0.75, 0.25})
	}
	a["intent"] = map[bool]string{true: "yes", false: "no"}[yes("intent")]
	shift := 0.0
	if g == survey.GroupExposed {
		shift = 0.4
	}
	a["nps"] = json.Number(fmt.Sprint(clampInt(int(math.Round(6.8+shift+rng.NormFloat64()*2.3)), 0, 10)))
	a["csat"] = json.Number(fmt.Sprint(clampInt(int(math.Round(3.6+shift/2+rng.NormFloat64()*1.0)), 1, 5)))
	if rng.Float64() < 0.15 {
		a["why"] = demoWhy[rng.IntN(len(demoWhy))]
	}
	return a
}

func clampInt(v, lo, hi int) int { return max(lo, min(hi, v)) }

func seedBrandLift(ctx context.Context, s *store.Store) (*survey.Study, int, error) {
	st, err := createLive(ctx, s, demoBrandLift)
	if err != nil {
		return nil, 0, err
	}
	rng := rand.New(rand.NewPCG(2026, 11))
	fw := frequencyWeights()
	norm := 0.0
	for f, w := range fw {
		norm += w * (1 - math.Exp(-0.6*float64(f+1)))
	}
	now := time.Now().UTC()
	var people []demoRespondent
	var impressions []survey.Impression
	for i := 0; i < 2*demoPerGroup; i++ {
		g := survey.GroupExposed
		if i%2 == 1 {
			g = survey.GroupControl
		}
		ageWeights := []float64{0.2, 0.3, 0.25, 0.15, 0.1}
		if g == survey.GroupControl { // the held-out panel skews older: raking corrects it
			ageWeights = []float64{0.14, 0.26, 0.26, 0.19, 0.15}
		}
		p := demoRespondent{
			rid: fmt.Sprintf("demo-%05d", i), group: g,
			attrs: map[string]string{
				"age":    pick(rng, []string{"18-24", "25-34", "35-44", "45-54", "55+"}, ageWeights),
				"gender": pick(rng, []string{"f", "m"}, []float64{0.52, 0.48}),
				"region": pick(rng, []string{"msk", "spb", "ekb", "nsk", "other"}, []float64{0.3, 0.15, 0.1, 0.1, 0.35}),
			},
			at:        now.Add(-time.Duration(rng.Float64() * 14 * 24 * float64(time.Hour))),
			duration:  time.Duration(60+rng.ExpFloat64()*90) * time.Second,
			userAgent: map[bool]string{true: mobileUA, false: desktopUA}[rng.Float64() < 0.7],
		}
		if rng.Float64() < 0.04 {
			p.duration = time.Duration(12+rng.IntN(15)) * time.Second // a speeder
		}
		if g == survey.GroupExposed {
			p.freq = 1
			for u := rng.Float64(); p.freq < 12 && u > fw[p.freq-1]; p.freq++ {
				u -= fw[p.freq-1]
			}
			impressions = append(impressions, survey.Impression{RID: p.rid, Count: int64(p.freq),
				Creative:  pick(rng, []string{"video-15s", "video-30s", "banner"}, []float64{0.5, 0.3, 0.2}),
				Placement: pick(rng, []string{"youtube", "yandex", "vk"}, []float64{0.4, 0.4, 0.2})})
		}
		p.answers = response(rng, g, p.freq, norm)
		people = append(people, p)
	}
	if err := s.RecordImpressions(ctx, st, impressions); err != nil {
		return nil, 0, err
	}
	return st, len(people), submitAll(ctx, s, st, people, true)
}

func seedTracker(ctx context.Context, s *store.Store) (*survey.Study, int, error) {
	st, err := createLive(ctx, s, demoNPS)
	if err != nil {
		return nil, 0, err
	}
	rng := rand.New(rand.NewPCG(2026, 12))
	now := time.Now().UTC()
	var people []demoRespondent
	const weeks = 26
	for w := 0; w < weeks; w++ {
		progress := float64(w) / (weeks - 1) // promoters grow, detractors shrink
		promoter, detractor := 0.33+0.15*progress, 0.30-0.12*progress
		for i := 0; i < 150; i++ {
			score := 7 + rng.IntN(2)
			switch u := rng.Float64(); {
			case u < promoter:
				score = 9 + rng.IntN(2)
			case u < promoter+detractor:
				score = rng.IntN(7)
			}
			a := map[string]any{"nps": json.Number(fmt.Sprint(score)),
				"csat": json.Number(fmt.Sprint(clampInt(score/2, 1, 5)))}
			if rng.Float64() < 0.2 {
				a["reason"] = []string{"Быстрая доставка", "Дорого", "Удобное приложение", "Долго отвечает поддержка", "Хорошее качество"}[rng.IntN(5)]
			}
			people = append(people, demoRespondent{
				rid: fmt.Sprintf("nps-%d-%d", w, i), group: survey.GroupAll, attrs: map[string]string{"channel": pick(rng, []string{"email", "app", "web"}, []float64{0.5, 0.3, 0.2})},
				answers: a, at: now.AddDate(0, 0, -7*(weeks-1-w)).Add(-time.Duration(rng.Float64() * 6 * 24 * float64(time.Hour))),
				duration: time.Duration(30+rng.ExpFloat64()*40) * time.Second, userAgent: mobileUA,
			})
		}
	}
	return st, len(people), submitAll(ctx, s, st, people, false)
}

// submitAll submits respondents from several goroutines, so that the
// store's group commit batches them as it would real traffic.
func submitAll(ctx context.Context, s *store.Store, st *survey.Study, people []demoRespondent, consent bool) error {
	jobs := make(chan demoRespondent)
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				tok := survey.Token{RID: p.rid, Attrs: p.attrs, Cell: p.cell, Wave: p.wave}
				if st.Kind == survey.KindBrandLift {
					tok.Group = p.group
				}
				signed := st.SignToken(&tok)
				stamp := st.StartStamp(st.RespondentHash(p.rid), p.at.Add(-p.duration))
				_, err := s.Submit(ctx, survey.SubmitRequest{Token: signed, Answers: p.answers, Started: stamp,
					Consent: consent, UserAgent: p.userAgent, At: p.at})
				if err != nil {
					select {
					case errs <- fmt.Errorf("respondent %s: %w", p.rid, err):
					default:
					}
				}
			}
		}()
	}
	for _, p := range people {
		select {
		case jobs <- p:
		case err := <-errs:
			close(jobs)
			wg.Wait()
			return err
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		return err
	default:
		return nil
	}
}
