package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
)

// A closed study's headline lifts are those of its report with default
// options, built by Results from the running counts like any report. A
// closed study cannot change, so its lifts change only when a respondent
// is erased: each replica keeps them in memory, keyed by study id and
// checked against the study's updated_at and closed_at. EraseRespondent
// drops the study's entry on the replica that erased; normsTTL bounds how
// long another replica keeps the lifts of before an erasure.
const normsTTL = 10 * time.Minute

// maxNormEntries bounds the cache; past it, every entry is dropped and
// read again on use.
const maxNormEntries = 10000

// normKey names a study of one store (tests open many stores in one
// process; their study ids never collide, but their lifetimes differ).
type normKey struct {
	s  *Store
	id string
}

type normEntry struct {
	updatedAt, closedAt time.Time
	readAt              time.Time
	lifts               map[survey.Metric]results.HeadlineLift
}

var normCache = struct {
	mu sync.Mutex
	m  map[normKey]normEntry
	// forgets counts forgetNorms calls: lifts computed while one ran may
	// predate the erasure, so they are used but not kept.
	forgets uint64
}{m: map[normKey]normEntry{}}

// NormStudies returns the headline lifts of the closed brand-lift studies
// that enter the norms (not excluded by their exclude_from_norms), of one
// category or, for "", of all. nps studies compare no groups and have no
// lift. The first call computes each study's report from its aggregates
// (no response is loaded); later calls read the cache.
func (s *Store) NormStudies(ctx context.Context, category string) ([]results.StudyLifts, error) {
	var rows []studyRow
	err := s.db.WithContext(ctx).Select("id", "settings", "updated_at", "closed_at").
		Where("status = ? AND kind = ?", string(survey.StatusClosed), string(survey.KindBrandLift)).
		Order("id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the studies of the norms: %w", err)
	}
	out := []results.StudyLifts{}
	for _, r := range rows {
		set := r.Settings.V
		if set.ExcludeFromNorms || (category != "" && set.Category != category) {
			continue
		}
		lifts, err := s.normLifts(ctx, &r)
		if errors.Is(err, survey.ErrNotFound) {
			continue // deleted since the list was read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, results.StudyLifts{StudyID: r.ID, Category: set.Category, Lifts: lifts})
	}
	return out, nil
}

// normLifts returns a closed study's headline lifts, from the cache when
// its entry is fresh and the study has not changed.
func (s *Store) normLifts(ctx context.Context, r *studyRow) (map[survey.Metric]results.HeadlineLift, error) {
	var closedAt time.Time
	if r.ClosedAt != nil {
		closedAt = *r.ClosedAt
	}
	key, now := normKey{s, r.ID}, time.Now()
	normCache.mu.Lock()
	e, ok := normCache.m[key]
	forgets := normCache.forgets
	normCache.mu.Unlock()
	if ok && e.updatedAt.Equal(r.UpdatedAt) && e.closedAt.Equal(closedAt) && now.Sub(e.readAt) < normsTTL {
		return e.lifts, nil
	}
	rep, err := s.Results(ctx, r.ID, results.Options{})
	if err != nil {
		return nil, err
	}
	lifts := results.HeadlineLifts(rep)
	normCache.mu.Lock()
	defer normCache.mu.Unlock()
	if normCache.forgets != forgets {
		return lifts, nil
	}
	if len(normCache.m) >= maxNormEntries {
		normCache.m = map[normKey]normEntry{}
	}
	normCache.m[key] = normEntry{updatedAt: r.UpdatedAt, closedAt: closedAt, readAt: now, lifts: lifts}
	return lifts, nil
}

// forgetNorms drops a study's cached lifts after its data changed.
func (s *Store) forgetNorms(studyID string) {
	normCache.mu.Lock()
	delete(normCache.m, normKey{s, studyID})
	normCache.forgets++
	normCache.mu.Unlock()
}

// NormCategory returns the category a study's report is compared in (""
// when it has none).
func (s *Store) NormCategory(ctx context.Context, studyID string) (string, error) {
	if survey.TextProblem(studyID) != "" {
		return "", survey.ErrNotFound
	}
	var rows []studyRow
	if err := s.db.WithContext(ctx).Select("id", "settings").Where("id = ?", studyID).Limit(1).Find(&rows).Error; err != nil {
		return "", fmt.Errorf("store: unable to read the study's category: %w", err)
	}
	if len(rows) == 0 {
		return "", survey.ErrNotFound
	}
	return rows[0].Settings.V.Category, nil
}

// AttachNorms places a brand-lift report's headline metrics among the
// closed studies' lifts (results.AttachNorms): the study's category pool
// when it has enough studies, else all. Other reports are left as they are.
func (s *Store) AttachNorms(ctx context.Context, r *results.Report) error {
	if r.Kind != survey.KindBrandLift {
		return nil
	}
	category, err := s.NormCategory(ctx, r.StudyID)
	if err != nil {
		return err
	}
	all, err := s.NormStudies(ctx, "")
	if err != nil {
		return err
	}
	results.AttachNorms(r, category, all)
	return nil
}
