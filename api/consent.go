package api

import (
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// ConsentList is every consent text a study has asked for, oldest first.
type ConsentList struct {
	Current  int                     `json:"current"` // the version the survey shows now; 0 for none
	Versions []survey.ConsentVersion `json:"versions"`
}

// consentVersions lists a study's consent versions: the proof, with each
// response's consent_version and consent_sha256, of what was accepted.
func (s *Server) consentVersions(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	versions, err := s.store.ConsentVersions(c.Request().Context(), st.ID)
	if err != nil {
		return studyError(err)
	}
	return writeJSON(c, http.StatusOK, ConsentList{Current: st.ConsentVersion, Versions: versions})
}
