package survey

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/mail"
	"slices"
	"strings"
	"time"
)

// MaxContactsPerImport bounds one import, so that it is one transaction of
// bounded size.
const MaxContactsPerImport = 50000

// maxEmailLength is RFC 5321's limit on a path.
const maxEmailLength = 254

// ContactInput is one contact of an import: the customer an NPS study
// invites by email.
type ContactInput struct {
	Email string `json:"email"`
	// RID is the respondent id the contact's links carry; empty, it is a
	// keyed hash of the email (ContactRID).
	RID    string            `json:"rid,omitempty"`
	Name   string            `json:"name,omitempty"`
	Locale string            `json:"locale,omitempty"`
	Attrs  map[string]string `json:"attrs,omitempty"`
	// line is the CSV line the contact came from (0 for JSON), for
	// messages.
	line int
}

// Contact is a stored contact.
type Contact struct {
	ID        string            `json:"id"`
	Email     string            `json:"email"`
	RID       string            `json:"rid"`
	Name      string            `json:"name,omitempty"`
	Locale    string            `json:"locale,omitempty"`
	Attrs     map[string]string `json:"attrs"`
	CreatedAt time.Time         `json:"created_at"`
	UpdatedAt time.Time         `json:"updated_at"`
	// BouncedAt is when an email to the contact bounced (the server
	// refused the address); no invitation is sent to it after that.
	BouncedAt    *time.Time `json:"bounced_at"`
	BounceReason string     `json:"bounce_reason,omitempty"`
}

// ContactImport is what an import did.
type ContactImport struct {
	Created int `json:"created"`
	Updated int `json:"updated"`
}

// ContactRID is a contact's default respondent id: a keyed hash of the
// email under the installation's person key, so that the email itself
// never travels in links, and the same customer has the same id in every
// study here (which throttling across studies matches on).
func ContactRID(personKey []byte, email string) string {
	m := hmac.New(sha256.New, personKey)
	m.Write([]byte("contact\x00"))
	m.Write([]byte(NormalizeEmail(email)))
	return "c_" + hex.EncodeToString(m.Sum(nil)[:12])
}

// PersonHash is the installation-wide hash of a respondent id under the
// installation's person key: the same person in any study hashes alike.
func PersonHash(personKey []byte, rid string) string {
	m := hmac.New(sha256.New, personKey)
	m.Write([]byte("person\x00"))
	m.Write([]byte(rid))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// NormalizeEmail is the form an email is stored and compared in: trimmed
// and lower-cased.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// validEmail says what is wrong with an address, or "".
func validEmail(email string) string {
	switch {
	case email == "":
		return "is required"
	case len(email) > maxEmailLength:
		return fmt.Sprintf("must be at most %d characters", maxEmailLength)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || a.Name != "" {
		return fmt.Sprintf("is not an email address: %q", email)
	}
	return ""
}

// ValidateContacts checks an import against the study: every problem is
// named by its path (contacts[3].email) and, for a CSV file, its line;
// a file with any problem imports nothing.
func (st *Study) ValidateContacts(in []ContactInput) error {
	v := &ValidationError{}
	switch n := len(in); {
	case n == 0:
		v.Add("contacts", "must list at least one contact")
	case n > MaxContactsPerImport:
		v.Add("contacts", "at most %d per import, got %d", MaxContactsPerImport, n)
	}
	if len(v.Errors) > 0 {
		return v
	}
	seen := map[string]int{}
	for i := range in {
		c := &in[i]
		c.Email = NormalizeEmail(c.Email)
		at := ""
		if c.line > 0 {
			at = fmt.Sprintf(" (line %d)", c.line)
		}
		path := fmt.Sprintf("contacts[%d]", i)
		// A NUL or a control character would be refused by the database
		// (or break a header line of the email): named here instead.
		texts := [][2]string{{"email", c.Email}, {"rid", c.RID}, {"name", c.Name}, {"locale", c.Locale}}
		for _, k := range sortedKeys(c.Attrs) {
			texts = append(texts, [2]string{"attrs." + k, c.Attrs[k]})
		}
		for _, t := range texts {
			if msg := TextProblem(t[1]); msg != "" {
				v.Add(path+"."+t[0], "%s%s", msg, at)
			}
		}
		if len(v.Errors) > 0 && strings.HasPrefix(v.Errors[len(v.Errors)-1].Field, path+".") {
			continue
		}
		if msg := validEmail(c.Email); msg != "" {
			v.Add(path+".email", "%s%s", msg, at)
		} else if j, dup := seen[c.Email]; dup {
			v.Add(path+".email", "repeats contacts[%d]'s %s%s", j, c.Email, at)
		} else {
			seen[c.Email] = i
		}
		if len(c.RID) > MaxRIDLength {
			v.Add(path+".rid", "must be at most %d characters%s", MaxRIDLength, at)
		}
		if len(c.Name) > 200 {
			v.Add(path+".name", "must be at most 200 characters%s", at)
		}
		if c.Locale != "" && !slices.Contains(st.Locales, c.Locale) {
			v.Add(path+".locale", "must be one of the study's languages (%s), got %q%s", strings.Join(st.Locales, ", "), c.Locale, at)
		}
		if len(c.Attrs) > MaxAttrs {
			v.Add(path+".attrs", "at most %d attributes, got %d%s", MaxAttrs, len(c.Attrs), at)
		}
		for _, k := range sortedKeys(c.Attrs) {
			val := c.Attrs[k]
			switch {
			case !IsKey(k):
				v.Add(path+".attrs."+k, "is not an attribute name: lower-case letters, digits and _, starting with a letter%s", at)
			case len(val) > MaxAttrValue:
				v.Add(path+".attrs."+k, "must be at most %d characters%s", MaxAttrValue, at)
			}
		}
	}
	if len(v.Errors) > 0 {
		return v
	}
	return nil
}

// contactColumns are a contacts CSV's own columns; every other column is
// an attribute.
var contactColumns = []string{"email", "rid", "name", "locale"}

// ParseContactsCSV reads a contacts file: a header row naming the columns
// (email required; rid, name and locale optional; any other column an
// attribute such as plan or country), then one contact per row, UTF-8,
// comma- or semicolon-separated. Empty attribute cells are left out.
func ParseContactsCSV(r io.Reader) ([]ContactInput, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text := strings.TrimPrefix(string(raw), "\uFEFF") // Excel's byte order mark
	first, _, _ := strings.Cut(text, "\n")
	cr := csv.NewReader(strings.NewReader(text))
	if strings.Count(first, ";") > strings.Count(first, ",") {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	v := &ValidationError{}
	if errors.Is(err, io.EOF) {
		v.Add("contacts", "the file is empty: the first line names the columns, such as email,name,plan")
		return nil, v
	}
	if err != nil {
		v.Add("contacts", "line 1 is not CSV: %v", err)
		return nil, v
	}
	cols := make([]string, len(header))
	for i, h := range header {
		cols[i] = strings.ToLower(strings.TrimSpace(h))
		switch {
		case cols[i] == "":
			v.Add(fmt.Sprintf("columns[%d]", i), "column %d has no name (line 1)", i+1)
		case !slices.Contains(contactColumns, cols[i]) && !IsKey(cols[i]):
			v.Add(fmt.Sprintf("columns[%d]", i), "%q is not a column name: email, rid, name, locale or an attribute (lower-case letters, digits and _)", h)
		case slices.Index(cols, cols[i]) < i:
			v.Add(fmt.Sprintf("columns[%d]", i), "repeats the column %q", h)
		}
	}
	if !slices.Contains(cols, "email") {
		v.Add("columns", "the file needs an email column (line 1)")
	}
	if len(v.Errors) > 0 {
		return nil, v
	}
	var out []ContactInput
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			v.Add(fmt.Sprintf("contacts[%d]", len(out)), "line %d is not CSV: %v", line, err)
			return nil, v
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line
		}
		if len(rec) != len(cols) {
			v.Add(fmt.Sprintf("contacts[%d]", len(out)), "line %d has %d cells, the header %d", line, len(rec), len(cols))
		}
		c := ContactInput{line: line}
		for i, val := range rec {
			if i >= len(cols) {
				break
			}
			val = strings.TrimSpace(val)
			switch cols[i] {
			case "email":
				c.Email = val
			case "rid":
				c.RID = val
			case "name":
				c.Name = val
			case "locale":
				c.Locale = val
			default:
				if val != "" {
					if c.Attrs == nil {
						c.Attrs = map[string]string{}
					}
					c.Attrs[cols[i]] = val
				}
			}
		}
		out = append(out, c)
		if len(out) > MaxContactsPerImport {
			break // ValidateContacts names the limit
		}
	}
	if len(v.Errors) > 0 {
		return nil, v
	}
	return out, nil
}

// sortedKeys lists a map's keys in order, so that the same import always
// lists its problems in the same order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
