package api

import (
	"strconv"

	"github.com/labstack/echo/v4"
)

// pageLimit reads the limit query parameter of a paged list: def when it
// is absent, else a whole number from 1 to most, or a 400 naming it.
func pageLimit(c echo.Context, def, most int) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, badParam("limit", "must be an integer from 1 to %d, got %q", most, v)
	}
	return n, nil
}
