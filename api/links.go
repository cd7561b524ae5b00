package api

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// MaxLinksPerCall bounds one links request.
const MaxLinksPerCall = 10000

// linksBodyLimit fits MaxLinksPerCall respondents with attributes.
const linksBodyLimit = 8 << 20

// LinksRequest is the body of POST /api/v1/studies/{id}/links.
type LinksRequest struct {
	Respondents []LinkRespondent `json:"respondents"`
	// ExpiresAt applies to every link unless a respondent names its own.
	ExpiresAt *time.Time `json:"expires_at"`
}

// LinkRespondent is one respondent to mint a link for.
type LinkRespondent struct {
	RID   string       `json:"rid"`
	Group survey.Group `json:"group"`
	// Cell is an exposed respondent's creative cell in a multi-cell
	// signed-link study; Wave the wave of a wave series (optional: the
	// wave fielding when the respondent answers otherwise).
	Cell      string            `json:"cell"`
	Wave      string            `json:"wave"`
	Attrs     map[string]string `json:"attrs"`
	Locale    string            `json:"locale"`
	ExpiresAt *time.Time        `json:"expires_at"`
}

// Link is one minted survey link.
type Link struct {
	RID   string `json:"rid"`
	URL   string `json:"url"`
	Token string `json:"token"`
}

func (s *Server) createLinks(c echo.Context) error {
	var in LinksRequest
	if err := decodeJSON(c, linksBodyLimit, &in); err != nil {
		return err
	}
	st, err := s.study(c)
	if err != nil {
		return err
	}
	links, err := s.mintLinks(st, &in, time.Now())
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "links.create", st.ID, map[string]any{"count": len(links)})
	return writeJSON(c, http.StatusOK, map[string][]Link{"links": links})
}

// mintLinks signs a link for each respondent of the request, or reports
// every problem at once by path (respondents[12].attrs.age) and mints
// nothing. The API and the dashboard's links form both mint through it.
func (s *Server) mintLinks(st *survey.Study, in *LinksRequest, now time.Time) ([]Link, error) {
	v := &survey.ValidationError{}
	switch n := len(in.Respondents); {
	case n == 0:
		v.Errors = append(v.Errors, survey.FieldError{Field: "respondents", Message: "must list at least one respondent"})
	case n > MaxLinksPerCall:
		v.Errors = append(v.Errors, survey.FieldError{Field: "respondents", Message: fmt.Sprintf("at most %d per call, got %d", MaxLinksPerCall, n)})
	}
	if len(v.Errors) > 0 {
		return nil, v
	}
	links := make([]Link, len(in.Respondents))
	for i, r := range in.Respondents {
		path := fmt.Sprintf("respondents[%d]", i)
		t := survey.Token{Study: st.PublicKey, RID: r.RID, Group: r.Group, Cell: r.Cell, Wave: r.Wave, Attrs: r.Attrs, Locale: r.Locale}
		exp := in.ExpiresAt
		if r.ExpiresAt != nil {
			exp = r.ExpiresAt
		}
		if exp != nil {
			if !exp.After(now) {
				v.Errors = append(v.Errors, survey.FieldError{Field: path + ".expires_at", Message: "must be in the future"})
			}
			t.Expires = exp.Unix()
		}
		v.Errors = append(v.Errors, linkGroupErrors(st, path, r.Group)...)
		v.Errors = append(v.Errors, linkDesignErrors(st, path, &t)...)
		if err := t.Validate(); err != nil {
			for _, fe := range err.(*survey.ValidationError).Errors {
				v.Errors = append(v.Errors, survey.FieldError{Field: path + "." + tokenField(fe.Field), Message: fe.Message})
			}
		}
		if r.Locale != "" && !slices.Contains(st.Locales, r.Locale) {
			v.Errors = append(v.Errors, survey.FieldError{Field: path + ".locale", Message: "not one of the study's locales"})
		}
		if len(v.Errors) > 0 {
			continue // keep collecting problems; mint nothing
		}
		token := st.SignToken(&t)
		links[i] = Link{RID: r.RID, Token: token, URL: s.cfg.BaseURL + "/s/" + st.PublicKey + "?t=" + url.QueryEscape(token)}
	}
	if len(v.Errors) > 0 {
		return nil, v
	}
	return links, nil
}

// linkGroupErrors checks the group against the study's assignment mode:
// only signed_link studies carry it in the token.
func linkGroupErrors(st *survey.Study, path string, g survey.Group) []survey.FieldError {
	switch {
	case st.HasGroups() && st.Assignment == survey.AssignSignedLink && g == "":
		return []survey.FieldError{{Field: path + ".group", Message: "is required for a signed_link study: exposed or control"}}
	case (!st.HasGroups() || st.Assignment != survey.AssignSignedLink) && g != "":
		return []survey.FieldError{{Field: path + ".group", Message: "must be empty: this study decides groups itself"}}
	}
	return nil
}

// linkDesignErrors checks a link's cell and wave against the study: the
// same rules the survey applies when the link is opened, so that no link
// is minted that cannot be answered.
func linkDesignErrors(st *survey.Study, path string, t *survey.Token) []survey.FieldError {
	var out []survey.FieldError
	if t.Group == survey.GroupExposed || t.Cell != "" {
		if _, err := st.TokenCell(t, t.Group); err != nil {
			out = append(out, survey.FieldError{Field: path + ".cell", Message: tokenProblem(err)})
		}
	}
	if t.Wave != "" || !st.HasWaves() {
		if _, err := st.WaveFor(t, time.Time{}); err != nil && !errors.Is(err, survey.ErrWaveClosed) {
			out = append(out, survey.FieldError{Field: path + ".wave", Message: tokenProblem(err)})
		}
	}
	return out
}

// tokenProblem is a token error's message without its generic prefix.
func tokenProblem(err error) string {
	msg := err.Error()
	for _, prefix := range []string{survey.ErrTokenMalformed.Error() + ": ", survey.ErrWaveClosed.Error() + ": "} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	return msg
}

// tokenField maps the token's compact names back to the request's.
func tokenField(f string) string {
	switch {
	case f == "r":
		return "rid"
	case f == "g":
		return "group"
	case f == "l":
		return "locale"
	case f == "c":
		return "cell"
	case f == "w":
		return "wave"
	case len(f) > 2 && f[:2] == "a.":
		return "attrs." + f[2:]
	case f == "a":
		return "attrs"
	}
	return f
}
