package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

type userRow struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	Role         string
	PasswordHash string
	CreatedAt    time.Time
	LastLoginAt  *time.Time
	DisabledAt   *time.Time
	Language     string
}

func (userRow) TableName() string { return "users" }

func (r *userRow) user() survey.User {
	return survey.User{ID: r.ID, Email: r.Email, Role: survey.Role(r.Role), CreatedAt: r.CreatedAt.UTC(), LastLoginAt: utcPtr(r.LastLoginAt), Language: r.Language}
}

// CreateUser adds a dashboard user with a bcrypt hash of the password.
func (s *Store) CreateUser(ctx context.Context, email string, role survey.Role, password string) (survey.User, error) {
	email, err := survey.ValidateUser(email, role, password)
	if err != nil {
		return survey.User{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	if err != nil {
		return survey.User{}, fmt.Errorf("store: unable to hash password: %w", err)
	}
	row := userRow{ID: survey.NewID(), Email: email, Role: string(role), PasswordHash: string(hash), CreatedAt: time.Now().UTC()}
	var n int64
	if err := s.db.WithContext(ctx).Model(&userRow{}).Where("email = ?", email).Count(&n).Error; err != nil {
		return survey.User{}, fmt.Errorf("store: unable to create user: %w", err)
	}
	if n > 0 {
		return survey.User{}, &survey.ValidationError{Errors: []survey.FieldError{{Field: "email", Message: "a user with this email exists"}}}
	}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return survey.User{}, fmt.Errorf("store: unable to create user: %w", err)
	}
	return row.user(), nil
}

// Users lists the active users, oldest first.
func (s *Store) Users(ctx context.Context) ([]survey.User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Where("disabled_at IS NULL").Order("id").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list users: %w", err)
	}
	out := make([]survey.User, len(rows))
	for i := range rows {
		out[i] = rows[i].user()
	}
	return out, nil
}

// CountUsers counts active users; the first-run bootstrap creates an admin
// only when there is none.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&userRow{}).Where("disabled_at IS NULL").Count(&n).Error
	return n, err
}

// DisableUser removes a user's access and ends their sessions. The row is
// kept so that the audit log still names who did what.
func (s *Store) DisableUser(ctx context.Context, id string) (survey.User, error) {
	var row userRow
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("id = ? AND disabled_at IS NULL", id).Take(&row).Error; err != nil {
			return err
		}
		now := time.Now().UTC()
		if err := tx.Model(&userRow{}).Where("id = ?", id).Update("disabled_at", now).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", id).Delete(&sessionRow{}).Error
	})
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return survey.User{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.User{}, fmt.Errorf("store: unable to disable user: %w", err)
	}
	return row.user(), nil
}

// dummyHash is compared against when an email is unknown, so that a
// login takes as long whether or not the account exists.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("brandlift-dummy-password"), bcrypt.DefaultCost)

// CheckPassword returns the user with this email and password.
func (s *Store) CheckPassword(ctx context.Context, email, password string) (survey.User, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if survey.TextProblem(email) != "" {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return survey.User{}, survey.ErrBadCredentials // no user has such an email
	}
	var row userRow
	err := s.db.WithContext(ctx).Where("email = ? AND disabled_at IS NULL", email).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return survey.User{}, survey.ErrBadCredentials
	}
	if err != nil {
		return survey.User{}, fmt.Errorf("store: unable to read user: %w", err)
	}
	if bcrypt.CompareHashAndPassword([]byte(row.PasswordHash), []byte(password)) != nil {
		return survey.User{}, survey.ErrBadCredentials
	}
	now := time.Now().UTC()
	s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", row.ID).Update("last_login_at", now)
	row.LastLoginAt = &now
	return row.user(), nil
}

type sessionRow struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	CSRFToken string
	CreatedAt time.Time
	ExpiresAt time.Time
}

func (sessionRow) TableName() string { return "sessions" }

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a session and returns the cookie value, which is
// stored only as a hash.
func (s *Store) CreateSession(ctx context.Context, u survey.User) (string, survey.Session, error) {
	token := survey.RandomToken(32)
	now := time.Now().UTC()
	row := sessionRow{ID: hashToken(token), UserID: u.ID, CSRFToken: survey.RandomToken(24), CreatedAt: now, ExpiresAt: now.Add(survey.SessionTTL)}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return "", survey.Session{}, fmt.Errorf("store: unable to create session: %w", err)
	}
	return token, survey.Session{User: u, CSRFToken: row.CSRFToken, ExpiresAt: row.ExpiresAt}, nil
}

// SessionByToken finds a live session by its cookie value.
func (s *Store) SessionByToken(ctx context.Context, token string) (survey.Session, error) {
	var row sessionRow
	err := s.db.WithContext(ctx).Where("id = ? AND expires_at > ?", hashToken(token), time.Now().UTC()).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return survey.Session{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.Session{}, fmt.Errorf("store: unable to read session: %w", err)
	}
	var u userRow
	err = s.db.WithContext(ctx).Where("id = ? AND disabled_at IS NULL", row.UserID).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return survey.Session{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.Session{}, fmt.Errorf("store: unable to read session user: %w", err)
	}
	return survey.Session{User: u.user(), CSRFToken: row.CSRFToken, ExpiresAt: row.ExpiresAt.UTC()}, nil
}

// DeleteSession ends a session (logout).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	return s.db.WithContext(ctx).Where("id = ?", hashToken(token)).Delete(&sessionRow{}).Error
}

type loginFailureRow struct {
	Key string
	At  time.Time
}

func (loginFailureRow) TableName() string { return "login_failures" }

// LoginBlocked reports whether any of the keys has used up its failures,
// and when the oldest failure in the window expires.
func (s *Store) LoginBlocked(ctx context.Context, keys ...string) (bool, time.Duration, error) {
	since := time.Now().UTC().Add(-survey.LoginWindow)
	for _, k := range keys {
		var rows []loginFailureRow
		err := s.db.WithContext(ctx).Where("key = ? AND at > ?", k, since).Order("at").Limit(survey.LoginMaxFailures).Find(&rows).Error
		if err != nil {
			return false, 0, fmt.Errorf("store: unable to read login failures: %w", err)
		}
		if len(rows) >= survey.LoginMaxFailures {
			return true, max(time.Second, time.Until(rows[0].At.Add(survey.LoginWindow))), nil
		}
	}
	return false, 0, nil
}

// RecordLoginFailure counts a failed login against each key and drops
// failures older than the window.
func (s *Store) RecordLoginFailure(ctx context.Context, keys ...string) error {
	now := time.Now().UTC()
	rows := make([]loginFailureRow, len(keys))
	for i, k := range keys {
		rows[i] = loginFailureRow{Key: k, At: now}
	}
	db := s.db.WithContext(ctx)
	db.Where("at < ?", now.Add(-survey.LoginWindow)).Delete(&loginFailureRow{})
	if err := db.Create(&rows).Error; err != nil {
		return fmt.Errorf("store: unable to record login failure: %w", err)
	}
	return nil
}

// SetUserLanguage remembers the dashboard language a user chose.
func (s *Store) SetUserLanguage(ctx context.Context, id, lang string) error {
	if lang != "ru" && lang != "en" {
		return &survey.ValidationError{Errors: []survey.FieldError{{Field: "language", Message: "must be ru or en"}}}
	}
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ? AND disabled_at IS NULL", id).Update("language", lang)
	if res.Error != nil {
		return fmt.Errorf("store: unable to set the user's language: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return survey.ErrNotFound
	}
	return nil
}
