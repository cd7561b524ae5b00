package api

import (
	"strconv"

	"github.com/brandlift/brandlift/survey"
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

// studyAndPage reads what a paged list under one study needs: the study the
// caller may see, the limit (100 by default, 1000 at most) and the cursor.
func (s *Server) studyAndPage(c echo.Context) (st *survey.Study, limit int, cursor string, err error) {
	if st, err = s.study(c); err != nil {
		return nil, 0, "", err
	}
	if limit, err = pageLimit(c, 100, 1000); err != nil {
		return nil, 0, "", err
	}
	return st, limit, c.QueryParam("cursor"), nil
}
