package results

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/brandlift/brandlift/survey"
)

// Trend intervals.
var TrendIntervals = []string{"day", "week", "month"}

// Trend is the study's metrics over time: per period and cumulative. For
// an nps study this is the NPS tracker.
type Trend struct {
	StudyID    string        `json:"study_id"`
	Interval   string        `json:"interval"`
	Confidence float64       `json:"confidence"`
	Periods    []TrendPeriod `json:"periods"`
}

// TrendPeriod is one day, ISO week or month (UTC).
type TrendPeriod struct {
	Period     string      `json:"period"` // 2026-11-27, 2026-W48 or 2026-11
	Start      string      `json:"start"`  // first day, YYYY-MM-DD
	Counts     GroupCounts `json:"counts"`
	Metrics    []any       `json:"metrics"`    // this period alone
	Cumulative []any       `json:"cumulative"` // from the start to the end of this period
	end        time.Time   // exclusive
}

// ValidInterval reports whether interval is one of TrendIntervals.
func ValidInterval(interval string) bool { return slices.Contains(TrendIntervals, interval) }

// BuildTrend computes the trend from daily running counts: data's cells are
// days (their ID is the day, YYYY-MM-DD). The options must have been
// validated; weighting and segments do not apply.
func BuildTrend(st *survey.Study, data *Tallies, interval string, o Options) (*Trend, error) {
	if !ValidInterval(interval) {
		return nil, &survey.ValidationError{Errors: []survey.FieldError{{Field: "interval", Message: fmt.Sprintf("must be day, week or month, got %q", interval)}}}
	}
	t := &Trend{StudyID: st.ID, Interval: interval, Confidence: o.Confidence}
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
	for _, p := range periods {
		t.Periods = append(t.Periods, *p)
	}
	sort.Slice(t.Periods, func(i, j int) bool { return t.Periods[i].Start < t.Periods[j].Start })
	for i := range t.Periods {
		p := &t.Periods[i]
		alone := &view{data: data, include: func(cell int, _ survey.Group) bool { return periodOf[cell] == p.Period }}
		upTo := &view{data: data, include: func(cell int, _ survey.Group) bool { return dayOf[cell].Before(p.end) }}
		p.Counts = segmentCounts(alone)
		p.Metrics = (&builder{st: st, v: alone, confidence: o.Confidence, minN: 1}).build().metrics
		p.Cumulative = (&builder{st: st, v: upTo, confidence: o.Confidence, minN: 1}).build().metrics
	}
	if t.Periods == nil {
		t.Periods = []TrendPeriod{}
	}
	return t, nil
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
