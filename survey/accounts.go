package survey

import (
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
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

// KeyUseInterval is how often a key's last-used time is written: often
// enough to tell a live key from a dead one, rarely enough that
// authentication does not write on every request.
const KeyUseInterval = time.Minute

// User is a dashboard user.
type User struct {
	ID          string     `json:"id"`
	Email       string     `json:"email"`
	Role        Role       `json:"role"`
	CreatedAt   time.Time  `json:"created_at"`
	LastLoginAt *time.Time `json:"last_login_at"`
	// Language is the dashboard language the user chose (ru or en), or
	// empty when the browser's language decides.
	Language string `json:"language,omitempty"`
}

// MinPasswordLength is the shortest password a user may have.
const MinPasswordLength = 10

// ErrBadCredentials means the email or password is wrong; which one is not said.
var ErrBadCredentials = errors.New("wrong email or password")

// Session is a signed-in dashboard user.
type Session struct {
	User      User
	CSRFToken string
	ExpiresAt time.Time
}

// SessionTTL is how long a dashboard session lasts.
const SessionTTL = 12 * time.Hour

// Login throttling: at most LoginMaxFailures failed logins per account and
// per IP within LoginWindow.
const (
	LoginMaxFailures = 10
	LoginWindow      = 15 * time.Minute
)

// ValidateUser checks a new dashboard user and returns the email as it is
// stored (trimmed, lower case), or a *ValidationError naming every problem.
func ValidateUser(email string, role Role, password string) (string, error) {
	v := &ValidationError{}
	email = strings.ToLower(strings.TrimSpace(email))
	switch {
	case TextProblem(email) != "":
		v.checkText("email", email)
	case utf8.RuneCountInString(email) > MaxEmailLength:
		v.checkLength("email", email, MaxEmailLength)
	default:
		if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
			v.Add("email", "must be an email address such as anna@example.com")
		}
	}
	if _, err := ParseRole(string(role)); err != nil {
		v.Add("role", "%v", err)
	}
	if len(password) < MinPasswordLength || len(password) > 72 {
		v.Add("password", "must be %d to 72 characters", MinPasswordLength)
	}
	if err := v.Err(); err != nil {
		return "", err
	}
	return email, nil
}

// ValidateKeyName checks an API key's name and returns it trimmed.
func ValidateKeyName(name string) (string, error) {
	name = strings.TrimSpace(name)
	v := &ValidationError{}
	if name == "" || utf8.RuneCountInString(name) > MaxKeyNameLength {
		v.Add("name", "must be 1 to %d characters", MaxKeyNameLength)
	}
	v.checkText("name", name)
	if err := v.Err(); err != nil {
		return "", err
	}
	return name, nil
}
