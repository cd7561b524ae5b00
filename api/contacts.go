package api

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"unicode/utf8"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// contactsBodyLimit bounds an import: 50,000 contacts with attributes fit.
const contactsBodyLimit = 16 << 20

// ContactsRequest is the JSON form of an import.
type ContactsRequest struct {
	Contacts []survey.ContactInput `json:"contacts"`
}

// importContacts answers POST /api/v1/studies/{id}/contacts: a CSV file
// (text/csv) or JSON ({"contacts": [...]}); every bad row is named and
// nothing is imported unless all are good.
func (s *Server) importContacts(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	var in []survey.ContactInput
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	switch mt {
	case "text/csv":
		body, err := io.ReadAll(http.MaxBytesReader(c.Response(), c.Request().Body, contactsBodyLimit))
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return newProblem(http.StatusRequestEntityTooLarge, "too-large", fmt.Sprintf("request body exceeds the limit of %d bytes", contactsBodyLimit))
		}
		if err != nil {
			return badRequest("unable to read the request body")
		}
		if !utf8.Valid(body) {
			v := &survey.ValidationError{}
			v.Add("contacts", "the file is not UTF-8; save it as CSV UTF-8")
			return v
		}
		if in, err = survey.ParseContactsCSV(bytes.NewReader(body)); err != nil {
			return err
		}
	default:
		var req ContactsRequest
		if err := decodeJSON(c, contactsBodyLimit, &req); err != nil {
			var p *Problem
			if errors.As(err, &p) && p.Status == http.StatusUnsupportedMediaType {
				p.Detail = fmt.Sprintf("Content-Type %q is not accepted; send text/csv or application/json", c.Request().Header.Get(echo.HeaderContentType))
			}
			return err
		}
		in = req.Contacts
	}
	res, err := s.store.ImportContacts(c.Request().Context(), st, in)
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "contacts.import", st.ID, map[string]any{"created": res.Created, "updated": res.Updated})
	return writeJSON(c, http.StatusOK, res)
}

// listContacts answers GET /api/v1/studies/{id}/contacts, by id, paged.
func (s *Server) listContacts(c echo.Context) error {
	st, limit, cursor, err := s.studyAndPage(c)
	if err != nil {
		return err
	}
	cs, next, err := s.store.Contacts(c.Request().Context(), st.ID, limit, cursor)
	if err != nil {
		return err
	}
	out := map[string]any{"contacts": cs}
	if next != "" {
		out["next_cursor"] = next
	}
	return writeJSON(c, http.StatusOK, out)
}
