package store

import (
	"context"
	"fmt"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"gorm.io/gorm"
)

// LatestTextAnswers is how many text answers the report shows per question.
const LatestTextAnswers = 10

// Results computes the study's report from its running counts: a few
// aggregate queries here, then arithmetic on counts in package results.
// No response is loaded.
func (s *Store) Results(ctx context.Context, studyID string, o results.Options) (*results.Report, error) {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return nil, err
	}
	if err := o.Validate(st); err != nil {
		return nil, err
	}
	var in results.Input
	fresh, err := s.readReport(ctx, func(db *gorm.DB) (err error) {
		in, err = s.reportInput(ctx, db, st, o)
		return err
	})
	if err != nil {
		return nil, err
	}
	r, err := results.Build(in, o)
	if err != nil {
		return nil, err
	}
	r.Freshness = fresh
	return r, nil
}

// readReport runs a report's reads on the database reportSource picks.
// When the replica fails partway (a conflict with recovery, or it went
// away), the reads are done again on the primary, so that the analyst
// gets a report rather than an error.
func (s *Store) readReport(ctx context.Context, read func(db *gorm.DB) error) (results.Freshness, error) {
	db, fresh := s.reportSource(ctx)
	err := read(db)
	if err != nil && fresh.ReadFrom == readReplica && ctx.Err() == nil {
		s.replica.rest(err)
		fresh = fromPrimary("the read replica failed during the report; this was read from the primary")
		err = read(s.db)
	}
	return fresh, err
}

// reportInput reads the counts behind a report from db.
func (s *Store) reportInput(ctx context.Context, db *gorm.DB, st *survey.Study, o results.Options) (results.Input, error) {
	in := results.Input{Study: st, Latest: map[string][]results.TextAnswer{}}
	var err error
	if in.Tallies, err = loadTallies(ctx, db, st.ID, o.IncludeFlagged); err != nil {
		return in, err
	}
	if in.GroupCounts, err = groupCounts(ctx, db, st.ID); err != nil {
		return in, err
	}
	var first *string // MIN over the daily tallies' key, not the responses
	if err := db.WithContext(ctx).Model(&dailyTallyRow{}).Select("MIN(day)").Where("study_id = ?", st.ID).Scan(&first).Error; err != nil {
		return in, fmt.Errorf("store: unable to read the first day: %w", err)
	}
	if first != nil {
		in.FirstDay = *first
	}
	for _, q := range st.Questions {
		if q.Type != survey.TextQuestion {
			continue
		}
		if in.Latest[q.Key], _, err = s.searchTextAnswers(ctx, db, st, q.Key, results.TextFilter{}, LatestTextAnswers, ""); err != nil {
			return in, err
		}
	}
	return in, nil
}

// ResultsTrend computes the trend from the daily running counts.
func (s *Store) ResultsTrend(ctx context.Context, studyID, interval string, o results.Options) (*results.Trend, error) {
	st, err := s.Study(ctx, studyID)
	if err != nil {
		return nil, err
	}
	o.Weighting, o.Segment = "", ""
	if err := o.Validate(st); err != nil {
		return nil, err
	}
	if !results.ValidInterval(interval) {
		return results.BuildTrend(st, nil, interval, o) // says what is wrong
	}
	var data *results.Tallies
	var counts []results.ChannelCounts
	fresh, err := s.readReport(ctx, func(db *gorm.DB) (err error) {
		if data, err = loadDaily(ctx, db, st.ID, o.IncludeFlagged); err != nil || st.Kind != survey.KindNPS {
			return err
		}
		counts, err = channelCounts(ctx, db, st.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	t, err := results.BuildTrend(st, data, interval, o)
	if err != nil {
		return nil, err
	}
	if st.Kind == survey.KindNPS {
		t.Channels = results.BuildChannelRates(counts, t.Confidence)
	}
	t.Freshness = fresh
	return t, nil
}

// loadTallies reads the study's counts in two queries.
func loadTallies(ctx context.Context, db *gorm.DB, studyID string, includeFlagged bool) (*results.Tallies, error) {
	db = db.WithContext(ctx)
	var rows []cellRow
	if err := db.Where("study_id = ?", studyID).Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to read cells: %w", err)
	}
	cells := make([]survey.Cell, len(rows))
	index := make(map[string]int, len(rows))
	for i, c := range rows {
		cells[i] = survey.Cell{ID: c.ID, Attrs: c.Attrs.V, Device: c.Device, FrequencyBucket: c.FrequencyBucket}
		index[c.ID] = i
	}
	q := db.Model(&tallyRow{}).Select("cell_id, grp, question_key, slot, SUM(n) AS n").Where("study_id = ?", studyID)
	if !includeFlagged {
		q = q.Where("flagged = ?", false)
	}
	tallies, err := q.Group("cell_id, grp, question_key, slot").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to read tallies: %w", err)
	}
	defer tallies.Close()
	d := results.NewTallies(cells)
	for tallies.Next() {
		var cellID, grp, question, slot string
		var n int64
		if err := tallies.Scan(&cellID, &grp, &question, &slot, &n); err != nil {
			return nil, fmt.Errorf("store: unable to scan tallies: %w", err)
		}
		if i, ok := index[cellID]; ok {
			d.Add(i, survey.Group(grp), question, slot, n)
		}
	}
	return d, tallies.Err()
}

// groupCounts reads responses per group and flag set.
func groupCounts(ctx context.Context, db *gorm.DB, studyID string) ([]results.GroupCount, error) {
	var rows []groupCountRow
	err := db.WithContext(ctx).Where("study_id = ? AND n > 0", studyID).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read group counts: %w", err)
	}
	out := make([]results.GroupCount, len(rows))
	for i, r := range rows {
		out[i] = results.GroupCount{Group: survey.Group(r.Grp), Flags: r.Flags, N: r.N}
	}
	return out, nil
}

// loadDaily reads the daily counts as tallies whose cells are days.
func loadDaily(ctx context.Context, db *gorm.DB, studyID string, includeFlagged bool) (*results.Tallies, error) {
	q := db.WithContext(ctx).Model(&dailyTallyRow{}).Select("day, grp, question_key, slot, SUM(n) AS n").
		Where("study_id = ?", studyID)
	if !includeFlagged {
		q = q.Where("flagged = ?", false)
	}
	rows, err := q.Group("day, grp, question_key, slot").Order("day").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to read daily tallies: %w", err)
	}
	defer rows.Close()
	type count struct {
		day, grp, question, slot string
		n                        int64
	}
	var counts []count
	var cells []survey.Cell
	index := map[string]int{}
	for rows.Next() {
		var c count
		if err := rows.Scan(&c.day, &c.grp, &c.question, &c.slot, &c.n); err != nil {
			return nil, fmt.Errorf("store: unable to scan daily tallies: %w", err)
		}
		if _, ok := index[c.day]; !ok {
			index[c.day] = len(cells)
			cells = append(cells, survey.Cell{ID: c.day})
		}
		counts = append(counts, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	d := results.NewTallies(cells)
	for _, c := range counts {
		d.Add(index[c.day], survey.Group(c.grp), c.question, c.slot, c.n)
	}
	return d, nil
}
