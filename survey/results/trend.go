package results

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
)

// Trend intervals.
var TrendIntervals = []string{"day", "week", "month"}

// Trend is the study's metrics over time: per period and cumulative. For
// an nps study this is the NPS tracker.
type Trend struct {
	StudyID    string  `json:"study_id"`
	Interval   string  `json:"interval"`
	Confidence float64 `json:"confidence"`
	// Timezone is the study's: the zone its days, weeks and months are
	// counted in.
	Timezone    string `json:"timezone"`
	MinPerGroup int64  `json:"min_per_group"`
	// RollingDays is the rolling window of each period's rolling metrics
	// (absent without one).
	RollingDays int           `json:"rolling_days,omitempty"`
	Periods     []TrendPeriod `json:"periods"`
	// Channels are an nps program's response rates by channel since the
	// study began (absent for brand-lift studies).
	Channels []ChannelRate `json:"channels,omitempty"`
	// Freshness: as in Report.
	Freshness
}

// TrendPeriod is one day, ISO week or month in the study's time zone.
type TrendPeriod struct {
	Period     string      `json:"period"` // 2026-11-27, 2026-W48 or 2026-11
	Start      string      `json:"start"`  // first day, YYYY-MM-DD
	Counts     GroupCounts `json:"counts"`
	Metrics    []any       `json:"metrics"`    // this period alone
	Cumulative []any       `json:"cumulative"` // from the start to the end of this period
	// Rolling are the metrics of the rolling_days days ending with this
	// period (with ?rolling=N), marked low_sample like any other.
	Rolling []any `json:"rolling,omitempty"`
	// LowSample is true when a group has fewer than min_per_group
	// responses in this period; its metrics are marked too.
	LowSample bool `json:"low_sample"`
	// Changes compares each metric's headline with the previous period's;
	// empty for the first period.
	Changes []PeriodChange `json:"changes"`
	// Waves lists the waves of a wave series answered in this period.
	Waves []string  `json:"waves,omitempty"`
	end   time.Time // exclusive
}

// PeriodChange is one metric's change from the previous period to this
// one: the difference of two independent estimates with its interval and
// two-sided z-test (stats.CompareEstimates).
type PeriodChange struct {
	Question string `json:"question"`
	Option   string `json:"option,omitempty"`
	// Measure is abs_lift, nps_diff or mean_diff (brand lift: exposed
	// minus control), or rate, nps or mean (an nps study's population).
	Measure  string  `json:"measure"`
	Previous float64 `json:"previous"`
	Current  float64 `json:"current"`
	stats.Change
	// LowSample is true when either period is below min_per_group.
	LowSample bool `json:"low_sample"`
}

// The rolling window's bounds, in days.
const (
	MinRolling = 7
	MaxRolling = 365
)

// ValidInterval reports whether interval is one of TrendIntervals.
func ValidInterval(interval string) bool { return slices.Contains(TrendIntervals, interval) }

// BuildTrend computes the trend from daily running counts: data's cells are
// days (their ID is the day, YYYY-MM-DD). The options must have been
// validated; weighting and segments do not apply.
func BuildTrend(st *survey.Study, data *Tallies, interval string, o Options) (*Trend, error) {
	if !ValidInterval(interval) {
		return nil, &survey.ValidationError{Errors: []survey.FieldError{{Field: "interval", Message: fmt.Sprintf("must be day, week or month, got %q", interval)}}}
	}
	if o.Rolling != 0 && (o.Rolling < MinRolling || o.Rolling > MaxRolling) {
		return nil, &survey.ValidationError{Errors: []survey.FieldError{{Field: "rolling",
			Message: fmt.Sprintf("must be from %d to %d days, got %d", MinRolling, MaxRolling, o.Rolling)}}}
	}
	t := &Trend{StudyID: st.ID, Interval: interval, Confidence: o.Confidence,
		Timezone: st.Location().String(), MinPerGroup: o.MinPerGroup, RollingDays: o.Rolling}
	dayOf := make([]time.Time, len(data.cells))
	periods := map[string]*TrendPeriod{}
	periodOf := make([]string, len(data.cells))
	for i, c := range data.cells {
		day, err := time.Parse("2006-01-02", c.ID)
		if err != nil {
			return nil, fmt.Errorf("results: bad day %q in daily tallies", c.ID)
		}
		dayOf[i] = day
		name, start, end := period(day, interval)
		periodOf[i] = name
		if periods[name] == nil {
			periods[name] = &TrendPeriod{Period: name, Start: start.Format("2006-01-02"), end: end}
		}
	}
	if st.HasCells() || st.HasWaves() {
		labelWaves(st, data, periodOf, periods)
		// Cells pool into the exposed group, waves follow one another in
		// time: the trend is the study's groups over its whole fielding.
		data = data.regroup(pooled(""))
	}
	for _, p := range periods {
		t.Periods = append(t.Periods, *p)
	}
	sort.Slice(t.Periods, func(i, j int) bool { return t.Periods[i].Start < t.Periods[j].Start })
	var previous *metricSet
	for i := range t.Periods {
		p := &t.Periods[i]
		alone := &view{data: data, include: func(cell int, _ survey.Group) bool { return periodOf[cell] == p.Period }}
		upTo := &view{data: data, include: func(cell int, _ survey.Group) bool { return dayOf[cell].Before(p.end) }}
		p.Counts = segmentCounts(alone)
		p.LowSample = smallest(st, p.Counts) < o.MinPerGroup
		this := newBuilder(st, alone, o).build()
		qValues(this.tests)
		cumulative := newBuilder(st, upTo, o).build()
		qValues(cumulative.tests)
		p.Metrics, p.Cumulative = this.metrics, cumulative.metrics
		if o.Rolling > 0 {
			from := p.end.AddDate(0, 0, -o.Rolling)
			window := &view{data: data, include: func(cell int, _ survey.Group) bool {
				return !dayOf[cell].Before(from) && dayOf[cell].Before(p.end)
			}}
			rolling := newBuilder(st, window, o).build()
			qValues(rolling.tests)
			p.Rolling = rolling.metrics
		}
		p.Changes = changes(st, previous, &this, o.Confidence)
		previous = &this
	}
	if t.Periods == nil {
		t.Periods = []TrendPeriod{}
	}
	return t, nil
}

// labelWaves lists in each period the waves answered in it, in the
// study's order.
func labelWaves(st *survey.Study, data *Tallies, periodOf []string, periods map[string]*TrendPeriod) {
	seen := map[string]map[string]bool{}
	for _, e := range data.byQuestion[""] {
		w, _, _ := survey.SplitArm(e.grp)
		if w == "" || e.n == 0 {
			continue
		}
		p := periodOf[e.cell]
		if seen[p] == nil {
			seen[p] = map[string]bool{}
		}
		seen[p][w] = true
	}
	for name, p := range periods {
		for _, w := range st.Waves {
			if seen[name][w.Key] {
				p.Waves = append(p.Waves, w.Key)
			}
		}
	}
}

// period names the period a day falls in, with its first day and the day
// after its last.
func period(day time.Time, interval string) (string, time.Time, time.Time) {
	switch interval {
	case "week":
		start := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // Monday
		y, w := day.ISOWeek()
		return fmt.Sprintf("%d-W%02d", y, w), start, start.AddDate(0, 0, 7)
	case "month":
		start := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
		return start.Format("2006-01"), start, start.AddDate(0, 1, 0)
	}
	return day.Format("2006-01-02"), day, day.AddDate(0, 0, 1)
}

// changes compares each metric's headline in one period with the previous
// period's.
func changes(st *survey.Study, before, after *metricSet, confidence float64) []PeriodChange {
	out := []PeriodChange{}
	if before == nil {
		return out
	}
	for _, key := range measureKeys(st) {
		a, b := before.measures[key], after.measures[key]
		if a == nil || b == nil || a.withheld || b.withheld {
			continue // a period without answers to compare
		}
		question, option, _ := strings.Cut(key, "/")
		out = append(out, PeriodChange{Question: question, Option: option, Measure: b.head.measure,
			Previous: a.head.value, Current: b.head.value,
			Change:    stats.CompareEstimates(a.head.value, a.head.se, b.head.value, b.head.se, confidence),
			LowSample: a.head.low || b.head.low})
	}
	return out
}

// measureKeys lists the keys of a study's measures in question order.
func measureKeys(st *survey.Study) []string {
	var keys []string
	for i := range st.Questions {
		q := &st.Questions[i]
		switch {
		case q.IsChoice() && q.Metric != "":
			for _, opt := range liftOptions(q) {
				keys = append(keys, measureKey(q.Key, opt))
			}
		case q.Type == survey.NPSQuestion || q.Type == survey.Rating:
			keys = append(keys, q.Key)
		}
	}
	return keys
}
