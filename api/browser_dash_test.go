package api

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/chromedp/chromedp"
)

// TestDashBrowser drives the dashboard's own pages in Chromium: the
// sign-in form typed as a person does, the studies list, the study page
// whose counts move while a respondent answers, and the language switch.
func TestDashBrowser(t *testing.T) {
	b := newBrowser(t)
	t.Run("SignInListAndLiveCounts", b.testDashSignInAndLive)
	t.Run("Screens", b.testDashScreens)
	t.Logf("screenshots in %s", b.shots)
}

func (b *browser) testDashSignInAndLive(t *testing.T) {
	a := b.as(t)
	st, tokens := b.launch(t, exampleStudy(t), 1)
	u, err := a.store.CreateUser(context.Background(), "marketer@example.com", survey.RoleMarketer, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	ctx := b.tab(t, true)
	if status := cdpOpen(t, ctx, b.srv.URL+"/dashboard/studies/"+st.ID); status != http.StatusOK {
		t.Fatalf("the study page without a session: %d, want the sign-in page", status)
	}
	cdpWait(t, ctx, "sent to sign-in", `location.pathname === "/login" && !!document.querySelector("#email")`)
	// Headless Chromium asks for English; the sign-in page follows, and a
	// person reading Russian switches it before signing in.
	if lang := cdpEval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Errorf("the sign-in page for an English browser is in %q", lang)
	}
	cdpEval[bool](t, ctx, `document.querySelector('.who a[lang="ru"]').click(), true`)
	cdpWait(t, ctx, "the sign-in page in Russian", `document.readyState === "complete" && document.documentElement.lang === "ru" && !!document.querySelector("#email")`)
	cdpDo(t, ctx, "type the credentials",
		chromedp.SendKeys("#email", u.Email), chromedp.SendKeys("#password", testPassword))
	if status := cdpSubmit(t, ctx, chromedp.Click(`button[type=submit].primary`)); status != http.StatusOK {
		t.Fatalf("sign in: %d", status)
	}
	cdpWait(t, ctx, "back on the study page, in Russian", `location.pathname === "/dashboard/studies/`+st.ID+`" && document.documentElement.lang === "ru"`)
	noProblems(t, ctx)
	if got := cdpEval[string](t, ctx, `document.querySelector('[data-field="n_exposed"]').textContent`); got != "0" {
		t.Fatalf("exposed count %q before any answer", got)
	}
	a.do("POST", "/api/v1/public/responses", "", map[string]any{"token": tokens[0], "answers": exampleAnswers}).status(http.StatusCreated)
	cdpWait(t, ctx, "the exposed count moves to 1 without a reload",
		`document.querySelector('[data-field="n_exposed"]').textContent === "1" && document.querySelector('[data-field="total"]').textContent === "1"`)
	if v := cdpEval[float64](t, ctx, `document.querySelector('progress[data-field="v_exposed"]').value`); v != 1 {
		t.Errorf("the exposed progress bar is at %v, want 1", v)
	}

	cdpDo(t, ctx, "switch to English", chromedp.Click(`.who button[name=lang]`))
	cdpWait(t, ctx, "the page in English", `document.readyState === "complete" && document.documentElement.lang === "en" && document.body.textContent.includes("Exposed group")`)
	cdpEval[bool](t, ctx, `location.assign("/dashboard"), true`) // a link's way there, as a person goes
	cdpWait(t, ctx, "the list", `location.pathname === "/dashboard" && document.readyState === "complete"`)
	if lang := cdpEval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Errorf("the list after the switch is in %q: the language is not remembered", lang)
	}
	noProblems(t, ctx)
}

// testDashScreens takes the list, the study page and the sign-in page at
// 1280 and 360 px in both languages.
func (b *browser) testDashScreens(t *testing.T) {
	st, _ := b.launch(t, exampleStudy(t), 1)
	for _, lang := range []string{"ru", "en"} {
		ctx := b.tab(t, true)
		b.signInBrowser(t, ctx, survey.RoleAdmin, lang)
		for _, width := range []int64{1280, 360} {
			if width == 360 {
				cdpDo(t, ctx, "phone", phone(360))
			}
			for name, path := range map[string]string{"list": "/dashboard", "study": "/dashboard/studies/" + st.ID,
				"confirm-launch": "/dashboard/studies/" + st.ID + "/confirm/close"} {
				if status := cdpOpen(t, ctx, b.srv.URL+path); status != http.StatusOK {
					t.Fatalf("%s: %d", path, status)
				}
				noProblems(t, ctx)
				if w := cdpEval[float64](t, ctx, `document.documentElement.scrollWidth`); w > float64(width) {
					t.Errorf("%s at %d px is %v px wide: the page scrolls sideways", path, width, w)
				}
				b.shot(t, ctx, "dash-"+name+"-"+lang+"-"+strconv.FormatInt(width, 10))
			}
		}
		anon := b.tab(t, true)
		cdpOpen(t, anon, b.srv.URL+"/login?lang="+lang)
		b.shot(t, anon, "dash-login-"+lang)
	}
}
