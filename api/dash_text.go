package api

import (
	"fmt"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// tr is a fixed text of the page in the user's language.
func tr(c echo.Context, key string) string { return frontend.T(dashLang(c), key) }

// trf is tr as a format.
func trf(c echo.Context, key string, args ...any) string {
	return fmt.Sprintf(frontend.T(dashLang(c), key), args...)
}

// inLang picks a study text in lang, else the study's default locale,
// else any.
func inLang(t survey.Text, lang, fallback string) string {
	if v := t[lang]; v != "" {
		return v
	}
	if v := t[fallback]; v != "" {
		return v
	}
	for _, v := range t {
		return v
	}
	return ""
}
