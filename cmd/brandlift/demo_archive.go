package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// The demo's archive is six closed fmcg campaigns of earlier seasons, so
// that the norms (GET /api/v1/norms, the report's norms blocks) have a
// pool to show: with fewer than five closed studies there are none. Their
// true ad recall lifts over a 20% control are 2 to 8 points, consideration
// lifts 0 to 4 over 30%, seeded with exact counts like the design studies.
var demoArchiveLifts = []struct{ recall, consideration float64 }{
	{0.02, 0.00}, {0.03, 0.01}, {0.04, 0.01}, {0.05, 0.02}, {0.06, 0.03}, {0.08, 0.04},
}

// demoArchivePerGroup is the respondents per group of an archive study.
const demoArchivePerGroup = 400

// demoArchiveStudy is an archive study's spec; %d is its number.
const demoArchiveStudy = `{
 "name": "Архив Acme: кампания %d", "brand": "Acme", "kind": "brand_lift", "category": "fmcg",
 "locales": ["ru", "en"], "default_locale": "ru", "assignment": "signed_link", "control_share": 0.5,
 "timezone": "Europe/Moscow", "confidence": 0.9,
 "questions": [` + demoRecallQuestions + `]}`

// seedArchive creates, fills and closes the archive studies; it returns
// how many studies and responses it made.
func seedArchive(ctx context.Context, s *store.Store) (int, int, error) {
	rng := rand.New(rand.NewPCG(2026, 16))
	now := time.Now().UTC()
	total := 0
	for i, lift := range demoArchiveLifts {
		st, err := createLive(ctx, s, fmt.Sprintf(demoArchiveStudy, i+1))
		if err != nil {
			return 0, 0, err
		}
		var people []demoRespondent
		for _, g := range []survey.Group{survey.GroupControl, survey.GroupExposed} {
			rates := map[string]float64{"recall": 0.20, "consideration": 0.30}
			if g == survey.GroupExposed {
				rates["recall"] += lift.recall
				rates["consideration"] += lift.consideration
			}
			yes := map[string][]bool{}
			for q, p := range rates {
				yes[q] = exactYes(rng, demoArchivePerGroup, p)
			}
			for j := range demoArchivePerGroup {
				p := demoRespondent{rid: fmt.Sprintf("archive-%d-%s-%d", i+1, g, j), group: g, answers: map[string]any{},
					at:       now.AddDate(0, -2*(len(demoArchiveLifts)-i), 0).Add(time.Duration(rng.Float64() * 14 * 24 * float64(time.Hour))),
					duration: steadyDuration(rng), userAgent: mobileUA}
				for q := range rates {
					p.answers[q] = map[bool]string{true: "yes", false: "no"}[yes[q][j]]
				}
				people = append(people, p)
			}
		}
		if err := submitAll(ctx, s, st, people, false); err != nil {
			return 0, 0, err
		}
		if _, err := s.Transition(ctx, st.ID, survey.Close); err != nil {
			return 0, 0, fmt.Errorf("closing %s: %w", strings.TrimSpace(st.Name), err)
		}
		total += len(people)
	}
	return len(demoArchiveLifts), total, nil
}
