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

	"gorm.io/gorm"
)

type apiKeyRow struct {
	ID         string `gorm:"primaryKey"`
	Name       string
	Role       string
	Prefix     string
	Hash       string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

func (apiKeyRow) TableName() string { return "api_keys" }

func (r *apiKeyRow) key() survey.APIKey {
	return survey.APIKey{ID: r.ID, Name: r.Name, Role: survey.Role(r.Role), Prefix: r.Prefix,
		CreatedAt: r.CreatedAt.UTC(), LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt)}
}

// hashKey is how keys are stored: a SHA-256 of the whole key. Keys carry 192
// random bits, so a fast hash is enough; there is nothing to brute-force.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey makes a new key and returns it with its plain value, which
// is shown once and never stored.
func (s *Store) CreateAPIKey(ctx context.Context, name string, role survey.Role) (survey.APIKey, string, error) {
	name, err := survey.ValidateKeyName(name)
	if err != nil {
		return survey.APIKey{}, "", err
	}
	plain := survey.KeyPrefix + survey.RandomToken(24)
	row := apiKeyRow{ID: survey.NewID(), Name: name, Role: string(role), Prefix: plain[:len(survey.KeyPrefix)+6],
		Hash: hashKey(plain), CreatedAt: time.Now().UTC()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return survey.APIKey{}, "", fmt.Errorf("store: unable to create key: %w", err)
	}
	return row.key(), plain, nil
}

// Authenticate finds the live key with this plain value; ErrNotFound when
// there is none or it was revoked.
func (s *Store) Authenticate(ctx context.Context, plain string) (survey.APIKey, error) {
	if !strings.HasPrefix(plain, survey.KeyPrefix) {
		return survey.APIKey{}, survey.ErrNotFound
	}
	var row apiKeyRow
	err := s.db.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hashKey(plain)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return survey.APIKey{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.APIKey{}, fmt.Errorf("store: unable to authenticate key: %w", err)
	}
	now := time.Now().UTC()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > survey.KeyUseInterval {
		// Best effort: a failed bookkeeping write must not refuse the request.
		s.db.WithContext(ctx).Model(&apiKeyRow{}).Where("id = ?", row.ID).Update("last_used_at", now)
		row.LastUsedAt = &now
	}
	return row.key(), nil
}

// APIKeys lists every key, newest first, without secrets.
func (s *Store) APIKeys(ctx context.Context) ([]survey.APIKey, error) {
	var rows []apiKeyRow
	if err := s.db.WithContext(ctx).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list keys: %w", err)
	}
	out := make([]survey.APIKey, len(rows))
	for i := range rows {
		out[i] = rows[i].key()
	}
	return out, nil
}

// RevokeAPIKey stops a key from working; revoking twice is harmless.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) (survey.APIKey, error) {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&apiKeyRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now)
	if res.Error != nil {
		return survey.APIKey{}, fmt.Errorf("store: unable to revoke key: %w", res.Error)
	}
	var row apiKeyRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return survey.APIKey{}, survey.ErrNotFound
	}
	if err != nil {
		return survey.APIKey{}, fmt.Errorf("store: unable to revoke key: %w", err)
	}
	return row.key(), nil
}
