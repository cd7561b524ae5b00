package api

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// resultsOptions reads the report's query options.
func resultsOptions(c echo.Context) (results.Options, error) {
	o := results.Options{Segment: c.QueryParam("segment"), Weighting: c.QueryParam("weighting")}
	if v := c.QueryParam("confidence"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return o, badParam("confidence", "must be 0.8, 0.9 or 0.95, got %q", v)
		}
		o.Confidence = f
	}
	for name, dst := range map[string]*bool{"include_flagged": &o.IncludeFlagged, "ignore_srm": &o.IgnoreSRM} {
		if v := c.QueryParam(name); v != "" {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return o, badParam(name, "must be true or false, got %q", v)
			}
			*dst = b
		}
	}
	if v := c.QueryParam("min_per_group"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 || n > survey.MaxMinPerGroup {
			return o, badParam("min_per_group", "must be an integer from 1 to %d, got %q", survey.MaxMinPerGroup, v)
		}
		o.MinPerGroup = n
	}
	if v := c.QueryParam("by"); v != "" {
		o.By = strings.Split(v, ",")
	}
	return o, nil
}

// optionError turns a refused query option into a 400 naming it.
func optionError(err error) error {
	var ve *survey.ValidationError
	var ue *results.UnknownAttributeError
	if errors.As(err, &ue) {
		// The request is well formed but does not fit this study's data.
		p := newProblem(http.StatusUnprocessableEntity, "validation", ue.Error())
		p.Errors = []survey.FieldError{{Field: ue.Field, Message: ue.Error()}}
		p.ValidValues = ue.Known
		return p
	}
	if errors.As(err, &ve) {
		return badRequest(ve.Errors[0].Field+": "+ve.Errors[0].Message, ve.Errors...)
	}
	return studyError(err)
}

func (s *Server) results(c echo.Context) error {
	o, err := resultsOptions(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format != "" && format != "json" && !slices.Contains(reportFormats, format) {
		p := badParam("format", "unknown format %q; valid: json, csv, xlsx", format)
		p.ValidValues = append([]string{"json"}, reportFormats...)
		return p
	}
	r, err := s.store.Results(c.Request().Context(), c.Param("id"), o)
	if err != nil {
		return optionError(err)
	}
	if err := s.store.AttachNorms(c.Request().Context(), r); err != nil {
		return err
	}
	if format != "" && format != "json" {
		return s.writeReportFile(c, r, format)
	}
	return writeJSON(c, http.StatusOK, r)
}

func (s *Server) resultsTrend(c echo.Context) error {
	o, err := resultsOptions(c)
	if err != nil {
		return err
	}
	interval := c.QueryParam("interval")
	if interval == "" {
		interval = "week"
	}
	if v := c.QueryParam("rolling"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < results.MinRolling || n > results.MaxRolling {
			return badParam("rolling", "must be a whole number of days from %d to %d, got %q", results.MinRolling, results.MaxRolling, v)
		}
		o.Rolling = n
	}
	t, err := s.store.ResultsTrend(c.Request().Context(), c.Param("id"), interval, o)
	if err != nil {
		return optionError(err)
	}
	return writeJSON(c, http.StatusOK, t)
}

// TextPage is a page of a text question's answers.
type TextPage struct {
	Answers    []results.TextAnswer `json:"answers"`
	NextCursor string               `json:"next_cursor,omitempty"`
}

func (s *Server) resultsText(c echo.Context) error {
	limit, err := pageLimit(c, 50, 500)
	if err != nil {
		return err
	}
	st, err := s.study(c)
	if err != nil {
		return err
	}
	f, err := s.textFilter(c, st)
	if err != nil {
		return err
	}
	switch format := c.QueryParam("format"); format {
	case "", "json":
	case "csv":
		return s.exportTextAnswers(c, st, c.Param("question"), f)
	default:
		return unknownFormat(format, []string{"json", "csv"})
	}
	answers, next, err := s.store.SearchTextAnswers(c.Request().Context(), st, c.Param("question"), f, limit, c.QueryParam("cursor"))
	if err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return notFound("text question")
		}
		return err
	}
	return writeJSON(c, http.StatusOK, TextPage{Answers: answers, NextCursor: next})
}
