package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/brandlift/brandlift/survey"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// invitationRow is the invitations table: the email send queue of nps
// programs, one row per email, kept after sending as its log.
type invitationRow struct {
	StudyID   string `gorm:"primaryKey"`
	ID        string `gorm:"primaryKey"`
	ContactID string
	Kind      string
	Ask       string
	Status    string
	Attempts  int
	NextAt    *time.Time
	ClaimedAt *time.Time
	SMTPCode  *int `gorm:"column:smtp_code"`
	LastError string
	CreatedAt time.Time
	SentAt    *time.Time
}

func (invitationRow) TableName() string { return "invitations" }

func (r *invitationRow) invitation(email string) survey.Invitation {
	out := survey.Invitation{ID: r.ID, ContactID: r.ContactID, Email: email, Kind: r.Kind, Status: r.Status, Ask: r.Ask,
		Attempts: r.Attempts, NextAt: utcPtr(r.NextAt), LastError: r.LastError, CreatedAt: r.CreatedAt.UTC(), SentAt: utcPtr(r.SentAt)}
	if r.SMTPCode != nil {
		out.SMTPCode = *r.SMTPCode
	}
	return out
}

// suppressionRow is the suppressions table: addresses that unsubscribed,
// for every study of the installation.
type suppressionRow struct {
	Email   string `gorm:"primaryKey"`
	Reason  string
	StudyID string
	At      time.Time
}

func (suppressionRow) TableName() string { return "suppressions" }

// QueueInvitations queues one invitation for each of the study's contacts
// (or of those named), due now, all in one transaction. A contact is left
// out when its address unsubscribed or bounced, when an invitation to it
// is waiting already, or when it was invited within the throttle window;
// the result counts them by reason. Unknown contact ids are a validation
// error, and nothing is queued.
func (s *Store) QueueInvitations(ctx context.Context, st *survey.Study, contactIDs []string) (survey.InvitationQueue, error) {
	out := survey.InvitationQueue{Skipped: map[string]int{}}
	if st.Kind != survey.KindNPS {
		return out, &survey.ConflictError{Status: st.Status, Detail: "email invitations are for nps studies; this study is " + string(st.Kind)}
	}
	if st.Status != survey.StatusLive {
		return out, &survey.ConflictError{Status: st.Status, Detail: "invitations are sent while the study is live; it is " + string(st.Status)}
	}
	now := time.Now().UTC()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var contacts []contactRow
		q := tx.Select("id", "email", "bounced_at").Where("study_id = ?", st.ID)
		if contactIDs != nil {
			q = q.Where("id IN ?", append(contactIDs, ""))
		}
		if err := q.Order("id").Find(&contacts).Error; err != nil {
			return err
		}
		if contactIDs != nil {
			known := map[string]bool{}
			for _, c := range contacts {
				known[c.ID] = true
			}
			v := &survey.ValidationError{}
			for i, id := range contactIDs {
				if !known[id] {
					v.Add(fmt.Sprintf("contact_ids[%d]", i), "no contact %q in this study", id)
				}
			}
			if v.Err() != nil {
				return v.Err()
			}
		}
		busy, err := invitedContacts(tx, st.ID, now.Add(-st.ThrottleWindow()))
		if err != nil {
			return err
		}
		suppressed, err := suppressedEmails(tx, contacts)
		if err != nil {
			return err
		}
		var rows []invitationRow
		for _, c := range contacts {
			reason := busy[c.ID]
			switch {
			case suppressed[c.Email]:
				reason = survey.SkipUnsubscribed
			case c.BouncedAt != nil:
				reason = survey.SkipBounced
			}
			if reason != "" {
				out.Skipped[reason]++
				continue
			}
			ask := survey.NewAsk()
			rows = append(rows, invitationRow{StudyID: st.ID, ID: ask, ContactID: c.ID, Kind: survey.InviteFirst, Ask: ask,
				Status: survey.InvitationQueued, NextAt: &now, CreatedAt: now})
		}
		out.Queued = len(rows)
		if len(rows) == 0 {
			return nil
		}
		return tx.CreateInBatches(rows, 500).Error
	})
	if err != nil {
		return survey.InvitationQueue{}, storeError("queue invitations", err)
	}
	return out, nil
}

// invitedContacts names the contacts of a study that have an invitation
// waiting, or one sent since since, with the reason they are left out.
func invitedContacts(tx *gorm.DB, studyID string, since time.Time) (map[string]string, error) {
	var rows []invitationRow
	err := tx.Select("contact_id", "status").Where("study_id = ? AND (status = ? OR (status = ? AND sent_at >= ?))",
		studyID, survey.InvitationQueued, survey.InvitationSent, since).Find(&rows).Error
	out := map[string]string{}
	for _, r := range rows {
		if r.Status == survey.InvitationQueued {
			out[r.ContactID] = survey.SkipQueued
		} else if out[r.ContactID] == "" {
			out[r.ContactID] = survey.SkipRecentlyInvited
		}
	}
	return out, err
}

// suppressedEmails says which of the contacts' addresses unsubscribed.
func suppressedEmails(tx *gorm.DB, contacts []contactRow) (map[string]bool, error) {
	out := map[string]bool{}
	for start := 0; start < len(contacts); start += contactLookup {
		emails := make([]string, 0, contactLookup)
		for _, c := range contacts[start:min(start+contactLookup, len(contacts))] {
			emails = append(emails, c.Email)
		}
		var found []string
		if err := tx.Model(&suppressionRow{}).Where("email IN ?", emails).Pluck("email", &found).Error; err != nil {
			return nil, err
		}
		for _, e := range found {
			out[e] = true
		}
	}
	return out, nil
}

// Invitations pages through a study's invitations, newest first by id;
// cursor is the last id of the previous page.
func (s *Store) Invitations(ctx context.Context, studyID string, limit int, cursor string) ([]survey.Invitation, string, error) {
	q := s.db.WithContext(ctx).Where("study_id = ?", studyID)
	if cursor != "" {
		q = q.Where("id < ?", cursor)
	}
	var rows []invitationRow
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, "", storeError("list invitations", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	ids := make([]string, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.ContactID)
	}
	emails := map[string]string{}
	var contacts []contactRow
	if err := s.db.WithContext(ctx).Select("id", "email").Where("study_id = ? AND id IN ?", studyID, append(ids, "")).
		Find(&contacts).Error; err != nil {
		return nil, "", storeError("list invitations", err)
	}
	for _, c := range contacts {
		emails[c.ID] = c.Email
	}
	out := make([]survey.Invitation, len(rows))
	for i := range rows {
		out[i] = rows[i].invitation(emails[rows[i].ContactID])
	}
	return out, next, nil
}

// InvitationCounts counts a study's invitations by status.
func (s *Store) InvitationCounts(ctx context.Context, studyID string) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := s.db.WithContext(ctx).Model(&invitationRow{}).Select("status, COUNT(*) AS n").Where("study_id = ?", studyID).
		Group("status").Scan(&rows).Error
	out := map[string]int64{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, storeError("count invitations", err)
}

// Unsubscribe suppresses the address of the study's contact with this
// respondent id for every study of the installation, and skips the
// invitations still waiting for it. Unsubscribing twice changes nothing.
// It returns the address.
func (s *Store) Unsubscribe(ctx context.Context, st *survey.Study, rid string) (string, error) {
	var c contactRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Take(&c, "study_id = ? AND rid = ?", st.ID, rid).Error; err != nil {
			if errors.Is(err, gorm.ErrRecordNotFound) {
				return survey.ErrNotFound
			}
			return err
		}
		row := suppressionRow{Email: c.Email, Reason: survey.SkipUnsubscribed, StudyID: st.ID, At: time.Now().UTC()}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
			return err
		}
		return tx.Model(&invitationRow{}).Where("contact_id IN (?) AND status = ?",
			tx.Session(&gorm.Session{NewDB: true}).Model(&contactRow{}).Select("id").Where("email = ?", c.Email), survey.InvitationQueued).
			Updates(map[string]any{"status": survey.InvitationSkipped, "last_error": survey.SkipUnsubscribed, "next_at": nil}).Error
	})
	if err != nil {
		return "", storeError("unsubscribe", err)
	}
	return c.Email, nil
}

// Unsubscribed reports whether an address unsubscribed.
func (s *Store) Unsubscribed(ctx context.Context, email string) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&suppressionRow{}).Where("email = ?", survey.NormalizeEmail(email)).Count(&n).Error
	return n > 0, storeError("read unsubscribes", err)
}
