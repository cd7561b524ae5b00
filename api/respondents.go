package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// eraseRespondent deletes one respondent's response and exposures.
func (s *Server) eraseRespondent(c echo.Context) error {
	res, err := s.store.EraseRespondent(c.Request().Context(), c.Param("id"), c.Param("rid"))
	if err != nil {
		return studyError(err)
	}
	s.audit(c, principal(c), "respondent.erase", c.Param("id"), map[string]any{
		"responses_deleted": res.Responses, "exposures_deleted": res.Exposures})
	return writeJSON(c, http.StatusOK, res)
}
