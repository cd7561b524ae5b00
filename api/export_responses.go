package api

import (
	"io"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// tableFormat is a file format of the raw export.
type tableFormat struct {
	ext         string
	contentType string
	open        func(w io.Writer, cols []survey.ExportColumn, o fileOptions) (tableWriter, error)
}

// responseFormats are the raw export's formats by query value; csv is the
// default.
var responseFormats = map[string]tableFormat{
	"csv":     {"csv", "text/csv; charset=utf-8; header=present", newCSV},
	"jsonl":   {"jsonl", "application/x-ndjson; charset=utf-8", newJSONL},
	"xlsx":    {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", newXLSXTable},
	"parquet": {"parquet", "application/vnd.apache.parquet", newParquet},
}

// responseFormatNames lists responseFormats in the order the docs give.
var responseFormatNames = []string{"csv", "jsonl", "xlsx", "parquet"}

// exportResponses streams a study's raw responses as a file, one row per
// response (see survey.Store.NewExport for the columns). Query: format
// (csv, jsonl, xlsx, parquet), weighting (none, rake: adds a weight
// column), and for CSV bom=1 and delimiter=semicolon.
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
	var o survey.ExportOptions
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
	d := startDownload(c, format.contentType, e.FileName(format.ext))
	return s.finish(d, writeTable(d, format, e.Columns, fo, func(fn func([]any) error) error {
		return e.Rows(ctx, fn)
	}))
}

// writeTable writes a whole table: header, the rows that rows yields, and
// the end of the file.
func writeTable(w io.Writer, f tableFormat, cols []survey.ExportColumn, o fileOptions,
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
