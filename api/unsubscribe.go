package api

import (
	"errors"
	"net/http"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// unsubscribePage asks the contact to confirm: a GET changes nothing, so
// a mail scanner that opens the link unsubscribes nobody.
func (s *Server) unsubscribePage(c echo.Context) error {
	st, token, lang, err := s.unsubscriber(c, c.QueryParam("t"))
	if err != nil {
		return err
	}
	page := frontend.MessagePage{Lang: lang, Kind: frontend.MessageUnsubscribe, Title: studyTitle(st),
		Form: &frontend.MessageForm{Action: "/u/" + st.PublicKey, Token: token}}
	return s.html(c, http.StatusOK, "message", &page, st)
}

// unsubscribe takes the confirmation, and the RFC 8058 one-click POST
// that mail clients send to the List-Unsubscribe URL (the token in the
// query, "List-Unsubscribe=One-Click" in the body). The address is
// suppressed for every study of the installation.
func (s *Server) unsubscribe(c echo.Context) error {
	token := c.FormValue("t")
	if token == "" {
		token = c.QueryParam("t")
	}
	st, _, lang, err := s.unsubscriber(c, token)
	if err != nil {
		return err
	}
	who, err := s.store.Respondent(c.Request().Context(), st, token)
	if err != nil {
		return s.tokenMessage(c, st, err, frontend.MessageUnavailable)
	}
	if _, err := s.store.Unsubscribe(c.Request().Context(), st, who.Token.RID); err != nil {
		if errors.Is(err, survey.ErrNotFound) {
			return s.message(c, http.StatusNotFound, frontend.MessageInvalidLink, st, lang)
		}
		return s.failure(c, st, lang, err, frontend.MessageUnavailable)
	}
	return s.message(c, http.StatusOK, frontend.MessageUnsubscribed, st, lang)
}

// unsubscriber reads the study and checks the token of an unsubscribe
// link, answering with a page when either is wrong.
func (s *Server) unsubscriber(c echo.Context, token string) (*survey.Study, string, string, error) {
	st, err := s.store.PublicStudy(c.Request().Context(), c.Param("public_key"))
	if err != nil {
		return nil, "", "", s.lookupFailure(c, err, frontend.MessageDown)
	}
	who, err := s.store.Respondent(c.Request().Context(), st, token)
	if err != nil {
		return nil, "", "", s.tokenMessage(c, st, err, frontend.MessageDown)
	}
	return st, token, pickLang(c, st, who.Token.Locale), nil
}
