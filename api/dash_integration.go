package api

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// The per-study integration panel (marketers and admins): the links
// generator, the holdout assignment call, the exposure pixel with ad
// servers' macros, the token format with minting snippets, and the
// study's secret behind a reveal step, with its rotation.

// integrationBody is the integration panel's model.
type integrationBody struct {
	// Study never carries its secret or assignment key here: those are
	// in Secret and AssignmentKey, set only by the reveal form.
	Study         *survey.Study
	SurveyURL     string // BASE/s/KEY?t=TOKEN
	AssignmentURL string // holdout studies
	Pixels        []pixelTag
	PixelBase     string
	Snippets      []snippet
	SignedLink    bool // the group goes in the link (signed_link brand lift)
	Holdout       bool
	Exposure      bool
	Secret        string
	AssignmentKey string
	Links         linksInput
	LinkErrors    []lineError
	// LinkCells and LinkWaves are the links form's cell and wave choices
	// (dash_links_design.go).
	LinkCells, LinkWaves []designChoice
	MaxLinks             int64
	GraceHours           int // the rotation form's default
	MaxGraceHours        int
}

func (s *Server) integrationPage(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	return s.integrationRender(c, http.StatusOK, s.integrationModel(c, st))
}

// integrationModel builds the panel for st without its secrets.
func (s *Server) integrationModel(c echo.Context, st *survey.Study) *integrationBody {
	cp := *st
	cp.Secret, cp.AssignmentKey = "", ""
	base := s.cfg.BaseURL
	b := &integrationBody{Study: &cp, SurveyURL: base + "/s/" + st.PublicKey + "?t=TOKEN",
		MaxLinks: MaxLinksPerCall, GraceHours: 72, MaxGraceHours: 720,
		Holdout:    st.HasGroups() && st.Assignment == survey.AssignHoldout,
		Exposure:   st.HasGroups() && st.Assignment == survey.AssignExposure,
		SignedLink: st.HasGroups() && st.Assignment == survey.AssignSignedLink}
	if b.Holdout {
		b.AssignmentURL = base + "/api/v1/public/studies/" + url.PathEscape(st.PublicKey) + "/assignment?rid=RESPONDENT_ID"
	}
	if b.Exposure {
		b.PixelBase = base + "/px/" + st.PublicKey
		b.Pixels = pixelTags(b.PixelBase)
	}
	b.Snippets = mintSnippets(base, st.PublicKey, b.SignedLink)
	b.LinkCells, b.LinkWaves = linkCellChoices(dashLang(c), st), linkWaveChoices(dashLang(c), st)
	return b
}

func (s *Server) integrationRender(c echo.Context, status int, b *integrationBody) error {
	d := s.dash(c, "integration_title", "studies", b)
	d.Title = tr(c, "integration_title") + " · " + b.Study.Name
	return s.page(c, status, "dash_integration", d)
}

// revealSecretForm shows the page once more with the study's secret (and,
// for holdout studies, the assignment key); a GET never carries them.
// Every reveal is in the audit log.
func (s *Server) revealSecretForm(c echo.Context) error {
	st, err := s.study(c)
	if err != nil {
		return err
	}
	b := s.integrationModel(c, st)
	b.Secret = st.Secret
	if b.Holdout {
		b.AssignmentKey = st.AssignmentKey
	}
	s.audit(c, principal(c), "study.secret_revealed", st.ID, nil)
	return s.integrationRender(c, http.StatusOK, b)
}

// rotateForm gives the study a new secret as POST .../rotate-secret does:
// same store call, same default and limit, same audit event.
func (s *Server) rotateForm(c echo.Context) error {
	if c.FormValue("confirm") != "yes" {
		return badParam("confirm", "%s", tr(c, "rotate_err_confirm"))
	}
	grace := 72
	if v := c.FormValue("grace_hours"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return badParam("grace_hours", "must be a whole number of hours from 0 to 720, got %q", v)
		}
		grace = n
	}
	st, err := s.store.RotateSecret(c.Request().Context(), c.Param("id"), time.Duration(grace)*time.Hour)
	if err != nil {
		return studyError(err)
	}
	s.audit(c, principal(c), "study.rotate_secret", st.ID, map[string]any{"grace_hours": grace})
	return redirect(c, "/dashboard/studies/"+st.ID+"/integration", "notice_secret_rotated")
}

// pixelTag is the exposure pixel's URL filled with one ad server's macros.
type pixelTag struct {
	ID, Name, URL string
	NameKey       string // an i18n key for Name, when it needs translating
}

// pixelTags fills the pixel's parameters (rid, creative, placement, cb:
// see docs/INTEGRATION.md and public_pixel.go) with the macros each ad
// server documents. The rid stays RESPONDENT_ID everywhere: it must be
// the same id the survey links carry, which only the campaign's owner
// knows how to fill.
func pixelTags(base string) []pixelTag {
	tag := func(id, name, creative, placement, cb string) pixelTag {
		return pixelTag{ID: "pixel-" + id, Name: name,
			URL: base + "?rid=RESPONDENT_ID&creative=" + creative + "&placement=" + placement + "&cb=" + cb}
	}
	generic := tag("generic", "", "${CREATIVE_ID}", "${PLACEMENT_ID}", "${CACHEBUSTER}")
	generic.NameKey = "pixel_generic"
	return []pixelTag{
		tag("yandex", "Яндекс Директ / Yandex Direct", "{ad_id}", "{campaign_id}", "%aw_random%"),
		tag("cm360", "Google Campaign Manager 360", "%ecid!", "%epid!", "%%CACHEBUSTER%%"),
		tag("adfox", "Adfox", "CREATIVE_ID", "PLACEMENT_ID", "%system.random%"),
		tag("vk", "VK Реклама / myTarget", "{{banner_id}}", "{{campaign_id}}", "{{random}}"),
		generic,
	}
}
