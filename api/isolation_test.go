package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// TestPoisonedRespondentHarmsNobody: 1 poisoned (a NUL in the text
// answer) and 255 valid submissions at once, on both databases: 255 x 201,
// one 422 naming the field, and only the valid ones stored.
func TestPoisonedRespondentHarmsNobody(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		respondents := make([]map[string]any, 256)
		for i := range respondents {
			respondents[i] = map[string]any{"rid": fmt.Sprintf("r%d", i), "group": []string{"exposed", "control"}[i%2]}
		}
		links := app.links(st, respondents...)
		codes := make([]int, len(links))
		bodies := make([][]byte, len(links))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, l := range links {
			answers := map[string]any{"recall": "yes", "nps": 9, "csat": 4, "why": "хорошо"}
			if i == 100 {
				answers["why"] = "bad\x00answer"
			}
			body, _ := json.Marshal(map[string]any{"token": l.Token, "answers": answers})
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				req := httptest.NewRequest("POST", "/api/v1/public/responses", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				app.srv.Handler().ServeHTTP(rec, req)
				codes[i], bodies[i] = rec.Code, rec.Body.Bytes()
			}()
		}
		close(start)
		wg.Wait()
		created := 0
		for i, code := range codes {
			switch {
			case i == 100:
				var p Problem
				json.Unmarshal(bodies[i], &p)
				if code != http.StatusUnprocessableEntity || len(p.Errors) != 1 || p.Errors[0].Field != "answers.why" {
					t.Errorf("poisoned submission: %d %s", code, bodies[i])
				}
			case code == http.StatusCreated:
				created++
			default:
				t.Errorf("valid submission %d: %d %s", i, code, bodies[i])
			}
		}
		if created != 255 {
			t.Errorf("%d valid submissions created, want 255", created)
		}
		check, err := app.store.VerifyResponses(t.Context(), st.ID, nil)
		if err != nil || check.Stored != 255 {
			t.Errorf("stored %+v %v, want 255", check, err)
		}
	})
}
