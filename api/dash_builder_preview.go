package api

import (
	"bytes"
	"net/http"
	"slices"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// previewPage shows the respondent page of a study as a respondent would
// see it, in ?lang= (one of the study's languages): the same model and
// template as /s/{public_key}, for a made-up respondent with no token.
// Nothing can be sent from it: the button is disabled and the form posts
// to this GET-only address, and there is no token to send.
func (s *Server) previewPage(c echo.Context) error {
	st, err := s.pageStudy(c)
	if err != nil {
		return err
	}
	lang := c.QueryParam("lang")
	if !slices.Contains(st.Locales, lang) {
		lang = st.DefaultLocale
	}
	self := "/dashboard/studies/" + st.ID + "/preview"
	// A fixed made-up respondent: the option order is the one this hash
	// gives, so a reload shows the same page.
	who := &store.Respondent{Token: &survey.Token{Study: st.PublicKey, RID: "preview"}, Hash: "preview", Group: survey.GroupExposed}
	page := s.pageModel(c, st, who, lang)
	page.Action, page.Token = self, ""
	page.Preview, page.PreviewLang = frontend.T(dashLang(c), "bld_preview_banner"), dashLang(c)
	for i := range page.Languages {
		page.Languages[i].URL = self + "?lang=" + page.Languages[i].Code
	}
	page.Nonce = newNonce()
	var buf bytes.Buffer
	if err := frontend.Render(&buf, "survey", &page); err != nil {
		return err
	}
	// A dashboard page: no other site may frame it, whatever the study
	// allows for its public page.
	return writePage(c, http.StatusOK, buf.Bytes(), page.Nonce, "'none'", "same-origin")
}
