package api

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// surveyPage renders the respondent page, or the page that says why there
// is nothing to answer.
func (s *Server) surveyPage(c echo.Context) error {
	ctx := c.Request().Context()
	st, err := s.store.PublicStudy(ctx, c.Param("public_key"))
	if err != nil {
		return s.lookupFailure(c, err, frontend.MessageDown)
	}
	who, err := s.store.Respondent(ctx, st, c.QueryParam("t"))
	if err != nil {
		return s.tokenMessage(c, st, err, frontend.MessageDown)
	}
	lang := pickLang(c, st, who.Token.Locale)
	if status, kind := notLiveMessage(st.Status); kind != "" {
		return s.message(c, status, kind, st, lang)
	}
	kind, full, err := s.pageState(c, st, who)
	if err != nil {
		return s.failure(c, st, lang, err, frontend.MessageDown)
	}
	if kind != "" {
		return s.message(c, http.StatusConflict, kind, st, lang)
	}
	if full {
		return s.message(c, http.StatusGone, frontend.MessageFull, st, lang)
	}
	if c.QueryParam("score") == "" {
		if sent, err := s.plannedPage(c, st, who, lang); sent {
			return err
		}
	}
	page := s.pageModel(c, st, who, lang)
	if !preselectScore(&page, c.QueryParam("score")) {
		// A score link's page is not timed: its question was read and
		// answered in the email, so the seconds on the page are not a
		// completion time, and the speeder floor would flag the quick,
		// honest "confirm" of a score chosen there.
		page.Started = st.StartStamp(who.Hash, time.Now())
	}
	return s.html(c, http.StatusOK, "survey", &page, st)
}

// pageState says which message replaces the survey: already answered
// (this respondent, or in an nps program this ask), throttled (an nps
// program asking within the window), or "" to show it; and whether the
// respondent's group is full. Without a throttle window both come from
// one statement: most pages are first visits, and this is all the
// database work they need.
func (s *Server) pageState(c echo.Context, st *survey.Study, who *store.Respondent) (kind string, full bool, err error) {
	ctx := c.Request().Context()
	if st.ThrottleWindow() == 0 {
		id, full, err := s.store.PageState(ctx, st, who.Hash, who.Group)
		switch {
		case err != nil:
			return "", false, err
		case id != "":
			return frontend.MessageAlreadyAnswered, false, nil
		}
		return "", full, nil
	}
	e, err := s.store.Eligible(ctx, st, who, who.Token.Ask, time.Now().UTC())
	switch {
	case err != nil:
		return "", false, err
	case e.Eligible:
		full, err = s.store.GroupFull(ctx, st, who.Group)
		return "", full, err
	case e.Reason == "answered":
		return frontend.MessageAlreadyAnswered, false, nil
	}
	return frontend.MessageThrottled, false, nil
}

// preselectScore checks the score an invitation's link chose (its
// ?score=N) on the page's first nps question. Opening the link stores
// nothing: the respondent confirms by sending the page, with a comment if
// they like, so a mail scanner that follows every link counts nothing.
// It reports whether a score was chosen.
func preselectScore(page *frontend.SurveyPage, score string) bool {
	if score == "" {
		return false
	}
	for i := range page.Questions {
		q := &page.Questions[i]
		if q.Type != string(survey.NPSQuestion) {
			continue
		}
		for j := range q.Scale {
			if q.Scale[j].Label == score {
				q.Scale[j].Checked, q.Value = true, score
				return true
			}
		}
		return false
	}
	return false
}

// submitForm takes the page's plain form post: the path that works
// without JavaScript, and the one the enhanced page uses too.
func (s *Server) submitForm(c echo.Context) error {
	ctx := c.Request().Context()
	req := c.Request()
	req.Body = http.MaxBytesReader(c.Response(), req.Body, publicBodyLimit)
	if err := req.ParseForm(); err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return newProblem(http.StatusRequestEntityTooLarge, "too-large", "the form is larger than 64 KiB")
		}
		return badRequest("the form cannot be read")
	}
	st, err := s.store.PublicStudy(ctx, c.Param("public_key"))
	if err != nil {
		return s.lookupFailure(c, err, frontend.MessageUnavailable)
	}
	token := req.PostForm.Get("t")
	who, err := s.store.Respondent(ctx, st, token)
	if err != nil {
		return s.tokenMessage(c, st, err, frontend.MessageUnavailable)
	}
	lang := pickLang(c, st, who.Token.Locale)
	if l := req.PostForm.Get("locale"); slices.Contains(st.Locales, l) {
		lang = l
	}
	raw := formAnswers(st, req.PostForm)
	res, err := s.store.Submit(ctx, survey.SubmitRequest{
		Token: token, Answers: raw, Locale: lang, Started: req.PostForm.Get("started"),
		Consent: req.PostForm.Get("consent") != "", ConsentVersion: formInt(req.PostForm.Get("consent_version")),
		UserAgent: req.UserAgent(),
	})
	var invalid *survey.ValidationError
	var conflict *survey.ConflictError
	switch {
	case err == nil:
		_ = res // stored, or stored before: either way the respondent is done
		return c.Redirect(http.StatusSeeOther, "/s/"+st.PublicKey+"/thanks?lang="+lang)
	case errors.As(err, &invalid):
		page := s.pageModel(c, st, who, lang)
		page.Started = req.PostForm.Get("started") // keep the first render's time
		fillAnswers(&page, req.PostForm, invalid)
		return s.html(c, http.StatusUnprocessableEntity, "survey", &page, st)
	case errors.Is(err, survey.ErrGroupFull):
		return s.message(c, http.StatusGone, frontend.MessageFull, st, lang)
	case survey.IsThrottled(err):
		return s.message(c, http.StatusConflict, frontend.MessageThrottled, st, lang)
	case errors.Is(err, survey.ErrWaveClosed):
		return s.message(c, http.StatusGone, frontend.MessageClosed, st, lang)
	case errors.As(err, &conflict):
		status, kind := notLiveMessage(conflict.Status)
		return s.message(c, status, kind, st, lang)
	default:
		return s.failure(c, st, lang, err, frontend.MessageUnavailable)
	}
}

// failure shows a respondent a polite page in their language instead of
// a problem document when a step fails: 503 with Retry-After when the
// database is briefly away (reloading or resending is safe: a respondent
// is stored once), 500 for anything else. kind says what the respondent
// should do: reload the page (MessageDown) or send the answers again
// (MessageUnavailable). The cause goes to the log once.
func (s *Server) failure(c echo.Context, st *survey.Study, lang string, err error, kind string) error {
	status := http.StatusInternalServerError
	if store.IsUnavailable(err) {
		status = http.StatusServiceUnavailable
		c.Response().Header().Set("Retry-After", retryAfterSeconds)
		s.log.Warn("survey page: database unavailable", "request_id", requestID(c), "path", logPath(c), "err", err)
	} else {
		s.log.Error("survey page failed", "request_id", requestID(c), "path", logPath(c), "err", err)
	}
	return s.message(c, status, kind, st, lang)
}

// lookupFailure answers a respondent page whose study could not be read:
// unknown, or a failure before the study's languages are known.
func (s *Server) lookupFailure(c echo.Context, err error, kind string) error {
	if errors.Is(err, survey.ErrNotFound) {
		return s.message(c, http.StatusNotFound, frontend.MessageUnknownStudy, nil, "")
	}
	return s.failure(c, nil, "", err, kind)
}

// thanks is where a successful post lands (post/redirect/get). The answer
// is committed before the redirect, so a study that cannot be read right
// now still gets its thanks, without the brand: telling the respondent
// that something failed would send them back to answer again.
func (s *Server) thanks(c echo.Context) error {
	st, err := s.store.PublicStudy(c.Request().Context(), c.Param("public_key"))
	switch {
	case errors.Is(err, survey.ErrNotFound):
		return s.message(c, http.StatusNotFound, frontend.MessageUnknownStudy, nil, "")
	case err != nil:
		s.log.Warn("thanks page without its study", "request_id", requestID(c), "err", err)
		st = nil
	}
	lang := pickLang(c, st, "")
	page := frontend.MessagePage{Lang: lang, Kind: frontend.MessageThanks}
	if st != nil {
		page.Title, page.EndURL = studyTitle(st), endURL(st.EndURL, lang)
	}
	return s.html(c, http.StatusOK, "message", &page, st)
}

// endURL is the study's end_url with the respondent's language added as
// lang (kept when the marketer put one there already).
func endURL(raw, lang string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	q := u.Query()
	if q.Get("lang") == "" {
		q.Set("lang", lang)
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// notLiveMessage gives the status code and page for a study that takes no
// answers: not started yet (403), paused for now (503), closed for good (410).
func notLiveMessage(status survey.Status) (int, string) {
	switch status {
	case survey.StatusDraft:
		return http.StatusForbidden, frontend.MessageNotStarted
	case survey.StatusPaused:
		return http.StatusServiceUnavailable, frontend.MessagePaused
	case survey.StatusClosed:
		return http.StatusGone, frontend.MessageClosed
	}
	return 0, ""
}

// tokenMessage explains a link that cannot be used; a failure to resolve
// the respondent's group (exposure mode reads the store) is a failure
// page of the given kind.
func (s *Server) tokenMessage(c echo.Context, st *survey.Study, err error, kind string) error {
	lang := pickLang(c, st, "")
	switch {
	case errors.Is(err, survey.ErrTokenExpired):
		return s.message(c, http.StatusGone, frontend.MessageExpiredLink, st, lang)
	case errors.Is(err, survey.ErrTokenMalformed), errors.Is(err, survey.ErrTokenSignature):
		return s.message(c, http.StatusForbidden, frontend.MessageInvalidLink, st, lang)
	case errors.Is(err, survey.ErrWaveClosed):
		return s.message(c, http.StatusGone, frontend.MessageClosed, st, lang)
	}
	return s.failure(c, st, lang, err, kind)
}

func (s *Server) message(c echo.Context, status int, kind string, st *survey.Study, lang string) error {
	if lang == "" {
		lang = pickLang(c, st, "")
	}
	page := frontend.MessagePage{Lang: lang, Kind: kind}
	if st != nil {
		page.Title = studyTitle(st)
	}
	if kind == frontend.MessagePaused {
		c.Response().Header().Set("Retry-After", "3600")
	}
	return s.html(c, status, "message", &page, st)
}

func studyTitle(st *survey.Study) string {
	if st.Brand != "" {
		return st.Brand
	}
	return st.Name
}

// pageModel builds the view of the questions for this respondent.
func (s *Server) pageModel(c echo.Context, st *survey.Study, who *store.Respondent, lang string) frontend.SurveyPage {
	token := c.QueryParam("t")
	if token == "" {
		token = c.Request().PostForm.Get("t")
	}
	return surveyModel(st, lang, token, offersLanguages(st, who), func(q *survey.Question) []survey.Option { return q.OptionOrder(who.Hash) })
}

// offersLanguages says whether the page links to the study's other
// languages: unless the link chose one.
func offersLanguages(st *survey.Study, who *store.Respondent) bool {
	return who.Token.Locale == "" && len(st.Locales) > 1
}

// surveyModel is the page of st in lang for the link token, with each
// question's choices in the order order gives.
func surveyModel(st *survey.Study, lang, token string, languages bool, order func(q *survey.Question) []survey.Option) frontend.SurveyPage {
	page := frontend.SurveyPage{
		Lang: lang, Title: studyTitle(st), Action: "/s/" + st.PublicKey, Token: token,
		Consent: st.Consent[lang], ConsentVersion: st.ConsentVersion,
	}
	if languages {
		for _, l := range st.Locales {
			if l != lang {
				page.Languages = append(page.Languages, frontend.Language{Code: l, Name: languageNames[l],
					URL: "/s/" + st.PublicKey + "?t=" + url.QueryEscape(token) + "&lang=" + l})
			}
		}
	}
	for i := range st.Questions {
		q := &st.Questions[i]
		pq := frontend.Question{Key: q.Key, Type: string(q.Type), Text: q.Text[lang], Required: q.Required,
			Number: i + 1, Total: len(st.Questions)}
		for _, o := range order(q) {
			pq.Options = append(pq.Options, frontend.Option{Key: o.Key, Text: o.Text[lang], Exclusive: o.Exclusive})
		}
		switch q.Type {
		case survey.NPSQuestion:
			pq.Scale = levels(0, 10)
		case survey.Rating:
			pq.Scale = levels(1, q.Scale)
		}
		page.Questions = append(page.Questions, pq)
	}
	return page
}

var languageNames = map[string]string{"ru": "Русский", "en": "English"}

func levels(lo, hi int) []frontend.Level {
	out := make([]frontend.Level, 0, hi-lo+1)
	for v := lo; v <= hi; v++ {
		out = append(out, frontend.Level{Value: v, Label: itoa(v)})
	}
	return out
}

// formAnswers turns form fields "q.KEY" into the raw answers Submit
// validates, typed as the JSON API would send them.
func formAnswers(st *survey.Study, form url.Values) map[string]any {
	raw := map[string]any{}
	for _, q := range st.Questions {
		vals, ok := form["q."+q.Key]
		if !ok {
			continue
		}
		switch q.Type {
		case survey.MultiChoice:
			list := make([]any, 0, len(vals))
			for _, v := range vals {
				list = append(list, v)
			}
			raw[q.Key] = list
		case survey.NPSQuestion, survey.Rating:
			raw[q.Key] = numberOrString(vals[0])
		default:
			raw[q.Key] = vals[0]
		}
	}
	for key := range form {
		if k, ok := strings.CutPrefix(key, "q."); ok && st.Question(k) == nil {
			raw[k] = form.Get(key) // reported as an unknown question
		}
	}
	return raw
}

// fillAnswers puts a failed post's answers and errors back on the page.
func fillAnswers(page *frontend.SurveyPage, form url.Values, invalid *survey.ValidationError) {
	errs := map[string]string{}
	for _, e := range invalid.Errors {
		if e.Field == "consent" {
			page.ConsentError = true
		}
		errs[strings.TrimPrefix(e.Field, "answers.")] = e.Code
	}
	page.Consented = form.Get("consent") != ""
	if page.ConsentError {
		page.Start = "consent"
	}
	for i := range page.Questions {
		q := &page.Questions[i]
		q.Error = errs[q.Key]
		if q.Error != "" && page.Start == "" {
			page.Start = "q-" + q.Key
		}
		vals := form["q."+q.Key]
		if len(vals) > 0 {
			q.Value = vals[0]
		}
		for j := range q.Options {
			q.Options[j].Checked = slices.Contains(vals, q.Options[j].Key)
		}
		for j := range q.Scale {
			q.Scale[j].Checked = q.Value == q.Scale[j].Label
		}
	}
}

// pickLang chooses the page language: the token's, then ?lang=, then
// Accept-Language, limited to the study's locales; the study's default
// otherwise (Russian when there is no study).
func pickLang(c echo.Context, st *survey.Study, fromToken string) string {
	locales, fallback := survey.SupportedLocales, "ru"
	if st != nil {
		locales, fallback = st.Locales, st.DefaultLocale
	}
	if slices.Contains(locales, fromToken) {
		return fromToken
	}
	if l := c.QueryParam("lang"); slices.Contains(locales, l) {
		return l
	}
	for _, part := range strings.Split(c.Request().Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if slices.Contains(locales, base) {
			return base
		}
	}
	return fallback
}

// html renders a respondent page; it may be framed only by the origins
// the study allows.
func (s *Server) html(c echo.Context, status int, name string, data any, st *survey.Study) error {
	nonce := newNonce()
	switch d := data.(type) {
	case *frontend.SurveyPage:
		d.Nonce = nonce
	case *frontend.MessagePage:
		d.Nonce = nonce
	}
	var buf bytes.Buffer
	if err := frontend.Render(&buf, name, data); err != nil {
		return err
	}
	// Survey URLs carry tokens: no page they lead to may see them.
	return writePage(c, status, buf.Bytes(), nonce, frameAncestors(st), "no-referrer")
}

// frameAncestors is the CSP frame-ancestors of st's pages: the origins
// the study lets frame them, or none.
func frameAncestors(st *survey.Study) string {
	if st != nil && len(st.FrameAncestors) > 0 {
		return strings.Join(st.FrameAncestors, " ")
	}
	return "'none'"
}

// writePage sends a rendered page with the security headers every page
// carries. Scripts and styles come only from our own origin or carry the
// nonce; frame says which origins may frame the page.
func writePage(c echo.Context, status int, body []byte, nonce, frame, referrer string) error {
	pageHeaders(c, nonce, frame, referrer)
	// Pages are a few KB; compressing them costs less than a phone's
	// round trip on a slow network saves.
	if enc := frontend.Negotiate(c.Request().Header.Get("Accept-Encoding")); enc != "" {
		body = frontend.Compress(enc, body, false)
		c.Response().Header().Set("Content-Encoding", enc)
	}
	return c.Blob(status, echo.MIMETextHTMLCharsetUTF8, body)
}

// pageHeaders sets the security and caching headers of every page.
func pageHeaders(c echo.Context, nonce, frame, referrer string) {
	h := c.Response().Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' 'nonce-"+nonce+"'; style-src 'self' 'nonce-"+nonce+"'; "+
		"img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors "+frame)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", referrer)
	h.Set("Cache-Control", "no-store")
	if c.Scheme() == "https" {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	h.Set("Vary", "Accept-Encoding")
}

func newNonce() string {
	var b [16]byte
	rand.Read(b[:])
	// base64url: CSP allows '-' and '_' in a nonce, and html/template
	// leaves them as they are, so the survey plan can splice it in.
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// formInt reads a small whole number from a form field; 0 when absent or
// not a number, which the store reads as "the current one".
func formInt(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0
	}
	return n
}
