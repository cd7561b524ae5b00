package store

import (
	"context"
	"time"

	"github.com/brandlift/brandlift/survey"
	"gorm.io/gorm"
)

// contactRow is the contacts table.
type contactRow struct {
	StudyID   string `gorm:"primaryKey"`
	ID        string `gorm:"primaryKey"`
	Email     string
	RID       string `gorm:"column:rid"`
	Name      string
	Locale    string
	Attrs     jsonColumn[map[string]string]
	CreatedAt time.Time
	UpdatedAt time.Time
	// BouncedAt is set when an email to the contact bounced.
	BouncedAt    *time.Time
	BounceReason string
}

func (contactRow) TableName() string { return "contacts" }

func (r *contactRow) contact() survey.Contact {
	attrs := r.Attrs.V
	if attrs == nil {
		attrs = map[string]string{}
	}
	return survey.Contact{ID: r.ID, Email: r.Email, RID: r.RID, Name: r.Name, Locale: r.Locale, Attrs: attrs,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), BouncedAt: utcPtr(r.BouncedAt), BounceReason: r.BounceReason}
}

// contactLookup is how many emails one query looks up during an import.
const contactLookup = 500

// ImportContacts validates a whole import and stores it in one
// transaction: a contact whose email the study already has is updated
// (rid, name, locale, attributes), the rest are created; with any problem,
// nothing is stored. Contacts belong to nps studies.
func (s *Store) ImportContacts(ctx context.Context, st *survey.Study, in []survey.ContactInput) (survey.ContactImport, error) {
	var out survey.ContactImport
	if st.Kind != survey.KindNPS {
		return out, &survey.ConflictError{Status: st.Status, Detail: "contacts and email invitations are for nps studies; this study is " + string(st.Kind)}
	}
	if err := st.ValidateContacts(in); err != nil {
		return out, err
	}
	key, err := s.personKey(ctx)
	if err != nil {
		return out, err
	}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		existing := map[string]*contactRow{}
		for start := 0; start < len(in); start += contactLookup {
			emails := make([]string, 0, contactLookup)
			for _, c := range in[start:min(start+contactLookup, len(in))] {
				emails = append(emails, c.Email)
			}
			var rows []contactRow
			if err := tx.Where("study_id = ? AND email IN ?", st.ID, emails).Find(&rows).Error; err != nil {
				return err
			}
			for i := range rows {
				existing[rows[i].Email] = &rows[i]
			}
		}
		now := time.Now().UTC()
		var created []contactRow
		for _, c := range in {
			rid := c.RID
			if rid == "" {
				rid = survey.ContactRID(key, c.Email)
			}
			if old := existing[c.Email]; old != nil {
				err := tx.Model(&contactRow{}).Where("study_id = ? AND id = ?", st.ID, old.ID).Updates(map[string]any{
					"rid": rid, "name": c.Name, "locale": c.Locale, "attrs": jsonColumn[map[string]string]{c.Attrs}, "updated_at": now}).Error
				if err != nil {
					return err
				}
				out.Updated++
				continue
			}
			created = append(created, contactRow{StudyID: st.ID, ID: survey.NewID(), Email: c.Email, RID: rid, Name: c.Name,
				Locale: c.Locale, Attrs: jsonColumn[map[string]string]{c.Attrs}, CreatedAt: now, UpdatedAt: now})
		}
		out.Created = len(created)
		if len(created) == 0 {
			return nil
		}
		return tx.CreateInBatches(created, 500).Error
	})
	if err != nil {
		return survey.ContactImport{}, storeError("import contacts", err)
	}
	return out, nil
}

// Contacts pages through a study's contacts by id; cursor is the last id
// of the previous page, and the returned cursor is "" on the last page.
func (s *Store) Contacts(ctx context.Context, studyID string, limit int, cursor string) ([]survey.Contact, string, error) {
	q := s.db.WithContext(ctx).Where("study_id = ?", studyID)
	if cursor != "" {
		q = q.Where("id > ?", cursor)
	}
	var rows []contactRow
	if err := q.Order("id").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, "", storeError("list contacts", err)
	}
	next := ""
	if len(rows) > limit {
		rows = rows[:limit]
		next = rows[limit-1].ID
	}
	out := make([]survey.Contact, len(rows))
	for i := range rows {
		out[i] = rows[i].contact()
	}
	return out, next, nil
}

// ContactRID is the respondent id an import gives a contact without one:
// the keyed hash of the email under the installation's key.
func (s *Store) ContactRID(ctx context.Context, email string) (string, error) {
	key, err := s.personKey(ctx)
	if err != nil {
		return "", err
	}
	return survey.ContactRID(key, email), nil
}
