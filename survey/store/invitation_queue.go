package store

import (
	"context"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MaxSendAttempts is how many times an invitation is tried on temporary
// SMTP errors before it is marked failed.
const MaxSendAttempts = 8

// DueInvitation is a claimed invitation with what sending it needs.
type DueInvitation struct {
	Invitation survey.Invitation
	Study      *survey.Study
	Contact    survey.Contact
}

// ClaimInvitations takes up to limit queued invitations that are due,
// within each study's rate (its email_per_minute, less what was claimed
// in the last minute), and leases them for lease so that another worker or
// replica skips them. Invitations that must not be sent any more are
// marked skipped on the way: the study closed, the address unsubscribed
// or bounced, the person answered or dismissed within the window, or a
// reminder's invitation was answered. A paused study's wait.
func (s *Store) ClaimInvitations(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]DueInvitation, error) {
	now = now.UTC()
	var claimed []invitationRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Where("status = ? AND next_at <= ?", survey.InvitationQueued, now).Order("next_at").Limit(limit * 4)
		if s.dialect == Postgres {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []invitationRow
		if err := q.Find(&rows).Error; err != nil || len(rows) == 0 {
			return err
		}
		budget, err := sendBudgets(tx, rows, now)
		if err != nil {
			return err
		}
		until := now.Add(lease)
		for _, r := range rows {
			if len(claimed) == limit || budget[r.StudyID] <= 0 {
				continue
			}
			budget[r.StudyID]--
			if err := tx.Model(&invitationRow{}).Where("study_id = ? AND id = ?", r.StudyID, r.ID).Updates(map[string]any{"next_at": until, "claimed_at": now}).Error; err != nil {
				return err
			}
			claimed = append(claimed, r)
		}
		return nil
	})
	if err != nil {
		return nil, storeError("claim invitations", err)
	}
	out := make([]DueInvitation, 0, len(claimed))
	for i := range claimed {
		d, skip, err := s.prepareInvitation(ctx, &claimed[i], now)
		if err != nil {
			return out, err
		}
		switch {
		case skip == "wait": // a paused study: try again in a minute
			err = s.moveInvitation(ctx, &claimed[i], map[string]any{"next_at": now.Add(time.Minute)})
		case skip != "":
			err = s.moveInvitation(ctx, &claimed[i], map[string]any{"status": survey.InvitationSkipped, "last_error": skip, "next_at": nil})
		default:
			out = append(out, d)
		}
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// sendBudgets is how many more invitations each study of rows may send
// in the current minute.
func sendBudgets(tx *gorm.DB, rows []invitationRow, now time.Time) (map[string]int, error) {
	ids := map[string]bool{}
	for _, r := range rows {
		ids[r.StudyID] = true
	}
	budget := map[string]int{}
	for id := range ids {
		var st studyRow
		if err := tx.Select("id", "settings").Take(&st, "id = ?", id).Error; err != nil {
			return nil, err
		}
		// Every claim is an attempt, whether it was sent yet or not.
		var sent int64
		if err := tx.Model(&invitationRow{}).Where("study_id = ? AND claimed_at > ?", id, now.Add(-time.Minute)).
			Count(&sent).Error; err != nil {
			return nil, err
		}
		budget[id] = st.Settings.V.EmailRate() - int(sent)
	}
	return budget, nil
}

// prepareInvitation reads what sending r needs, or why it is not sent.
func (s *Store) prepareInvitation(ctx context.Context, r *invitationRow, now time.Time) (DueInvitation, string, error) {
	st, err := s.Study(ctx, r.StudyID)
	if err != nil {
		return DueInvitation{}, "", err
	}
	switch st.Status {
	case survey.StatusPaused:
		return DueInvitation{}, "wait", nil
	case survey.StatusLive:
	default:
		return DueInvitation{}, survey.SkipClosed, nil
	}
	var c contactRow
	if err := s.db.WithContext(ctx).Take(&c, "study_id = ? AND id = ?", r.StudyID, r.ContactID).Error; err != nil {
		return DueInvitation{}, "", storeError("read an invitation's contact", err)
	}
	if c.BouncedAt != nil {
		return DueInvitation{}, survey.SkipBounced, nil
	}
	if off, err := s.Unsubscribed(ctx, c.Email); err != nil || off {
		return DueInvitation{}, survey.SkipUnsubscribed, err
	}
	who := &Respondent{Token: &survey.Token{Study: st.PublicKey, RID: c.RID, Ask: r.Ask}, Hash: st.RespondentHash(c.RID), Group: survey.GroupAll}
	e, err := s.Eligible(ctx, st, who, r.Ask, now)
	if err != nil {
		return DueInvitation{}, "", err
	}
	switch {
	case e.Reason == "answered":
		return DueInvitation{}, survey.SkipAnswered, nil
	case !e.Eligible:
		return DueInvitation{}, survey.SkipThrottled, nil
	}
	return DueInvitation{Invitation: r.invitation(c.Email), Study: st, Contact: c.contact()}, "", nil
}

// moveInvitation updates a claimed invitation unless it moved meanwhile.
func (s *Store) moveInvitation(ctx context.Context, r *invitationRow, updates map[string]any) error {
	err := s.db.WithContext(ctx).Model(&invitationRow{}).
		Where("study_id = ? AND id = ? AND status = ? AND attempts = ?", r.StudyID, r.ID, survey.InvitationQueued, r.Attempts).
		Updates(updates).Error
	return storeError("update an invitation", err)
}

// SendOutcome is what became of one attempt to send an invitation.
type SendOutcome struct {
	At       time.Time
	SMTPCode int    // the server's reply code, 0 when there was none
	Error    string // "" when the server accepted the message
	// Permanent says the server refused the address for good (a 5xx
	// reply to the recipient or the message): a bounce.
	Permanent bool
	// RetryAt is when a temporary failure is tried again.
	RetryAt time.Time
}

// RecordSend moves a claimed invitation on after an attempt: sent (and
// its reminder queued, when the study sends one), bounced (and the
// contact marked, so nothing is sent to it again), queued again for a
// temporary failure, or failed once the attempts ran out. It changes
// nothing when the invitation moved meanwhile.
func (s *Store) RecordSend(ctx context.Context, d DueInvitation, o SendOutcome) error {
	at := o.At.UTC()
	inv := d.Invitation
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n := inv.Attempts + 1
		updates := map[string]any{"attempts": n, "last_error": o.Error}
		if o.SMTPCode != 0 {
			updates["smtp_code"] = o.SMTPCode
		}
		switch {
		case o.Error == "":
			updates["status"], updates["next_at"], updates["sent_at"] = survey.InvitationSent, nil, at
		case o.Permanent:
			updates["status"], updates["next_at"] = survey.InvitationBounced, nil
		case n >= MaxSendAttempts:
			updates["status"], updates["next_at"] = survey.InvitationFailed, nil
		default:
			retry := o.RetryAt.UTC()
			updates["next_at"] = retry
		}
		res := tx.Model(&invitationRow{}).
			Where("study_id = ? AND id = ? AND status = ? AND attempts = ?", d.Study.ID, inv.ID, survey.InvitationQueued, inv.Attempts).
			Updates(updates)
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		switch {
		case o.Error == "" && inv.Kind == survey.InviteFirst && d.Study.ReminderDays > 0:
			due := at.Add(time.Duration(d.Study.ReminderDays) * 24 * time.Hour)
			return tx.Create(&invitationRow{StudyID: d.Study.ID, ID: survey.NewAsk(), ContactID: inv.ContactID, Kind: survey.InviteReminder,
				Ask: inv.Ask, Status: survey.InvitationQueued, NextAt: &due, CreatedAt: at}).Error
		case o.Error != "" && o.Permanent:
			return tx.Model(&contactRow{}).Where("study_id = ? AND id = ?", d.Study.ID, inv.ContactID).
				Updates(map[string]any{"bounced_at": at, "bounce_reason": o.Error}).Error
		}
		return nil
	})
	return storeError("record an invitation's attempt", err)
}
