package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// openapiDocument is the OpenAPI 3.1 document of every route. The tests
// check that it lists exactly the route table's routes with their roles,
// and validate every API test's request and response against it.
//
//go:embed openapi.json
var openapiDocument []byte

// openapi serves the document. It is public and may be read from any
// origin, so that API tools can load it from the running server.
func (s *Server) openapi(c echo.Context) error {
	h := c.Response().Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, openapiDocument)
}
