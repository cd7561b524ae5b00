package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// touchRow is the touches table: each time an nps program showed a
// person its survey, and each answer and dismissal.
type touchRow struct {
	StudyID    string `gorm:"primaryKey"`
	ID         string `gorm:"primaryKey"`
	Person     string
	PersonAll  string
	Channel    string
	Kind       string
	Ask        string
	ResponseID string
	At         time.Time
}

func (touchRow) TableName() string { return "touches" }

// Touch kinds.
const (
	touchShown     = "shown"
	touchAnswered  = "answered"
	touchDismissed = "dismissed"
)

type installationRow struct {
	ID        int `gorm:"primaryKey"`
	PersonKey string
}

func (installationRow) TableName() string { return "installation" }

// personKeyCache holds the installation's person key once read.
type personKeyCache struct {
	mu  sync.Mutex
	key []byte
}

// personKey is the installation's key for hashing respondent ids alike in
// every study, created on first use. Concurrent first uses (two replicas)
// agree: the insert does nothing when a key exists, and both read the row.
func (s *Store) personKey(ctx context.Context) ([]byte, error) {
	s.persons.mu.Lock()
	defer s.persons.mu.Unlock()
	if s.persons.key != nil {
		return s.persons.key, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	db := s.db.WithContext(ctx)
	if err := db.Clauses(clause.OnConflict{DoNothing: true}).Create(&installationRow{ID: 1, PersonKey: hex.EncodeToString(fresh)}).Error; err != nil {
		return nil, storeError("create the installation key", err)
	}
	var row installationRow
	if err := db.Take(&row, "id = 1").Error; err != nil {
		return nil, storeError("read the installation key", err)
	}
	key, err := hex.DecodeString(row.PersonKey)
	if err != nil || len(key) == 0 {
		return nil, fmt.Errorf("store: the installation key is damaged")
	}
	s.persons.key = key
	return key, nil
}

// throttle is what deciding a submission of an nps program needs to know
// about its respondent.
type throttle struct {
	person, personAll string
	window            time.Duration
	acrossStudies     bool
	channel, ask      string
}

// touchesSince reads the latest answer or dismissal of each person in
// the batch that is recent enough to throttle anyone: by the study's own
// hash, and by the installation's for studies that throttle across
// studies. Keys are "study\x00person" and "\x00personAll".
func touchesSince(tx *gorm.DB, batch []*pending) (map[string]time.Time, error) {
	var studies, persons, all []string
	oldest := time.Time{}
	for _, p := range batch {
		t := p.throttle
		if t == nil {
			continue
		}
		since := p.row.CompletedAt.Add(-t.window)
		if oldest.IsZero() || since.Before(oldest) {
			oldest = since
		}
		studies, persons = append(studies, p.row.StudyID), append(persons, t.person)
		if t.acrossStudies {
			all = append(all, t.personAll)
		}
	}
	out := map[string]time.Time{}
	if len(persons) == 0 {
		return out, nil
	}
	type latest struct {
		StudyID, Person, PersonAll string
		At                         time.Time
	}
	var rows []latest
	q := tx.Model(&touchRow{}).Select("study_id", "person", "person_all", "at").
		Where("kind IN ? AND at >= ?", []string{touchAnswered, touchDismissed}, oldest).
		Where(tx.Session(&gorm.Session{NewDB: true}).Where("study_id IN ? AND person IN ?", studies, persons))
	if len(all) > 0 {
		q = tx.Model(&touchRow{}).Select("study_id", "person", "person_all", "at").
			Where("kind IN ? AND at >= ?", []string{touchAnswered, touchDismissed}, oldest).
			Where(tx.Session(&gorm.Session{NewDB: true}).Where("study_id IN ? AND person IN ?", studies, persons).Or("person_all IN ?", all))
	}
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, r := range rows {
		for _, k := range []string{r.StudyID + "\x00" + r.Person, "\x00" + r.PersonAll} {
			if r.At.After(out[k]) {
				out[k] = r.At
			}
		}
	}
	return out, nil
}

// throttled says whether p falls inside its respondent's window, given
// the latest touches; the error says until when.
func throttled(p *pending, last map[string]time.Time) error {
	t := p.throttle
	if t == nil {
		return nil
	}
	at := last[p.row.StudyID+"\x00"+t.person]
	if t.acrossStudies && last["\x00"+t.personAll].After(at) {
		at = last["\x00"+t.personAll]
	}
	if !at.IsZero() && p.row.CompletedAt.Before(at.Add(t.window)) {
		return &survey.ThrottledError{Last: at, Until: at.Add(t.window)}
	}
	return nil
}

// noteAnswered records an accepted answer in last, so that a second ask
// of the same person in the same batch is throttled too, and returns its
// touch row.
func noteAnswered(p *pending, last map[string]time.Time) touchRow {
	t := p.throttle
	last[p.row.StudyID+"\x00"+t.person] = p.row.CompletedAt
	last["\x00"+t.personAll] = p.row.CompletedAt
	return touchRow{StudyID: p.row.StudyID, ID: survey.NewID(), Person: t.person, PersonAll: t.personAll, Channel: t.channel,
		Kind: touchAnswered, Ask: t.ask, ResponseID: p.row.ID, At: p.row.CompletedAt}
}

// Eligibility says whether an nps program may ask a person now.
type Eligibility struct {
	Eligible bool
	// Reason is "" when eligible; otherwise throttled (see Until), or
	// answered (this ask was answered already).
	Reason string
	Last   time.Time
	Until  time.Time
}

// Eligible reports whether who may be asked now for the given ask: not
// when they answered it, nor within the study's window of their last
// answer or dismissal.
func (s *Store) Eligible(ctx context.Context, st *survey.Study, who *Respondent, ask string, now time.Time) (Eligibility, error) {
	id, err := s.ResponseID(ctx, st.ID, st.ResponseKey(who.Token.RID, ask))
	if err != nil {
		return Eligibility{}, err
	}
	if id != "" {
		return Eligibility{Reason: "answered"}, nil
	}
	p, last, err := s.probe(ctx, st, who, ask, now)
	if err != nil {
		return Eligibility{}, err
	}
	if err := throttled(p, last); err != nil {
		var te *survey.ThrottledError
		errors.As(err, &te)
		return Eligibility{Reason: "throttled", Last: te.Last, Until: te.Until}, nil
	}
	return Eligibility{Eligible: true}, nil
}

// probe builds a submission-shaped probe for who at now and reads the
// touches that could throttle it.
func (s *Store) probe(ctx context.Context, st *survey.Study, who *Respondent, ask string, now time.Time) (*pending, map[string]time.Time, error) {
	t, err := s.throttleOf(ctx, st, who, ask, "")
	if err != nil {
		return nil, nil, err
	}
	p := &pending{row: responseRow{StudyID: st.ID, CompletedAt: now}, throttle: t}
	last, err := touchesSince(s.db.WithContext(ctx), []*pending{p})
	if err != nil {
		return nil, nil, storeError("read touches", err)
	}
	return p, last, nil
}

// throttleOf is the throttle of a submission by who, or nil for a study
// that does not throttle.
func (s *Store) throttleOf(ctx context.Context, st *survey.Study, who *Respondent, ask, channel string) (*throttle, error) {
	window := st.ThrottleWindow()
	if window == 0 {
		return nil, nil
	}
	key, err := s.personKey(ctx)
	if err != nil {
		return nil, err
	}
	if channel == "" {
		channel = survey.ChannelOf(who.Token.Ask, ask)
	}
	return &throttle{person: who.Hash, personAll: survey.PersonHash(key, who.Token.RID), window: window,
		acrossStudies: st.ThrottlesAcrossStudies(), channel: channel, ask: ask}, nil
}

// Prompt records that the widget showed its survey (shown) or that the
// person closed it without answering (dismissed), for an ask. A dismissal
// counts towards throttling like an answer; neither is an answer. It
// reports whether anything was recorded: a prompt is recorded once per
// ask and kind, and a dismissal inside the window (the person was not
// eligible) changes nothing.
func (s *Store) Prompt(ctx context.Context, st *survey.Study, who *Respondent, ask, kind, channel string) (bool, error) {
	now := time.Now().UTC()
	p, last, err := s.probe(ctx, st, who, ask, now)
	if err != nil {
		return false, err
	}
	if p.throttle == nil {
		return false, &survey.ConflictError{Status: st.Status, Detail: "prompts and dismissals belong to nps studies; this study is " + string(st.Kind)}
	}
	if err := throttled(p, last); err != nil {
		return false, err
	}
	if id, err := s.ResponseID(ctx, st.ID, st.ResponseKey(who.Token.RID, ask)); err != nil || id != "" {
		return false, err
	}
	t := p.throttle
	row := touchRow{StudyID: st.ID, ID: survey.NewID(), Person: t.person, PersonAll: t.personAll, Channel: channel,
		Kind: kind, Ask: ask, At: now}
	var n int64
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&touchRow{}).Where("study_id = ? AND person = ? AND ask = ? AND kind = ?", st.ID, t.person, ask, kind).
			Count(&n).Error; err != nil || n > 0 {
			return err
		}
		return tx.Create(&row).Error
	})
	if err != nil {
		return false, storeError("record a prompt", err)
	}
	return n == 0, nil
}
