package api

import (
	"net/http"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// Assignment is the holdout answer for one respondent.
type Assignment struct {
	Group survey.Group `json:"group"`
	// Cell is an exposed respondent's creative cell in a multi-cell study.
	Cell string `json:"cell,omitempty"`
}

// assignment answers an ad server's "which group is this rid in?" from the
// keyed hash alone: nothing is stored, every replica agrees.
func (s *Server) assignment(c echo.Context) error {
	rid := c.QueryParam("rid")
	if msg := survey.RIDProblem(rid); msg != "" {
		return badParam("rid", "is required: %s", msg)
	}
	st, err := s.store.PublicStudy(c.Request().Context(), c.Param("public_key"))
	if err != nil {
		return studyError(err)
	}
	if st.Assignment != survey.AssignHoldout {
		p := newProblem(http.StatusConflict, "not-holdout", "this study assigns groups by "+string(st.Assignment)+", not by holdout")
		return p
	}
	// The answer never changes for a rid, so caches may keep it.
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return writeJSON(c, http.StatusOK, Assignment{Group: st.HoldoutGroup(rid), Cell: st.HoldoutCell(rid)})
}
