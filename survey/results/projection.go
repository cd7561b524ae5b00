package results

import (
	"math"
	"time"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// Projection says when a live study reaches its sample at the rate it has
// filled since launch: the quota (target_per_group) when the study sets
// one, else the sample per group that the study's target lift needs
// (n_needed_per_group of the headline metric), and the lift detectable once
// there.
type Projection struct {
	// Basis is target_per_group or target_lift.
	Basis string `json:"basis"`
	// Target is the completes per group (per arm of a cells or waves
	// study: the progress entries) to reach.
	Target int64 `json:"target"`
	// Days is how long the study has fielded, from launch to the report.
	Days float64 `json:"days"`
	// Group is the progress entry furthest from Target at its own rate;
	// PerDay its completes per day since launch.
	Group  survey.Group `json:"group"`
	PerDay float64      `json:"per_day"`
	// Reached is true once every entry has Target completes.
	Reached bool `json:"reached"`
	// Date is the projected day every entry has Target completes; null
	// when reached or when an entry has no completes yet (see Reason).
	Date *time.Time `json:"date"`
	// MDEAtTarget is the absolute lift the two-sided test at the report's
	// confidence detects with 80% power with Target completes in each of
	// two groups, at the headline metric's control rate (null without one).
	MDEAtTarget *float64 `json:"mde_at_target"`
	Reason      string   `json:"reason,omitempty"`
}

// Projection bases.
const (
	BasisQuota      = "target_per_group"
	BasisTargetLift = "target_lift"
)

// headlineLift is the report's first lift metric, or nil.
func headlineLift(ms []any) *LiftMetric {
	for _, m := range ms {
		if l, ok := m.(*LiftMetric); ok {
			return l
		}
	}
	return nil
}

// fieldingStart is when the study began to fill: its launch, or the
// start of its first day with answers when that day is earlier (answers
// imported or backdated before launch). Nil before launch.
func fieldingStart(st *survey.Study, firstDay string) *time.Time {
	if st.LaunchedAt == nil {
		return nil
	}
	start := *st.LaunchedAt
	if d, err := time.ParseInLocation(time.DateOnly, firstDay, st.Location()); err == nil && d.Before(start) {
		if launchDay := start.In(st.Location()).Format(time.DateOnly); firstDay < launchDay {
			start = d
		}
	}
	return &start
}

// project computes a live study's Projection from its progress and
// headline metric, fielding since start; it returns nil for a study that
// is not live or has nothing to aim at. A wave series projects its main
// (fielding) wave only: the earlier waves are over.
func project(st *survey.Study, h Health, ms []any, start *time.Time, wave string, o Options) *Projection {
	if st.Status != survey.StatusLive || start == nil || len(h.Progress) == 0 {
		return nil
	}
	now, confidence := o.Now, o.Confidence
	if st.HasWaves() {
		// The main wave fills from its own start; without one its rate is
		// unknown.
		w := st.Wave(wave)
		if w == nil || w.StartsAt == nil {
			return nil
		}
		start = w.StartsAt
	}
	head := headlineLift(ms)
	p := &Projection{Basis: BasisQuota, Target: st.TargetPerGroup, Days: now.Sub(*start).Hours() / 24}
	if p.Target <= 0 {
		if head == nil || head.NeededPerGroup == nil {
			return nil
		}
		// n_needed_per_group is what the smaller group still needs.
		p.Basis, p.Target = BasisTargetLift, min(head.Exposed.N, head.Control.N)+*head.NeededPerGroup
	}
	if head != nil {
		if mde, ok := stats.MinDetectableLift(head.Control.Rate, p.Target, p.Target, 1-confidence, mdePower, stats.TwoSided); ok {
			p.MDEAtTarget = ptr(mde)
		}
	}
	if p.Days <= 0 {
		p.Reason = "the study was launched at the report's time: no fill rate yet"
		return p
	}
	slowest := -1.0 // days left of the furthest entry
	p.Reached = true
	considered := 0
	for _, g := range h.Progress {
		if w, _, _ := survey.SplitArm(g.Group); st.HasWaves() && w != wave {
			continue
		}
		considered++
		rate := float64(g.Complete) / p.Days
		if g.Complete >= p.Target {
			continue
		}
		p.Reached = false
		if g.Complete == 0 {
			p.Group, p.PerDay, slowest = g.Group, 0, math.Inf(1)
			p.Reason = "a group has no completes yet: no fill rate to project from"
			break
		}
		if left := float64(p.Target-g.Complete) / rate; left > slowest {
			p.Group, p.PerDay, slowest = g.Group, rate, left
		}
	}
	if considered == 0 {
		return nil
	}
	if !p.Reached && !math.IsInf(slowest, 1) {
		d := now.Add(time.Duration(slowest * 24 * float64(time.Hour))).UTC()
		p.Date = &d
	}
	if p.Reached {
		p.Group, p.PerDay = "", 0
	}
	return p
}
