package api

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
)

// npsStudy creates an nps study from the example.
func npsStudy(app *testApp) survey.Study {
	return app.createStudy(func() map[string]any {
		b := exampleStudy(app.t)
		b["kind"], b["name"] = "nps", "NPS-программа"
		delete(b, "control_share")
		return b
	}())
}

type contactPage struct {
	Contacts   []survey.Contact
	NextCursor string `json:"next_cursor"`
}

// TestContactsImport imports an NPS program's customers as a CSV file and
// as JSON: a file with bad rows is refused with every row named and
// imports nothing; a good one creates 20 contacts with their attributes
// and a default rid that is a keyed hash of the email (the same on
// re-import, and not the email); a re-import updates; a brand-lift study
// takes no contacts.
func TestContactsImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := npsStudy(app)
		path := "/api/v1/studies/" + st.ID + "/contacts"
		csvOf := func(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

		bad := csvOf("email,name,locale,plan,country",
			"anna@example.com,Анна,ru,pro,RU",
			"not-an-email,Bob,en,free,US",
			"ANNA@example.com,Анна 2,ru,pro,RU",
			"carl@example.com,Carl,de,free,DE",
			"dora@example.com,Dora\x00,en,free,DE")
		var p Problem
		app.do("POST", path, survey.RoleMarketer, bad, "Content-Type", "text/csv").status(http.StatusUnprocessableEntity).decode(&p)
		fields := []string{}
		for _, e := range p.Errors {
			fields = append(fields, e.Field)
		}
		if strings.Join(fields, " ") != "contacts[1].email contacts[2].email contacts[3].locale contacts[4].name" ||
			!strings.Contains(p.Errors[0].Message, "line 3") || !strings.Contains(p.Errors[1].Message, "contacts[0]") {
			t.Errorf("bad rows: %+v", p.Errors)
		}
		var page contactPage
		app.do("GET", path, survey.RoleMarketer, nil).status(http.StatusOK).decode(&page)
		if len(page.Contacts) != 0 {
			t.Fatalf("a refused file imported %d contacts", len(page.Contacts))
		}

		lines := []string{"\uFEFFemail;name;plan;customer_since"}
		for i := range 20 {
			lines = append(lines, fmt.Sprintf("user%02d@Example.com;Клиент %d;%s;2024-0%d", i, i, []string{"pro", "free"}[i%2], 1+i%9))
		}
		var res survey.ContactImport
		app.do("POST", path, survey.RoleMarketer, csvOf(lines...), "Content-Type", "text/csv; charset=utf-8").status(http.StatusOK).decode(&res)
		if res.Created != 20 || res.Updated != 0 {
			t.Errorf("import: %+v", res)
		}
		app.do("GET", path+"?limit=15", survey.RoleMarketer, nil).status(http.StatusOK).decode(&page)
		first := page.Contacts
		cursor := page.NextCursor
		page = contactPage{}
		app.do("GET", path+"?limit=15&cursor="+cursor, survey.RoleMarketer, nil).status(http.StatusOK).decode(&page)
		all := append(first, page.Contacts...)
		if len(all) != 20 || page.NextCursor != "" {
			t.Fatalf("%d contacts listed", len(all))
		}
		byEmail := map[string]survey.Contact{}
		for _, c := range all {
			byEmail[c.Email] = c
		}
		want, err := app.store.ContactRID(context.Background(), "USER03@example.com")
		if err != nil {
			t.Fatal(err)
		}
		c := byEmail["user03@example.com"]
		if c.Name != "Клиент 3" || c.Attrs["plan"] != "free" || c.Attrs["customer_since"] != "2024-04" ||
			!strings.HasPrefix(c.RID, "c_") || strings.Contains(c.RID, "user03") || c.RID != want {
			t.Errorf("contact %+v", c)
		}

		app.do("POST", path, survey.RoleMarketer, map[string]any{"contacts": []map[string]any{
			{"email": "user03@example.com", "name": "Клиент Три", "locale": "en", "attrs": map[string]string{"plan": "pro"}},
			{"email": "new@example.com", "rid": "crm-42"}}}).status(http.StatusOK).decode(&res)
		if res.Created != 1 || res.Updated != 1 {
			t.Errorf("JSON re-import: %+v", res)
		}
		page = contactPage{}
		app.do("GET", path+"?limit=1000", survey.RoleMarketer, nil).status(http.StatusOK).decode(&page)
		for _, c := range page.Contacts {
			if c.Email == "user03@example.com" && (c.Name != "Клиент Три" || c.Locale != "en" || c.Attrs["plan"] != "pro" || c.RID != byEmail[c.Email].RID) {
				t.Errorf("updated contact %+v", c)
			}
			if c.Email == "new@example.com" && c.RID != "crm-42" {
				t.Errorf("a given rid: %+v", c)
			}
		}
		if len(page.Contacts) != 21 {
			t.Errorf("%d contacts after the re-import, want 21", len(page.Contacts))
		}

		var erased survey.Erasure
		app.do("DELETE", "/api/v1/studies/"+st.ID+"/respondents/crm-42", survey.RoleAdmin, nil).status(http.StatusOK).decode(&erased)
		if erased.Contacts != 1 {
			t.Errorf("erasing crm-42: %+v", erased)
		}

		for body, field := range map[string]string{
			csvOf("name,plan", "Anna,pro"):                "columns",
			csvOf("email,Plan Type", "a@example.com,pro"): "columns[1]",
			"": "contacts",
			csvOf("email,plan", "a@example.com,pro,extra"):                 "contacts[0]",
			csvOf("email,plan", "a@example.com,"+strings.Repeat("x", 101)): "contacts[0].attrs.plan",
		} {
			res := app.do("POST", path, survey.RoleMarketer, body, "Content-Type", "text/csv")
			var p Problem
			res.decode(&p)
			if res.Code != http.StatusUnprocessableEntity || len(p.Errors) == 0 || p.Errors[0].Field != field {
				t.Errorf("%q: %d %+v, want the field %s", body, res.Code, p.Errors, field)
			}
		}
		app.do("POST", path, survey.RoleMarketer, "\xff\xfeemail", "Content-Type", "text/csv").status(http.StatusUnprocessableEntity)
		app.do("POST", path, survey.RoleMarketer, "email", "Content-Type", "application/xml").status(http.StatusUnsupportedMediaType)
		app.do("POST", path, survey.RoleAnalyst, map[string]any{"contacts": []any{}}).status(http.StatusForbidden)
		app.do("GET", path, survey.RoleAnalyst, nil).status(http.StatusForbidden)

		lift := app.createStudy(exampleStudy(t))
		app.do("POST", "/api/v1/studies/"+lift.ID+"/contacts", survey.RoleMarketer, map[string]any{"contacts": []map[string]any{{"email": "a@example.com"}}}).
			status(http.StatusConflict)
	})
}
