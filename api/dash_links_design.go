package api

import (
	"strings"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// The links form's study design: a multi-cell signed-link study's links
// for exposed respondents name a creative cell, a wave series' links may
// name a wave. The form's selectors give the cell and the wave of every
// respondent whose line or CSV row names none; mintLinks checks them
// with the API's rules (linkDesignErrors).

// designDefaults gives the form's cell to the exposed respondents
// without one, and its wave to the respondents without one.
func designDefaults(req *LinksRequest, in linksInput) {
	for i := range req.Respondents {
		r := &req.Respondents[i]
		if r.Cell == "" && r.Group == survey.GroupExposed {
			r.Cell = in.Cell
		}
		if r.Wave == "" {
			r.Wave = in.Wave
		}
	}
}

// designLinkText says what is wrong with a link's cell or wave.
func designLinkText(c echo.Context, field, msg string) string {
	switch {
	case field == "cell" && strings.Contains(msg, "needs c"):
		return tr(c, "links_err_cell_required")
	case field == "cell" && strings.HasPrefix(msg, "only exposed respondents"):
		return tr(c, "links_err_cell_control")
	case field == "cell" && strings.HasPrefix(msg, "unknown cell"):
		return tr(c, "links_err_cell_unknown")
	case field == "cell":
		return trf(c, "links_err_cell", msg)
	case strings.HasPrefix(msg, "unknown wave"):
		return tr(c, "links_err_wave_unknown")
	}
	return trf(c, "links_err_wave", msg)
}

// designChoice is one option of the links form's cell or wave select.
type designChoice struct {
	Value, Label string
}

// linkCellChoices are the cells the links form offers: a signed-link
// study's with cells (elsewhere the server picks the cell).
func linkCellChoices(lang string, st *survey.Study) []designChoice {
	if !st.HasCells() || st.Assignment != survey.AssignSignedLink {
		return nil
	}
	var out []designChoice
	for _, c := range st.Cells {
		out = append(out, designChoice{Value: c.Key, Label: cellLabel(lang, st, c.Key)})
	}
	return out
}

// linkWaveChoices are the waves the links form offers.
func linkWaveChoices(lang string, st *survey.Study) []designChoice {
	var out []designChoice
	for _, w := range st.Waves {
		out = append(out, designChoice{Value: w.Key, Label: waveLabel(lang, st, w.Key)})
	}
	return out
}
