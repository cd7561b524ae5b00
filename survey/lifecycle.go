package survey

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Action is a lifecycle step: launch, pause, resume or close.
type Action string

// Lifecycle actions.
const (
	Launch Action = "launch"
	Pause  Action = "pause"
	Resume Action = "resume"
	Close  Action = "close"
)

// transitions gives, for each action, the statuses it may start from and
// the status it leads to: draft -> live <-> paused -> closed.
var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	Launch: {[]Status{StatusDraft}, StatusLive},
	Pause:  {[]Status{StatusLive}, StatusPaused},
	Resume: {[]Status{StatusPaused}, StatusLive},
	Close:  {[]Status{StatusLive, StatusPaused}, StatusClosed},
}

// ParseAction checks an action name.
func ParseAction(name string) (Action, bool) {
	_, ok := transitions[Action(name)]
	return Action(name), ok
}

// Transition moves a study through its lifecycle. An action that the
// current status does not allow is a *ConflictError naming that status.
func (s *Store) Transition(ctx context.Context, id string, action Action) (*Study, error) {
	t, ok := transitions[action]
	if !ok {
		panic("survey: unknown action " + string(action))
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		row, err := s.lockStudy(tx, id)
		if err != nil {
			return err
		}
		if !contains(t.from, Status(row.Status)) {
			return &ConflictError{Status: Status(row.Status), Detail: fmt.Sprintf(
				"cannot %s a study in status %s", action, row.Status)}
		}
		now := time.Now().UTC()
		updates := map[string]any{"status": string(t.to), "updated_at": now}
		switch action {
		case Launch:
			updates["launched_at"] = now
		case Close:
			updates["closed_at"] = now
		}
		return tx.Model(&studyRow{}).Where("id = ?", id).Updates(updates).Error
	})
	if err != nil {
		return nil, storeError(string(action)+" study", err)
	}
	st, err := s.Study(ctx, id)
	if err == nil {
		s.forget(st.PublicKey)
	}
	return st, err
}
