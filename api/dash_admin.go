package api

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"

	"github.com/brandlift/brandlift/frontend"
	"github.com/brandlift/brandlift/survey"
	"github.com/labstack/echo/v4"
)

// The admin pages (admins only): users, API keys and the audit log. Each
// form calls the store as the API's handler does and writes the same
// audit event.

// usersBody is the users page's model.
type usersBody struct {
	Users   []survey.User
	Self    string       // the signed-in admin's id: no delete button for them
	Confirm *survey.User // the user whose deletion is being confirmed
	// Created is the user just created with a generated password, shown
	// this once.
	Created  *survey.User
	Password string
	Form     newUserForm
	Errors   frontend.FieldErrors
	Roles    []string
}

// newUserForm is what the create form sent, to show it again.
type newUserForm struct {
	Email, Role string
	Generate    bool
}

var roleNames = []string{string(survey.RoleAnalyst), string(survey.RoleMarketer), string(survey.RoleAdmin)}

func (s *Server) usersPage(c echo.Context) error {
	b := &usersBody{Form: newUserForm{Role: string(survey.RoleAnalyst), Generate: true}}
	return s.renderUsers(c, http.StatusOK, b, c.QueryParam("confirm"))
}

// renderUsers lists the users into b; confirm names a user to ask about
// deleting.
func (s *Server) renderUsers(c echo.Context, status int, b *usersBody, confirm string) error {
	users, err := s.store.Users(c.Request().Context())
	if err != nil {
		return err
	}
	b.Users, b.Self, b.Roles = users, userOf(c).ID, roleNames
	if confirm != "" {
		for i := range users {
			if users[i].ID == confirm {
				b.Confirm = &users[i]
			}
		}
		if b.Confirm == nil {
			return notFound("user")
		}
		if b.Confirm.ID == b.Self {
			return selfDelete(c)
		}
	}
	d := s.dash(c, "admin_users_title", "admin", b)
	return s.page(c, status, "dash_admin_users", d)
}

func (s *Server) createUserForm(c echo.Context) error {
	f := newUserForm{Email: c.FormValue("email"), Role: c.FormValue("role"), Generate: c.FormValue("generate") == "yes"}
	password := c.FormValue("password")
	if f.Generate {
		password = newPassword()
	}
	u, err := s.store.CreateUser(c.Request().Context(), f.Email, survey.Role(f.Role), password)
	var v *survey.ValidationError
	if errors.As(err, &v) {
		return s.renderUsers(c, http.StatusUnprocessableEntity, &usersBody{Form: f, Errors: accountErrors(c, v)}, "")
	}
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "user.create", "", map[string]any{"user": u.Email, "role": u.Role})
	if !f.Generate {
		return redirect(c, "/dashboard/admin/users", "notice_user_created")
	}
	// The generated password is on this answer only: never in a URL,
	// never stored in plain text.
	b := &usersBody{Created: &u, Password: password, Form: newUserForm{Role: string(survey.RoleAnalyst), Generate: true}}
	return s.renderUsers(c, http.StatusOK, b, "")
}

func (s *Server) deleteUserForm(c echo.Context) error {
	// The API lets an admin disable any user; the page refuses the admin's
	// own account, which would end the session that is using it and could
	// leave no admin to undo it.
	if c.Param("id") == userOf(c).ID {
		return selfDelete(c)
	}
	u, err := s.store.DisableUser(c.Request().Context(), c.Param("id"))
	if errors.Is(err, survey.ErrNotFound) {
		return notFound("user")
	}
	if err != nil {
		return err
	}
	s.audit(c, principal(c), "user.delete", "", map[string]any{"user": u.Email})
	return redirect(c, "/dashboard/admin/users", "notice_user_deleted")
}

func selfDelete(c echo.Context) error {
	return newProblem(http.StatusConflict, "self", tr(c, "admin_users_self"))
}

// newPassword is a generated password, as `brandlift users create` makes
// one: 120 random bits, 20 characters.
func newPassword() string {
	var b [15]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// accountErrors says what is wrong with a user or key form, field by
// field, in the user's language where we know the problem.
func accountErrors(c echo.Context, v *survey.ValidationError) frontend.FieldErrors {
	out := frontend.FieldErrors{}
	for _, fe := range v.Errors {
		msg := fe.Message
		switch {
		case fe.Field == "email" && strings.Contains(msg, "exists"):
			msg = tr(c, "admin_err_email_taken")
		case fe.Field == "email":
			msg = tr(c, "admin_err_email")
		case fe.Field == "role":
			msg = tr(c, "admin_err_role")
		case fe.Field == "password":
			msg = trf(c, "admin_err_password", survey.MinPasswordLength)
		case fe.Field == "name":
			msg = tr(c, "admin_err_key_name")
		}
		out[fe.Field] = append(out[fe.Field], msg)
	}
	return out
}
