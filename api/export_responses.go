package api

import (
	"io"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// tableFormat is a file format of the raw export.
type tableFormat struct {
	ext         string
	contentType string
	open        func(w io.Writer, cols []survey.ExportColumn, o tabular.Options) (tabular.Writer, error)
}

// responseFormats are the raw export's formats by query value; csv is the
// default.
var responseFormats = map[string]tableFormat{
	"csv":     {"csv", "text/csv; charset=utf-8; header=present", tabular.NewCSV},
	"jsonl":   {"jsonl", "application/x-ndjson; charset=utf-8", tabular.NewJSONL},
	"xlsx":    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", tabular.NewXLSXTable},
	"parquet": {"parquet", "application/vnd.apache.parquet", tabular.NewParquet},
}

// responseFormatNames lists responseFormats in the order the docs give.
var responseFormatNames = []string{"csv", "jsonl", "xlsx", "parquet"}

// exportResponses streams a study's raw responses as a file, one row per
// response (store.Store.NewExport names the columns: response id, group,
// status, quality flags, weight with weighting=rake, attributes, timings,
// one column per question, one 0/1 column per multi-choice option). Memory
// stays flat whatever the study's size. Query: format (csv by default,
// jsonl, xlsx, parquet), weighting (none, rake), and for CSV bom=1 and
// delimiter=semicolon.
//
// The formats, in short (each writer's doc has the details):
//   - CSV: RFC 4180, UTF-8, CRLF, optional byte order mark; a null is an
//     empty field and an empty string is ""; numbers as numbers with a '.'
//     decimal point; instants RFC 3339 UTC.
//   - JSON Lines: one object per response keyed by column name; nulls as
//     null; instants RFC 3339 UTC.
//   - XLSX: one sheet (more past Excel's 1,048,576 rows), typed cells,
//     instants as UTC date-times.
//   - Parquet: typed columns (STRING, INT64, DOUBLE, TIMESTAMP micros UTC),
//     OPTIONAL where a column may be null, 64k-row row groups.
//
// Formula injection: in CSV and XLSX, a string cell that starts with = + -
// @, a tab or a carriage return gets a leading single quote, so that a
// spreadsheet shows it as text instead of running it (OWASP, "CSV
// Injection"). Numbers are never changed (-1 is a number, not a formula),
// and JSON Lines and Parquet, which spreadsheets do not open, carry every
// value verbatim.
func (s *Server) exportResponses(c echo.Context) error {
	name := c.QueryParam("format")
	if name == "" {
		name = "csv"
	}
	format, ok := responseFormats[name]
	if !ok {
		return unknownFormat(name, responseFormatNames)
	}
	fo, err := readFileOptions(c)
	if err != nil {
		return err
	}
	var o store.ExportOptions
	switch w := c.QueryParam("weighting"); w {
	case "", "none":
	case "rake":
		o.Weighted = true
	default:
		p := badParam("weighting", "must be none or rake, got %q", w)
		p.ValidValues = []string{"none", "rake"}
		return p
	}
	ctx := c.Request().Context()
	e, err := s.store.NewExport(ctx, c.Param("id"), o)
	if err != nil {
		return optionError(err)
	}
	// Exports carry respondent data out of the system: the audit log says who took which.
	s.audit(c, principal(c), "study.export", c.Param("id"), map[string]any{"format": name, "weighted": o.Weighted})
	setFreshness(c, e.Freshness)
	d := startDownload(c, format.contentType, e.FileName(format.ext))
	return s.finish(d, writeTable(d, format, e.Columns, fo, func(fn func([]any) error) error {
		return e.Rows(ctx, fn)
	}))
}

// writeTable writes a whole table: header, the rows that rows yields, and
// the end of the file.
func writeTable(w io.Writer, f tableFormat, cols []survey.ExportColumn, o tabular.Options,
	rows func(fn func([]any) error) error) error {
	tw, err := f.open(w, cols, o)
	if err != nil {
		return err
	}
	if err := rows(tw.WriteRow); err != nil {
		return err
	}
	return tw.Close()
}
