package api

import (
	"net/http"
	"strconv"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/brandlift/brandlift/survey/store"
	"github.com/labstack/echo/v4"
)

// studyBody is the study page's model.
type studyBody struct {
	Study     *survey.Study
	Groups    []groupProgressView
	Flagged   int64
	Total     int64
	Questions []questionView
	Actions   []survey.Action // lifecycle steps the caller may take now
	CanDelete bool
}

// questionView is a question as the study page lists it.
type questionView struct {
	Key, Type, Text, Metric string
	Options                 int
}

// pageStudy loads the :id study as the caller may see it.
func (s *Server) pageStudy(c echo.Context) (*survey.Study, error) {
	st, err := s.study(c)
	if err != nil {
		return nil, err
	}
	return view(c, st), nil
}

// studyAndProgress loads the :id study with its running counts.
func (s *Server) studyAndProgress(c echo.Context) (*survey.Study, store.Progress, error) {
	st, err := s.pageStudy(c)
	if err != nil {
		return nil, store.Progress{}, err
	}
	progress, err := s.store.StudyProgress(c.Request().Context(), []string{st.ID})
	if err != nil {
		return nil, store.Progress{}, err
	}
	return st, progress[st.ID], nil
}

func (s *Server) studyPage(c echo.Context) error {
	st, p, err := s.studyAndProgress(c)
	if err != nil {
		return err
	}
	lang := dashLang(c)
	body := studyBody{Study: st, Groups: groupsOf(st, p), Flagged: p.Flagged, Total: p.Total()}
	for _, q := range st.Questions {
		body.Questions = append(body.Questions, questionView{Key: q.Key, Type: string(q.Type),
			Text: inLang(q.Text, lang, st.DefaultLocale), Metric: string(q.Metric), Options: len(q.Options)})
	}
	if canEdit(c) {
		for _, a := range []survey.Action{survey.Launch, survey.Pause, survey.Resume, survey.Close} {
			if _, ok := a.Next(st.Status); ok {
				body.Actions = append(body.Actions, a)
			}
		}
	}
	body.CanDelete = level(principal(c).Role) >= admin && (st.Status == survey.StatusDraft || st.Status == survey.StatusClosed)
	d := s.dash(c, "study_overview", "studies", body)
	d.Title = st.Name
	return s.page(c, http.StatusOK, "dash_study", d)
}

// liveFields is what the study page's numbers poll: the same counts the
// page was rendered with, formatted in the page's language.
type liveFields struct {
	Fields map[string]string `json:"fields"`
}

func (s *Server) studyProgress(c echo.Context) error {
	st, p, err := s.studyAndProgress(c)
	if err != nil {
		return err
	}
	return writeJSON(c, http.StatusOK, progressFields(dashLang(c), st, p))
}

func progressFields(lang string, st *survey.Study, p store.Progress) liveFields {
	f := map[string]string{
		"total":   frontend.Int(lang, p.Total()),
		"flagged": frontend.Int(lang, p.Flagged),
		"status":  frontend.T(lang, "status_"+string(st.Status)),
	}
	for _, g := range groupsOf(st, p) {
		f["n_"+string(g.Group)] = frontend.Int(lang, g.N)
		f["v_"+string(g.Group)] = strconv.FormatInt(g.N, 10)
	}
	return liveFields{Fields: f}
}

// confirmBody is the confirmation page's model.
type confirmBody struct {
	Study  *survey.Study
	Action string // launch, pause, resume, close, delete
}

// confirmPage says what an action does before it is done.
func (s *Server) confirmPage(c echo.Context) error {
	st, err := s.pageStudy(c)
	if err != nil {
		return err
	}
	action := c.Param("action")
	if action == "delete" {
		if level(principal(c).Role) < admin {
			return newProblem(http.StatusForbidden, "forbidden", "deleting a study needs the admin role")
		}
	} else if _, ok := survey.ParseAction(action); !ok {
		return notFound("action")
	}
	d := s.dash(c, "confirm_"+action+"_title", "studies", confirmBody{Study: st, Action: action})
	return s.page(c, http.StatusOK, "dash_confirm", d)
}

func (s *Server) lifecycleForm(c echo.Context) error {
	action, ok := survey.ParseAction(c.FormValue("action"))
	if !ok {
		return badParam("action", "unknown action %q; valid: launch, pause, resume, close", c.FormValue("action"))
	}
	st, err := s.store.Transition(c.Request().Context(), c.Param("id"), action)
	if err != nil {
		return studyError(err)
	}
	s.audit(c, principal(c), "study."+string(action), st.ID, nil)
	notice := map[survey.Action]string{survey.Launch: "notice_launched", survey.Pause: "notice_paused",
		survey.Resume: "notice_resumed", survey.Close: "notice_closed"}[action]
	return redirect(c, "/dashboard/studies/"+st.ID, notice)
}

func (s *Server) deleteForm(c echo.Context) error {
	force := c.FormValue("force") == "true"
	if err := s.store.DeleteStudy(c.Request().Context(), c.Param("id"), force); err != nil {
		return studyError(err)
	}
	s.audit(c, principal(c), "study.delete", c.Param("id"), map[string]any{"force": force})
	return redirect(c, "/dashboard", "notice_deleted")
}
