package survey

import (
	"context"
	"fmt"
	"sort"
	"time"
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

// ResultsTrend computes the trend from the daily running counts.
func (s *Store) ResultsTrend(ctx context.Context, studyID, interval string, o ResultsOptions) (*Trend, error) {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return nil, err
	}
	o.Weighting, o.Segment = "", ""
	if err := o.validate(st); err != nil {
		return nil, err
	}
	if !contains(TrendIntervals, interval) {
		return nil, &ValidationError{Errors: []FieldError{{Field: "interval", Message: fmt.Sprintf("must be day, week or month, got %q", interval)}}}
	}
	data, err := s.loadDaily(ctx, st.ID, o.IncludeFlagged)
	if err != nil {
		return nil, err
	}
	t := &Trend{StudyID: st.ID, Interval: interval, Confidence: o.Confidence}
	dayOf := make([]time.Time, len(data.cells))
	periods := map[string]*TrendPeriod{}
	periodOf := make([]string, len(data.cells))
	for i, c := range data.cells {
		day, err := time.Parse("2006-01-02", c.ID)
		if err != nil {
			return nil, fmt.Errorf("store: bad day %q in daily tallies", c.ID)
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
		alone := &view{data: data, include: func(cell int, _ Group) bool { return periodOf[cell] == p.Period }}
		upTo := &view{data: data, include: func(cell int, _ Group) bool { return dayOf[cell].Before(p.end) }}
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

// loadDaily reads the daily counts as tally data whose cells are days.
func (s *Store) loadDaily(ctx context.Context, studyID string, includeFlagged bool) (*tallyData, error) {
	q := s.db.WithContext(ctx).Model(&dailyTallyRow{}).Select("day, grp, question_key, slot, SUM(n) AS n").
		Where("study_id = ?", studyID)
	if !includeFlagged {
		q = q.Where("flagged = ?", false)
	}
	rows, err := q.Group("day, grp, question_key, slot").Order("day").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to read daily tallies: %w", err)
	}
	defer rows.Close()
	d := &tallyData{byQuestion: map[string][]tallyEntry{}}
	index := map[string]int{}
	for rows.Next() {
		var day, grp, question, slot string
		var n int64
		if err := rows.Scan(&day, &grp, &question, &slot, &n); err != nil {
			return nil, fmt.Errorf("store: unable to scan daily tallies: %w", err)
		}
		i, ok := index[day]
		if !ok {
			i = len(d.cells)
			index[day] = i
			d.cells = append(d.cells, cellRow{ID: day})
		}
		if n != 0 {
			d.byQuestion[question] = append(d.byQuestion[question], tallyEntry{cell: i, grp: Group(grp), slot: slot, n: n})
		}
	}
	return d, rows.Err()
}
