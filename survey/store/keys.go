package survey

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Role is what a key or user may do.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin    Role = "admin"    // users, keys, everything
	RoleMarketer Role = "marketer" // studies, links, results, exports
	RoleAnalyst  Role = "analyst"  // read studies, results and exports
)

// ParseRole checks a role name.
func ParseRole(name string) (Role, error) {
	switch r := Role(name); r {
	case RoleAdmin, RoleMarketer, RoleAnalyst:
		return r, nil
	}
	return "", fmt.Errorf("unknown role %q; valid: admin, marketer, analyst", name)
}

// KeyPrefix starts every API key, so that a leaked key is easy to recognise
// in logs and by secret scanners.
const KeyPrefix = "bl_"

// APIKey describes a key without its secret.
type APIKey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	Role       Role       `json:"role"`
	Prefix     string     `json:"prefix"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
}

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

func (r *apiKeyRow) key() APIKey {
	return APIKey{ID: r.ID, Name: r.Name, Role: Role(r.Role), Prefix: r.Prefix,
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
func (s *Store) CreateAPIKey(ctx context.Context, name string, role Role) (APIKey, string, error) {
	name = strings.TrimSpace(name)
	v := &ValidationError{}
	if name == "" || utf8.RuneCountInString(name) > MaxKeyNameLength {
		v.add("name", "must be 1 to %d characters", MaxKeyNameLength)
	}
	v.checkText("name", name)
	if err := v.orNil(); err != nil {
		return APIKey{}, "", err
	}
	plain := KeyPrefix + randomToken(24)
	row := apiKeyRow{ID: NewID(), Name: name, Role: string(role), Prefix: plain[:len(KeyPrefix)+6],
		Hash: hashKey(plain), CreatedAt: time.Now().UTC()}
	if err := s.db.WithContext(ctx).Create(&row).Error; err != nil {
		return APIKey{}, "", fmt.Errorf("store: unable to create key: %w", err)
	}
	return row.key(), plain, nil
}

// KeyUseInterval is how often a key's last-used time is written: often
// enough to tell a live key from a dead one, rarely enough that
// authentication does not write on every request.
const KeyUseInterval = time.Minute

// Authenticate finds the live key with this plain value; ErrNotFound when
// there is none or it was revoked.
func (s *Store) Authenticate(ctx context.Context, plain string) (APIKey, error) {
	if !strings.HasPrefix(plain, KeyPrefix) {
		return APIKey{}, ErrNotFound
	}
	var row apiKeyRow
	err := s.db.WithContext(ctx).Where("hash = ? AND revoked_at IS NULL", hashKey(plain)).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return APIKey{}, ErrNotFound
	}
	if err != nil {
		return APIKey{}, fmt.Errorf("store: unable to authenticate key: %w", err)
	}
	now := time.Now().UTC()
	if row.LastUsedAt == nil || now.Sub(*row.LastUsedAt) > KeyUseInterval {
		// Best effort: a failed bookkeeping write must not refuse the request.
		s.db.WithContext(ctx).Model(&apiKeyRow{}).Where("id = ?", row.ID).Update("last_used_at", now)
		row.LastUsedAt = &now
	}
	return row.key(), nil
}

// APIKeys lists every key, newest first, without secrets.
func (s *Store) APIKeys(ctx context.Context) ([]APIKey, error) {
	var rows []apiKeyRow
	if err := s.db.WithContext(ctx).Order("id DESC").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list keys: %w", err)
	}
	out := make([]APIKey, len(rows))
	for i := range rows {
		out[i] = rows[i].key()
	}
	return out, nil
}

// RevokeAPIKey stops a key from working; revoking twice is harmless.
func (s *Store) RevokeAPIKey(ctx context.Context, id string) (APIKey, error) {
	now := time.Now().UTC()
	res := s.db.WithContext(ctx).Model(&apiKeyRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", now)
	if res.Error != nil {
		return APIKey{}, fmt.Errorf("store: unable to revoke key: %w", res.Error)
	}
	var row apiKeyRow
	err := s.db.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return APIKey{}, ErrNotFound
	}
	if err != nil {
		return APIKey{}, fmt.Errorf("store: unable to revoke key: %w", err)
	}
	return row.key(), nil
}
