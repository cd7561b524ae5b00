package api

import (
	"errors"
	"strings"

	"github.com/brandlift/brandlift/api/tabular"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/results"
	"github.com/labstack/echo/v4"
)

// textExportPage is how many answers the export reads at a time, so that a
// large tracker's comments stream in flat memory.
const textExportPage = 500

// exportTextAnswers streams a text question's answers that pass f as CSV,
// newest first: the NPS tracker's comments export. Formula-like text is
// neutralised as in the raw export.
func (s *Server) exportTextAnswers(c echo.Context, st *survey.Study, question string, f results.TextFilter) error {
	o, err := readFileOptions(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	answers, next, err := s.store.SearchTextAnswers(ctx, st, question, f, textExportPage, "")
	if err != nil {
		var ve *survey.ValidationError
		if errors.As(err, &ve) {
			return notFound("text question")
		}
		return err
	}
	attrs, err := s.store.AttributeNames(ctx, st.ID)
	if err != nil {
		return err
	}
	cols := []survey.ExportColumn{{Name: "response_id"}, {Name: "completed_at", Type: survey.ColTime}, {Name: "group"},
		{Name: "cell", Nullable: true}, {Name: "wave", Nullable: true}, {Name: "nps", Type: survey.ColInt, Nullable: true},
		{Name: "nps_category", Nullable: true}}
	for _, a := range attrs {
		cols = append(cols, survey.ExportColumn{Name: "attr_" + a, Nullable: true})
	}
	cols = append(cols, survey.ExportColumn{Name: question})
	d := startDownload(c, "text/csv; charset=utf-8", "brandlift-"+st.ID+"-"+strings.ReplaceAll(question, "/", "_")+".csv")
	w, err := tabular.NewCSV(d, cols, o)
	if err != nil {
		return s.finish(d, err)
	}
	row := make([]any, len(cols))
	for {
		for _, a := range answers {
			row = append(row[:0], a.ResponseID, a.CompletedAt, string(a.Group), nullable(a.Cell), nullable(a.Wave), nil, nullable(a.Category))
			if a.NPS != nil {
				row[5] = *a.NPS
			}
			for _, name := range attrs {
				v, ok := a.Attrs[name]
				if ok {
					row = append(row, v)
				} else {
					row = append(row, nil)
				}
			}
			row = append(row, a.Text)
			if err := w.WriteRow(row); err != nil {
				return s.finish(d, err)
			}
		}
		if next == "" {
			break
		}
		if answers, next, err = s.store.SearchTextAnswers(ctx, st, question, f, textExportPage, next); err != nil {
			return s.finish(d, err)
		}
	}
	return s.finish(d, w.Close())
}

// nullable is nil for an empty string, a null cell.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
