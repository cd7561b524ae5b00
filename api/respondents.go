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
	return writeJSON(c, http.StatusOK, res)
}
