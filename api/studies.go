package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// StudyList is a page of studies.
type StudyList struct {
	Studies    []survey.Study `json:"studies"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

func (s *Server) createStudy(c echo.Context) error {
	var in survey.StudyInput
	if err := decodeJSON(c, managementBodyLimit, &in); err != nil {
		return err
	}
	st, err := s.store.CreateStudy(c.Request().Context(), &in)
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "study.create", st.ID, map[string]any{"name": st.Name, "kind": st.Kind})
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/studies/"+st.ID)
	return writeJSON(c, http.StatusCreated, view(c, st))
}

func (s *Server) listStudies(c echo.Context) error {
	f := store.StudyFilter{Cursor: c.QueryParam("cursor")}
	limit, err := pageLimit(c, 0, store.MaxPageSize) // 0: the store's default
	if err != nil {
		return err
	}
	f.Limit = limit
	switch st := survey.Status(c.QueryParam("status")); st {
	case "", survey.StatusDraft, survey.StatusLive, survey.StatusPaused, survey.StatusClosed:
		f.Status = st
	default:
		return badParam("status", "unknown status %q; valid: draft, live, paused, closed", st)
	}
	switch k := survey.Kind(c.QueryParam("kind")); k {
	case "", survey.KindBrandLift, survey.KindNPS:
		f.Kind = k
	default:
		return badParam("kind", "unknown kind %q; valid: brand_lift, nps", k)
	}
	studies, next, err := s.store.Studies(c.Request().Context(), f)
	if err != nil {
		return err
	}
	for i := range studies {
		studies[i] = *view(c, &studies[i])
	}
	return writeJSON(c, http.StatusOK, StudyList{Studies: studies, NextCursor: next})
}

func (s *Server) getStudy(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, view(c, st))
}

func (s *Server) patchStudy(c echo.Context) error {
	var in survey.StudyInput
	if err := decodeJSON(c, managementBodyLimit, &in); err != nil {
		return err
	}
	st, err := s.store.UpdateStudy(c.Request().Context(), c.Param("id"), &in)
	if err != nil {
		return studyError(err)
	}
	s.audit(c, principal(c), "study.update", st.ID, nil)
	return writeJSON(c, http.StatusOK, view(c, st))
}

func (s *Server) deleteStudy(c echo.Context) error {
	force := false
	if v := c.QueryParam("force"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return badParam("force", "must be true or false, got %q", v)
		}
		force = b
	}
	if err := s.store.DeleteStudy(c.Request().Context(), c.Param("id"), force); err != nil {
		return studyError(err)
	}
	s.audit(c, principal(c), "study.delete", c.Param("id"), map[string]any{"force": force})
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) lifecycle(action survey.Action) echo.HandlerFunc {
	return func(c echo.Context) error {
		st, err := s.store.Transition(c.Request().Context(), c.Param("id"), action)
		if err != nil {
			return studyError(err)
		}
		s.audit(c, principal(c), "study."+string(action), st.ID, nil)
		return writeJSON(c, http.StatusOK, view(c, st))
	}
}

// RotateRequest is the body of POST /api/v1/studies/{id}/rotate-secret.
type RotateRequest struct {
	// GraceHours is how long tokens signed with the old secret still work
	// (default 72, at most 720).
	GraceHours *int `json:"grace_hours"`
}

func (s *Server) rotateSecret(c echo.Context) error {
	var in RotateRequest
	if c.Request().ContentLength != 0 {
		if err := decodeJSON(c, managementBodyLimit, &in); err != nil {
			return err
		}
	}
	grace := 72
	if in.GraceHours != nil {
		grace = *in.GraceHours
	}
	st, err := s.store.RotateSecret(c.Request().Context(), c.Param("id"), time.Duration(grace)*time.Hour)
	if err != nil {
		return studyError(err)
	}
	s.audit(c, principal(c), "study.rotate_secret", st.ID, map[string]any{"grace_hours": grace})
	return writeJSON(c, http.StatusOK, view(c, st))
}

// study loads the study named by the :id path parameter.
func (s *Server) study(c echo.Context) (*survey.Study, error) {
	st, err := s.store.Study(c.Request().Context(), c.Param("id"))
	return st, studyError(err)
}

// studyError names the missing thing in a 404.
func studyError(err error) error {
	if errors.Is(err, survey.ErrNotFound) {
		return notFound("study")
	}
	return err
}

// view hides what the caller may not see: analysts never see a study's
// signing secret or assignment key.
func view(c echo.Context, st *survey.Study) *survey.Study {
	if level(principal(c).Role) < marketer {
		cp := *st
		cp.Secret, cp.AssignmentKey = "", ""
		return &cp
	}
	return st
}
