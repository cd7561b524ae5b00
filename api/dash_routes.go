package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// pageRoutes is the dashboard's route table: pages and the forms they
// post, signed in with a session (never an API key). They are not part of
// the API, so they are not in the OpenAPI document; the page access test
// is generated from this list as the API's is from routes.
func (s *Server) pageRoutes() []route {
	return []route{
		{http.MethodGet, "/dashboard", analyst, s.studiesPage},
		{http.MethodPost, "/logout", analyst, s.signOutForm},
		{http.MethodPost, "/dashboard/language", analyst, s.languageForm},

		{http.MethodGet, "/dashboard/studies/:id", analyst, s.studyPage},
		{http.MethodGet, "/dashboard/studies/:id/progress", analyst, s.studyProgress},
		{http.MethodGet, "/dashboard/studies/:id/confirm/:action", marketer, s.confirmPage},
		{http.MethodPost, "/dashboard/studies/:id/lifecycle", marketer, s.lifecycleForm},
		{http.MethodPost, "/dashboard/studies/:id/delete", admin, s.deleteForm},

		{http.MethodGet, "/dashboard/studies/new", marketer, s.newStudyPage},
		{http.MethodPost, "/dashboard/studies/new", marketer, s.newStudyForm},
		{http.MethodGet, "/dashboard/studies/:id/edit", marketer, s.editStudyPage},
		{http.MethodPost, "/dashboard/studies/:id/edit", marketer, s.editStudyForm},
		{http.MethodGet, "/dashboard/studies/:id/preview", marketer, s.previewPage},

		{http.MethodGet, "/dashboard/studies/:id/integration", marketer, s.integrationPage},
		{http.MethodPost, "/dashboard/studies/:id/links", marketer, s.linksForm},
		{http.MethodPost, "/dashboard/studies/:id/secret", marketer, s.revealSecretForm},
		{http.MethodPost, "/dashboard/studies/:id/rotate", marketer, s.rotateForm},

		{http.MethodGet, "/dashboard/plan", marketer, s.planPage},

		{http.MethodGet, "/dashboard/studies/:id/results", analyst, s.resultsPage},
		{http.MethodGet, "/dashboard/studies/:id/report", analyst, s.reportPage},
		{http.MethodGet, "/dashboard/studies/:id/text/:question", analyst, s.textAnswersPage},

		{http.MethodGet, "/dashboard/admin/users", admin, s.usersPage},
		{http.MethodPost, "/dashboard/admin/users", admin, s.createUserForm},
		{http.MethodPost, "/dashboard/admin/users/:id/delete", admin, s.deleteUserForm},
		{http.MethodGet, "/dashboard/admin/keys", admin, s.keysPage},
		{http.MethodPost, "/dashboard/admin/keys", admin, s.createKeyForm},
		{http.MethodPost, "/dashboard/admin/keys/:id/revoke", admin, s.revokeKeyForm},
		{http.MethodGet, "/dashboard/admin/audit", admin, s.auditPage},

		{http.MethodGet, "/dashboard/*", analyst, s.noPage},
	}
}

// registerPages adds the sign-in page and the dashboard.
func (s *Server) registerPages() {
	s.echo.GET("/", func(c echo.Context) error { return c.Redirect(http.StatusFound, "/dashboard") })
	s.echo.GET("/login", s.signInPage)
	s.echo.POST("/login", s.signInForm)
	for _, r := range s.pageRoutes() {
		s.echo.Add(r.method, r.path, s.requirePage(r.access, r.handler))
	}
}

// noPage is the dashboard's 404, in the user's language.
func (s *Server) noPage(c echo.Context) error {
	return notFound("page")
}
