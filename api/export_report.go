package api

import (
	"slices"
	"strings"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/stats"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// reportFormats are the file formats of the report export.
var reportFormats = []string{"csv", "xlsx"}

// reportSection is one part of the report as a table: a sheet of the XLSX
// file, and the CSV file of section=name.
type reportSection struct {
	name  string
	table func(r *results.Report) *table
	// has reports whether the report has the part (nil: always); needs is
	// the request option that gives it one.
	has   func(r *results.Report) bool
	needs string
}

// reportSections are the report's parts in the order of the XLSX sheets;
// the first is the CSV's default.
var reportSections = []reportSection{
	{name: "metrics", table: reportTable},
	{name: "segments", table: segmentsTable, has: func(r *results.Report) bool { return r.Segment != "" },
		needs: "segment=age (or two crossed: age,gender)"},
	{name: "stratified", table: stratifiedTable, has: func(r *results.Report) bool { return r.Stratified != nil },
		needs: "weighting=stratify"},
	{name: "cells", table: cellsTable, has: func(r *results.Report) bool { return r.Cells != nil }, needs: "cells on the study"},
	{name: "cell_pairs", table: cellPairsTable, has: func(r *results.Report) bool { return r.Cells != nil }, needs: "cells on the study"},
	{name: "waves", table: wavesTable, has: func(r *results.Report) bool { return r.Waves != nil }, needs: "waves on the study"},
	{name: "wave_comparisons", table: waveComparisonsTable, has: func(r *results.Report) bool { return r.Waves != nil }, needs: "waves on the study"},
	{name: "frequency", table: frequencyTable},
	{name: "targets", table: targetsTable},
	{name: "health", table: healthTable},
	{name: "weights", table: weightsTable, has: func(r *results.Report) bool { return r.Weights != nil },
		needs: "weighting=rake"},
	{name: "methods", table: methodsTable},
	{name: "summary", table: summaryTable},
}

// sectionNames lists reportSections' names, for the docs and problems.
func sectionNames() []string {
	out := make([]string, len(reportSections))
	for i, s := range reportSections {
		out[i] = s.name
	}
	return out
}

// writeReportFile sends the report as a file. XLSX has a sheet per section
// (see reportSections), skipping segments, stratified and weights when the
// request did not ask for them and frequency when the study has no curve;
// each sheet's header row is frozen, its columns sized to fit and its
// numbers formatted (rates and lifts as percentages, p- and q-values in
// scientific notation, counts as integers, NPS points with one decimal,
// money and means with two). CSV is one section, section=metrics by
// default, and takes bom and delimiter like the raw export. Numbers are
// written with every digit: a p-value of 1e-300 stays 1e-300.
func (s *Server) writeReportFile(c echo.Context, r *results.Report, format string) error {
	fo, err := readFileOptions(c)
	if err != nil {
		return err
	}
	name := "brandlift-" + r.StudyID + "-results"
	if r.Segment != "" {
		name += "-by-" + r.Segment
	}
	section := c.QueryParam("section")
	if format == "xlsx" {
		if section != "" {
			return badParam("section", "applies to format=csv; the xlsx file has a sheet per section")
		}
		d := startDownload(c, responseFormats["xlsx"].contentType, name+".xlsx")
		return s.finish(d, writeReportXLSX(d, r))
	}
	sec, err := csvSection(r, section)
	if err != nil {
		return err
	}
	if sec.name != reportSections[0].name {
		name += "-" + sec.name
	}
	t := sec.table(r)
	f := responseFormats["csv"]
	d := startDownload(c, f.contentType, name+".csv")
	return s.finish(d, writeTable(d, f, t.cols, fo, func(fn func([]any) error) error {
		return t.each(func(row []any) error { return fn(tabular.Plain(row)) })
	}))
}

// csvSection finds the section a CSV request names, metrics by default.
func csvSection(r *results.Report, name string) (reportSection, error) {
	if name == "" {
		return reportSections[0], nil
	}
	i := slices.IndexFunc(reportSections, func(s reportSection) bool { return s.name == name })
	if i < 0 {
		p := badParam("section", "unknown section %q; valid: %s", name, strings.Join(sectionNames(), ", "))
		p.ValidValues = sectionNames()
		return reportSection{}, p
	}
	sec := reportSections[i]
	if sec.has != nil && !sec.has(r) {
		return sec, badParam("section", "the report has no %s section without %s", name, sec.needs)
	}
	return sec, nil
}

func writeReportXLSX(d *download, r *results.Report) error {
	x, err := tabular.NewWorkbook(d)
	if err != nil {
		return err
	}
	for _, sec := range reportSections {
		if sec.has != nil && !sec.has(r) || sec.name == "frequency" && len(r.Frequency) == 0 {
			continue
		}
		t := sec.table(r)
		if err := x.Table(sec.name, t.cols, t.rows); err != nil {
			return err
		}
	}
	return x.Close()
}

// table is a small table built in memory (a report has tens of rows).
// Its cells are values for the tabular writers, or tabular.Formatted
// where a column mixes kinds of numbers.
type table struct {
	cols  []survey.ExportColumn
	index map[string]int
	rows  [][]any
}

func newTable(names []string) *table {
	t := &table{cols: columnsOf(names...), index: map[string]int{}}
	for i, n := range names {
		t.index[n] = i
	}
	return t
}

// format sets the number format of the named columns.
func (t *table) format(f survey.NumberFormat, names ...string) {
	for _, n := range names {
		if i, ok := t.index[n]; ok {
			t.cols[i].Format = f
		}
	}
}

// add starts a row; set fills its cells by column name.
func (t *table) add() { t.rows = append(t.rows, make([]any, len(t.cols))) }

func (t *table) set(name string, v any) {
	i, ok := t.index[name]
	if !ok {
		return // a column of the other kind of study
	}
	t.rows[len(t.rows)-1][i] = v
}

// setAs fills a number cell with its own format, for the columns whose
// numbers differ in kind from row to row.
func (t *table) setAs(name string, v float64, f survey.NumberFormat) {
	t.set(name, tabular.Formatted{Value: v, Format: f})
}

// setText fills a text cell, leaving it null when s is empty.
func (t *table) setText(name, s string) {
	if s != "" {
		t.set(name, s)
	}
}

func (t *table) setCI(name string, iv stats.Interval) {
	t.set(name+"_ci_low", iv.Lo)
	t.set(name+"_ci_high", iv.Hi)
}

func (t *table) setCIAs(name string, iv stats.Interval, f survey.NumberFormat) {
	t.setAs(name+"_ci_low", iv.Lo, f)
	t.setAs(name+"_ci_high", iv.Hi, f)
}

func (t *table) setOptional(name string, v *float64) {
	if v != nil {
		t.set(name, *v)
	}
}

func (t *table) setOptionalCI(name string, iv *stats.Interval) {
	if iv != nil {
		t.setCI(name, *iv)
	}
}

func (t *table) each(fn func([]any) error) error {
	for _, r := range t.rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// reportGroups are the groups a report's metrics describe.
func reportGroups(r *results.Report) []survey.Group {
	if r.Kind == survey.KindNPS {
		return []survey.Group{survey.GroupAll}
	}
	return []survey.Group{survey.GroupControl, survey.GroupExposed}
}
