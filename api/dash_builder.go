package api

import (
	"errors"
	"net/http"
	"slices"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// The study builder: one form holds the whole study. Structural buttons
// (add, move, duplicate, delete, templates) post the form with an op and
// get it back changed, nothing saved; "save" sends it to the store, which
// validates it exactly as the API does. See dash_builder_ops.go for the
// ops and dash_builder_form.go for the field names.

// builderBody is the builder page's model.
type builderBody struct {
	Study  *survey.Study // nil for a new study
	Form   builderForm
	Errs   *builderErrors
	Action string // where the form posts
	// Frozen is true once the study has been live: its questions, kind,
	// assignment, control share and languages are shown read-only and
	// not sent (the store would refuse any change to them).
	Frozen bool
	// Conflict is a message for the top of the form when the store
	// refused the change for the study's state (a closed study).
	Conflict string
	// Options of the form's selects.
	Locales, Kinds, Assignments, Confidences, Types, Metrics, Measures, Templates []string
	Significances, Timezones                                                      []string
	QuestionKeys                                                                  []string // for KPI targets
}

// newBody fills the lists every builder page offers.
func newBody(f builderForm, action string) *builderBody {
	b := &builderBody{Form: f, Action: action, Errs: &builderErrors{},
		Locales:     survey.SupportedLocales,
		Kinds:       []string{string(survey.KindBrandLift), string(survey.KindNPS)},
		Assignments: []string{string(survey.AssignSignedLink), string(survey.AssignHoldout), string(survey.AssignExposure)},
		Confidences: []string{"0.8", "0.9", "0.95"},
		Types:       []string{"single_choice", "multi_choice", "nps", "rating", "text"},
		Metrics:     []string{"", "ad_recall", "awareness", "consideration", "favorability", "purchase_intent", "custom"},
		Measures:    []string{"abs_lift", "rel_lift", "nps", "top2box", "mean"},
		Templates:   questionTemplates,
		// Fixed first: the default, right for a study read once at its end.
		Significances: []string{survey.SignificanceFixed, survey.SignificanceSequential},
		Timezones:     timezoneExamples,
	}
	return b
}

// timezoneExamples are offered as the time zone is typed (a datalist):
// Russia's zones west to east, then a few others. Any IANA name works.
var timezoneExamples = []string{"Europe/Moscow", "Europe/Kaliningrad", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
	"Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok", "Asia/Magadan", "Asia/Kamchatka",
	"Europe/Minsk", "Asia/Almaty", "Asia/Tashkent", "Europe/Istanbul", "Asia/Dubai", "Europe/Berlin", "Europe/London", "UTC"}

// keysFor lists the question keys a KPI target may name: the form's, or
// the stored ones when the questions are frozen.
func (b *builderBody) keysFor() {
	b.QuestionKeys = nil
	if b.Frozen && b.Study != nil {
		for _, q := range b.Study.Questions {
			b.QuestionKeys = append(b.QuestionKeys, q.Key)
		}
		return
	}
	for _, q := range b.Form.Questions {
		if q.Key != "" && !slices.Contains(b.QuestionKeys, q.Key) {
			b.QuestionKeys = append(b.QuestionKeys, q.Key)
		}
	}
}

// chooserBody is the model of the new-study page before a template is
// picked.
type chooserBody struct {
	Templates []chooserTemplate
}

// chooserTemplate is one whole-study template as the new-study page
// offers it.
type chooserTemplate struct {
	Name      string
	Questions []string // template question names, for the list of what it asks
}

func (s *Server) newStudyPage(c echo.Context) error {
	lang := dashLang(c)
	name := c.QueryParam("template")
	if name == "" {
		body := chooserBody{}
		for _, t := range studyTemplateOrder {
			body.Templates = append(body.Templates, chooserTemplate{Name: t, Questions: studyTemplates[t]})
		}
		return s.page(c, http.StatusOK, "dash_builder_new", s.dash(c, "bld_new_title", "new", body))
	}
	f := newForm(lang)
	f.Name, f.Brand = c.QueryParam("name"), c.QueryParam("brand")
	if name != "blank" && !f.useStudyTemplate(name) {
		return notFound("template")
	}
	return s.builder(c, http.StatusOK, newBody(f, "/dashboard/studies/new"))
}

func (s *Server) newStudyForm(c echo.Context) error {
	lang := dashLang(c)
	form, err := c.FormParams()
	if err != nil {
		return badRequest("the form cannot be read")
	}
	f := parseForm(form)
	b := newBody(f, "/dashboard/studies/new")
	if op := form.Get("op"); op != "" && op != "save" {
		b.Form.applyOp(op)
		return s.builder(c, http.StatusOK, b)
	}
	in, bad := f.toInput(lang, false)
	if len(bad) > 0 {
		spec := survey.DefaultSpec()
		return s.invalid(c, b, in, &spec, bad)
	}
	st, err := s.store.CreateStudy(c.Request().Context(), in)
	if err != nil {
		return s.saveFailed(c, b, err)
	}
	s.audit(c, principal(c), "study.create", st.ID, map[string]any{"name": st.Name, "kind": st.Kind})
	return redirect(c, "/dashboard/studies/"+st.ID, "notice_study_created")
}

func (s *Server) editStudyPage(c echo.Context) error {
	st, err := s.pageStudy(c)
	if err != nil {
		return err
	}
	return s.builder(c, http.StatusOK, editBody(dashLang(c), st, formOf(dashLang(c), st)))
}

// editBody is the builder of a stored study. Once the study has been live
// its frozen settings are not on the form; they are the stored ones.
func editBody(lang string, st *survey.Study, f builderForm) *builderBody {
	b := newBody(f, "/dashboard/studies/"+st.ID+"/edit")
	b.Study = st
	b.Frozen = st.LaunchedAt != nil || st.Status != survey.StatusDraft
	if b.Frozen {
		b.Form.Kind, b.Form.Assignment = string(st.Kind), string(st.Assignment)
		b.Form.Locales = append([]string(nil), st.Locales...)
		b.Form.ControlShare = formFloat(lang, st.ControlShare)
		b.Form.Questions = nil
		// The design is frozen too: the stored cells and waves, shown read-only.
		stored := designFormOf(lang, st)
		b.Form.Cells, b.Form.Waves = stored.Cells, stored.Waves
	}
	return b
}

func (s *Server) editStudyForm(c echo.Context) error {
	lang := dashLang(c)
	st, err := s.pageStudy(c)
	if err != nil {
		return err
	}
	form, err := c.FormParams()
	if err != nil {
		return badRequest("the form cannot be read")
	}
	b := editBody(lang, st, parseForm(form))
	if op := form.Get("op"); op != "" && op != "save" {
		b.Form.applyOp(op)
		return s.builder(c, http.StatusOK, b)
	}
	in, bad := b.Form.toInput(lang, b.Frozen)
	if len(bad) > 0 {
		spec := st.Spec
		return s.invalid(c, b, in, &spec, bad)
	}
	updated, err := s.store.UpdateStudy(c.Request().Context(), st.ID, in)
	if err != nil {
		return s.saveFailed(c, b, studyError(err))
	}
	s.audit(c, principal(c), "study.update", updated.ID, nil)
	return redirect(c, "/dashboard/studies/"+updated.ID, "notice_study_saved")
}

// invalid shows a form with values that could not be read, together with
// everything else the store's validation finds in the rest, so that every
// mistake shows at once. Nothing is saved.
func (s *Server) invalid(c echo.Context, b *builderBody, in *survey.StudyInput, base *survey.Spec, bad map[string]string) error {
	in.Apply(base)
	var invalid *survey.ValidationError
	errors.As(base.Validate(), &invalid)
	b.Errs = collectErrors(dashLang(c), bad, invalid)
	return s.builder(c, http.StatusUnprocessableEntity, b)
}

// saveFailed shows the store's refusal on the form: validation errors next
// to their fields (422), a state conflict at the top (409).
func (s *Server) saveFailed(c echo.Context, b *builderBody, err error) error {
	var invalid *survey.ValidationError
	var conflict *survey.ConflictError
	switch {
	case errors.As(err, &invalid):
		b.Errs = collectErrors(dashLang(c), nil, invalid)
		return s.builder(c, http.StatusUnprocessableEntity, b)
	case errors.As(err, &conflict):
		b.Conflict = tr(c, "bld_conflict_closed")
		if conflict.Field != "" {
			b.Conflict = trf(c, "bld_conflict_frozen", fieldWord(dashLang(c), conflict.Field, ""))
		}
		return s.builder(c, http.StatusConflict, b)
	}
	return err
}

// builder renders the builder page.
func (s *Server) builder(c echo.Context, status int, b *builderBody) error {
	b.keysFor()
	title := "bld_new_title"
	if b.Study != nil {
		title = "bld_edit_title"
	}
	d := s.dash(c, title, "new", b)
	if b.Study != nil {
		d.Nav = "studies"
		d.Title = tr(c, "bld_edit_title") + ": " + b.Study.Name
	}
	if b.Errs.Any() {
		d.Title = tr(c, "bld_errors_title_short") + " · " + d.Title
	}
	return s.page(c, status, "dash_builder", d)
}
