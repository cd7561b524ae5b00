package frontend

import (
	"fmt"
	"io"
	"net/url"
)

// Dash is what every dashboard page shares: the header, the language,
// the form token. The page's own model is Body; each page's template reads
// it as .Body.
type Dash struct {
	Lang  string // "ru" or "en"
	Title string // the page's title, already in Lang
	// User is who is signed in; nil on the sign-in page.
	User *DashUser
	// CSRF is the session's token, sent back in a hidden field "csrf" by
	// every form that changes data.
	CSRF  string
	Nonce string // CSP nonce for the page's own scripts
	// Path is the page's path and query, where the language switch and
	// sign-in return to.
	Path string
	// Nav names the header's current section: studies, new, admin.
	Nav string
	// Notice is a message key (in the i18n table) shown once at the top of
	// the page, after a form post redirected here.
	Notice string
	// Print lays the page out for paper: no header, navigation or controls.
	Print bool
	Body  any
}

// DashUser is the signed-in user as the header shows them.
type DashUser struct {
	Email string
	Role  string // admin, marketer, analyst
	// CanEdit is true for marketers and admins: they build, launch and
	// wire studies and see secrets.
	CanEdit bool
	// IsAdmin is true for admins: users, keys and the audit log.
	IsAdmin bool
}

// Other is the language the switch offers.
func (d *Dash) Other() string {
	if d.Lang == "en" {
		return "ru"
	}
	return "en"
}

// SwitchURL is this page in the other language, for visitors who are not
// signed in (the sign-in page): the same path and query, lang replaced,
// so that where sign-in leads to is kept.
func (d *Dash) SwitchURL() string {
	u, err := url.Parse(d.Path)
	if err != nil {
		return "?lang=" + d.Other()
	}
	q := u.Query()
	q.Set("lang", d.Other())
	return u.Path + "?" + q.Encode()
}

// FieldErrors maps a field's JSON path (questions[2].text.ru) to the
// messages of the API's problem+json for it, for showing each error next
// to its field.
type FieldErrors map[string][]string

// Has reports whether the field, or anything under it, has an error.
func (f FieldErrors) Has(path string) bool {
	return len(f[path]) > 0
}

// Of is the field's messages joined for display.
func (f FieldErrors) Of(path string) string {
	out := ""
	for i, m := range f[path] {
		if i > 0 {
			out += "; "
		}
		out += m
	}
	return out
}

// RenderDash executes the dashboard page template name (a {{define}}d
// name such as "dash_studies") with the page's model.
func RenderDash(w io.Writer, name string, d *Dash) error {
	if err := templates.ExecuteTemplate(w, name, d); err != nil {
		return fmt.Errorf("frontend: render %s: %w", name, err)
	}
	return nil
}
