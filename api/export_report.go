package api

import (
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// reportFormats are the file formats of the report export.
var reportFormats = []string{"csv", "xlsx"}

// writeReportFile sends the report as a file.
func (s *Server) writeReportFile(c echo.Context, r *survey.Report, format string) error {
	return newProblem(http.StatusNotImplemented, "not-implemented", "report export as "+format+" is being built")
}
