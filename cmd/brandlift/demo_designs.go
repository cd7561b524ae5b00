package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
)

// The demo's two-cell study compares two videos against one control
// group. True recall: control 22%, the 15-second video +3 points, the
// 30-second video +9 points; consideration 30%, +1 and +4. The report
// should find the 30-second video better than the 15-second one.
//
// The design studies are seeded with exact counts (each arm's share of
// yes is its true rate, given to randomly chosen respondents), so their
// reports show the truths themselves and a reader can check every number
// by hand; the main demo study draws its answers at random instead.
var demoCellTruth = map[string]map[string]float64{
	"control":   {"recall": 0.22, "consideration": 0.30},
	"video_15s": {"recall": 0.25, "consideration": 0.31},
	"video_30s": {"recall": 0.31, "consideration": 0.34},
}

// demoCellsPerArm is the respondents per arm of the two-cell study.
const demoCellsPerArm = 1500

// demoRecallQuestions are the ad recall and consideration questions of
// the two-cell study and the archive studies.
const demoRecallQuestions = `
  {"key": "recall", "type": "single_choice", "metric": "ad_recall",
   "text": {"ru": "Видели ли вы рекламу Acme за последние две недели?", "en": "Have you seen an Acme ad in the last two weeks?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true}, {"key": "no", "text": {"ru": "Нет", "en": "No"}}]},
  {"key": "consideration", "type": "single_choice", "metric": "consideration",
   "text": {"ru": "Рассмотрели бы вы Acme при следующей покупке?", "en": "Would you consider Acme for your next purchase?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true}, {"key": "no", "text": {"ru": "Нет", "en": "No"}}]}
`

const demoCells = `{
 "name": "Acme: два ролика", "brand": "Acme", "kind": "brand_lift", "category": "fmcg",
 "locales": ["ru", "en"], "default_locale": "ru", "assignment": "signed_link", "control_share": 0.3333333333333333,
 "timezone": "Europe/Moscow", "target_per_group": 1500, "confidence": 0.9, "reach": 900000, "spend": 1200000, "currency": "RUB",
 "cells": [{"key": "video_15s", "name": {"ru": "Ролик 15 секунд", "en": "15-second video"}},
           {"key": "video_30s", "name": {"ru": "Ролик 30 секунд", "en": "30-second video"}}],
 "questions": [` + demoRecallQuestions + `]}`

// The demo's wave study asks before the campaign (pre) and after it
// (post). True awareness: in the pre wave control 40% and exposed 41%
// (the regions the campaign targets start a point higher); by the post
// wave every region gained 2 points (season) and the exposed 7 more, the
// campaign's effect: post control 42%, exposed 50%. The
// difference-in-differences is (50 - 42) - (41 - 40) = 7 points, the
// whole-wave change (46 - 40.5) 5.5 points.
var demoWaveTruth = map[string]map[survey.Group]float64{
	"pre":  {survey.GroupControl: 0.40, survey.GroupExposed: 0.41},
	"post": {survey.GroupControl: 0.42, survey.GroupExposed: 0.50},
}

// demoWavePerGroup is the respondents per group and wave.
const demoWavePerGroup = 1200

const demoWaves = `{
 "name": "Acme: нулевой опрос и после кампании", "brand": "Acme", "kind": "brand_lift", "category": "fmcg",
 "locales": ["ru", "en"], "default_locale": "ru", "assignment": "signed_link", "control_share": 0.5,
 "timezone": "Europe/Moscow", "confidence": 0.9,
 "waves": [{"key": "pre", "name": {"ru": "Нулевой опрос (до кампании)", "en": "Pre-campaign wave"}},
           {"key": "post", "name": {"ru": "После кампании", "en": "Post-campaign wave"}}],
 "questions": [
  {"key": "awareness", "type": "single_choice", "metric": "awareness",
   "text": {"ru": "Знаете ли вы бренд Acme?", "en": "Do you know the Acme brand?"},
   "options": [{"key": "yes", "text": {"ru": "Да", "en": "Yes"}, "positive": true}, {"key": "no", "text": {"ru": "Нет", "en": "No"}}]}
 ]}`

// seedCells fills the two-cell study through the real submission path.
func seedCells(ctx context.Context, s *store.Store) (*survey.Study, int, error) {
	st, err := createLive(ctx, s, demoCells)
	if err != nil {
		return nil, 0, err
	}
	rng := rand.New(rand.NewPCG(2026, 14))
	now := time.Now().UTC()
	var people []demoRespondent
	for _, arm := range []string{"control", "video_15s", "video_30s"} {
		yes := map[string][]bool{}
		for _, q := range []string{"recall", "consideration"} {
			yes[q] = exactYes(rng, demoCellsPerArm, demoCellTruth[arm][q])
		}
		for i := range demoCellsPerArm {
			p := demoRespondent{rid: fmt.Sprintf("cell-%s-%d", arm, i), group: survey.GroupExposed, cell: arm,
				at:       now.Add(-time.Duration(rng.Float64() * 10 * 24 * float64(time.Hour))),
				duration: steadyDuration(rng), userAgent: mobileUA}
			if arm == "control" {
				p.group, p.cell = survey.GroupControl, ""
			}
			p.answers = map[string]any{}
			for _, q := range []string{"recall", "consideration"} {
				p.answers[q] = map[bool]string{true: "yes", false: "no"}[yes[q][i]]
			}
			people = append(people, p)
		}
	}
	return st, len(people), submitAll(ctx, s, st, people, false)
}

// seedWaves fills the pre wave five to four weeks ago and the post wave
// over the last two weeks.
func seedWaves(ctx context.Context, s *store.Store) (*survey.Study, int, error) {
	st, err := createLive(ctx, s, demoWaves)
	if err != nil {
		return nil, 0, err
	}
	rng := rand.New(rand.NewPCG(2026, 15))
	now := time.Now().UTC()
	var people []demoRespondent
	for _, wave := range []string{"pre", "post"} {
		start, span := now.AddDate(0, 0, -35), 7*24*time.Hour
		if wave == "post" {
			start, span = now.AddDate(0, 0, -14), 14*24*time.Hour
		}
		for _, g := range []survey.Group{survey.GroupControl, survey.GroupExposed} {
			aware := exactYes(rng, demoWavePerGroup, demoWaveTruth[wave][g])
			for i := range demoWavePerGroup {
				yes := aware[i]
				people = append(people, demoRespondent{rid: fmt.Sprintf("wave-%s-%s-%d", wave, g, i), group: g, wave: wave,
					answers:  map[string]any{"awareness": map[bool]string{true: "yes", false: "no"}[yes]},
					at:       start.Add(time.Duration(rng.Float64() * float64(span))),
					duration: steadyDuration(rng), userAgent: mobileUA})
			}
		}
	}
	return st, len(people), submitAll(ctx, s, st, people, false)
}

// steadyDuration is a completion time between 40 and 70 seconds. The
// design and archive studies are seeded with exact counts, so none of
// their respondents may be flagged as a speeder: half the running median
// is at most 35 s whatever order the concurrent submissions arrive in.
// (Long-tailed times made the first 30 completes' median, and so who was
// flagged, depend on that order.)
func steadyDuration(rng *rand.Rand) time.Duration {
	return time.Duration((40 + 30*rng.Float64()) * float64(time.Second))
}

// exactYes marks round(p n) of n respondents, chosen at random, as
// answering yes.
func exactYes(rng *rand.Rand, n int, p float64) []bool {
	out := make([]bool, n)
	for _, i := range rng.Perm(n)[:int(math.Round(p*float64(n)))] {
		out[i] = true
	}
	return out
}
