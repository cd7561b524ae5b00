package api

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/brandlift/brandlift/frontend"
)

// The store's validation errors of the study design, next to their
// fields: paths cells[N].key, cells[N].name.en, cells[N].creatives[M],
// waves[N].ends_at... map to the inputs c-N-key, c-N-name-en,
// c-N-creatives, w-N-ends_at; "cells" and "waves" to their add buttons.

var designPath = regexp.MustCompile(`^(cells|waves)\[(\d+)\](?:\.(\w+)(?:\.(\w+)|\[\d+\])?)?`)

// designFieldID is the input id of a design path; ok is false for
// any other path.
func designFieldID(path string) (string, bool) {
	switch path {
	case "cells":
		return "add-cell", true
	case "waves":
		return "add-wave", true
	}
	m := designPath.FindStringSubmatch(path)
	if m == nil {
		return "", false
	}
	id := m[1][:1] + "-" + m[2] + "-"
	switch {
	case m[3] == "":
		return id + "key", true
	case m[3] == "name" && m[4] == "":
		return id + "name-ru", true
	case m[3] == "name":
		return id + "name-" + m[4], true
	}
	return id + m[3], true
}

// designFieldLabel names a design path for the errors' summary:
// "Ячейка 2: Доля".
func designFieldLabel(lang, path string) (string, bool) {
	m := designPath.FindStringSubmatch(path)
	if m == nil {
		return "", false
	}
	i, _ := strconv.Atoi(m[2])
	where := fmt.Sprintf(frontend.T(lang, "bld_err_at_"+m[1][:4]), i+1)
	switch {
	case m[3] == "":
		return where, true
	case m[3] == "name" && m[4] != "":
		return where + ": " + fieldWord(lang, "design_name", "") + " (" + m[4] + ")", true
	case m[3] == "name":
		return where + ": " + fieldWord(lang, "design_name", ""), true
	}
	return where + ": " + fieldWord(lang, m[3], ""), true
}

// designFieldOrder puts the design's errors after the settings' and
// before the targets', as the form reads.
func designFieldOrder(id string) (int, bool) {
	m := regexp.MustCompile(`^([cw])-(\d+)-`).FindStringSubmatch(id)
	switch {
	case id == "add-cell":
		return 10000, true
	case id == "add-wave":
		return 20000, true
	case m == nil:
		return 0, false
	}
	n, _ := strconv.Atoi(m[2])
	if m[1] == "w" {
		return 20000 + n, true
	}
	return 10000 + n, true
}

// The store's design messages (survey/study_design.go) in the page's
// language, added to storeMessages.
func init() {
	storeMessages = append(storeMessages, []struct {
		re  *regexp.Regexp
		key string
	}{
		{regexp.MustCompile(`^cells compare exposed arms with control`), "bld_err_cells_nps"},
		{regexp.MustCompile(`^a study declares (\d+) to (\d+) cells, got (\d+)`), "bld_err_cells_count"},
		{regexp.MustCompile(`^duplicate cell key "(.*)"`), "bld_err_dup_cell"},
		{regexp.MustCompile(`^at most (\d+) creative labels`), "bld_err_creatives_many"},
		{regexp.MustCompile(`^must be the pixel's creative label`), "bld_err_creative"},
		{regexp.MustCompile(`^creative "(.*)" already belongs to cell "(.*)"`), "bld_err_creative_taken"},
		{regexp.MustCompile(`^an exposure study puts respondents in cells by the creative`), "bld_err_creatives_needed"},
		{regexp.MustCompile(`^give every cell a share, summing to 1`), "bld_err_cell_shares"},
		{regexp.MustCompile(`^a wave series has 2 to (\d+) waves`), "bld_err_waves_count"},
		{regexp.MustCompile(`^duplicate wave key "(.*)"`), "bld_err_dup_wave"},
		{regexp.MustCompile(`^must be after starts_at`), "bld_err_wave_end"},
		{regexp.MustCompile(`^waves run one after another: (\S+) starts before (\S+) ends`), "bld_err_wave_overlap"},
		{regexp.MustCompile(`^a study has either cells or waves`), "bld_err_cells_and_waves"},
		{regexp.MustCompile(`^must be a short tag such as fmcg or auto`), "bld_err_category"},
	}...)
}
