package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/brandlift/brandlift/survey"
	"github.com/getkin/kin-openapi/openapi3filter"
)

func init() {
	// The other JSON Lines type the impressions endpoint takes.
	openapi3filter.RegisterBodyDecoder("application/jsonl", jsonLinesDecoder)
}

// impressionsCSV has good rows and one of each kind of bad row.
const impressionsCSV = "rid,count,creative,placement,time\n" +
	"u-1,2,cr-1,site-a,2026-05-01T10:00:00Z\n" +
	"u-1,1,cr-2,site-b,2026-05-01T11:00:00Z\n" +
	"u-2,,cr-1,,\n" +
	"bad\x01rid,1,cr-1,site-a,\n" + // line 5: rid with a control character
	"u-3,0,cr-1,site-a,\n" + // 6: count 0
	"u-3,x,cr-1,site-a,\n" + // 7: count x
	"u-3,1,cr-1,site-a,01/05/2026\n" // 8: not RFC 3339

// TestImpressionImport: a CSV log with good and bad rows is taken in part
// and reported (201); the same file id again answers the same report
// (200, replay) and counts nothing; the file id may come as a header;
// JSON Lines; unknown columns, a file of only bad rows, a missing file
// id, an unknown type, an analyst and a closed study are refused.
func TestImpressionImport(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.createStudy(exampleStudy(t))
		path := "/api/v1/studies/" + st.ID + "/impressions"
		csvType := []string{"Content-Type", "text/csv"}

		var rep survey.ImpressionImport
		first := app.do("POST", path+"?file_id=dcm-2026-05-01", survey.RoleMarketer, impressionsCSV, csvType...).status(http.StatusCreated)
		first.decode(&rep)
		if rep.RowsRead != 7 || rep.RowsTaken != 3 || rep.RowsRejected != 4 || rep.ImpressionsAdded != 4 || rep.RespondentsTouched != 2 ||
			rep.Replay || rep.RejectedByReason["invalid_count"] != 2 || rep.RejectedByReason["invalid_rid"] != 1 ||
			rep.RejectedByReason["invalid_time"] != 1 || len(rep.Rejections) != 4 || rep.Rejections[0].Line != 5 || rep.Rejections[3].Field != "time" {
			t.Errorf("report %s", first.Body.String())
		}
		if strings.Contains(first.Body.String(), "bad") {
			t.Errorf("the report repeats a rejected rid: %s", first.Body.String())
		}
		stored, err := app.store.Study(t.Context(), st.ID) // with its keys, which hash rids
		if err != nil {
			t.Fatal(err)
		}
		e, err := app.store.Exposure(t.Context(), stored, "u-1")
		if err != nil || e.Count != 3 || e.Creative != "cr-2" || e.Placement != "site-b" {
			t.Errorf("u-1: %+v %v", e, err)
		}

		again := app.do("POST", path, survey.RoleMarketer, impressionsCSV, "Content-Type", "text/csv", "Idempotency-Key", "dcm-2026-05-01").
			status(http.StatusOK)
		var rep2 survey.ImpressionImport
		again.decode(&rep2)
		if again.Header().Get("Idempotent-Replayed") != "true" || !rep2.Replay {
			t.Errorf("replay: %v %s", again.Header(), again.Body.String())
		}
		rep2.Replay = false
		a, _ := json.Marshal(rep)
		b, _ := json.Marshal(rep2)
		if string(a) != string(b) {
			t.Errorf("replayed report\n%s\nwant\n%s", b, a)
		}
		if e, _ := app.store.Exposure(t.Context(), stored, "u-1"); e.Count != 3 {
			t.Errorf("the replay counted again: %+v", e)
		}

		jsonl := `{"rid":"u-1","count":5,"creative":"cr-9"}` + "\n" + `{"rid":"u-9","ua":"x"}` + "\n"
		for _, ct := range []string{"application/x-ndjson", "application/jsonl"} {
			var r survey.ImpressionImport
			app.do("POST", path+"?file_id=jsonl-"+ct, survey.RoleAdmin, jsonl, "Content-Type", ct).status(http.StatusCreated).decode(&r)
			if r.RowsTaken != 1 || r.RejectedByReason["unknown_field"] != 1 || r.Rejections[0].Field != "ua" {
				t.Errorf("%s: %+v", ct, r)
			}
		}
		if e, _ := app.store.Exposure(t.Context(), stored, "u-1"); e.Count != 13 || e.Creative != "cr-9" {
			t.Errorf("u-1 after JSON Lines: %+v", e)
		}

		p := app.do("POST", path+"?file_id=x", survey.RoleMarketer, "rid,ip,ua\nu-1,1.2.3.4,x\n", csvType...).
			status(http.StatusUnprocessableEntity).problem()
		if len(p.Errors) != 1 || p.Errors[0].Field != "columns" || !strings.Contains(p.Errors[0].Message, `"ip", "ua"`) {
			t.Errorf("unknown columns: %+v", p)
		}
		p = app.do("POST", path+"?file_id=allbad", survey.RoleMarketer, "rid,count\nu-1,0\n,1\n", csvType...).
			status(http.StatusUnprocessableEntity).problem()
		if p.Import == nil || p.Import.RowsRejected != 2 || p.Import.RowsTaken != 0 || len(p.Errors) != 2 ||
			p.Errors[0].Code != "invalid_count" || !strings.HasPrefix(p.Errors[0].Message, "line 2:") {
			t.Errorf("only bad rows: %+v", p)
		}
		app.do("POST", path+"?file_id=allbad", survey.RoleMarketer, "rid\nu-5\n", csvType...).status(http.StatusCreated)

		app.do("POST", path, survey.RoleMarketer, impressionsCSV, csvType...).status(http.StatusBadRequest)
		app.do("POST", path+"?file_id=a", survey.RoleMarketer, impressionsCSV, "Content-Type", "text/csv", "Idempotency-Key", "b").
			status(http.StatusBadRequest)
		app.do("POST", path+"?file_id=j", survey.RoleMarketer, `{"rid":"u-1"}`).status(http.StatusUnsupportedMediaType)
		app.do("POST", path+"?file_id=r", survey.RoleAnalyst, impressionsCSV, csvType...).status(http.StatusForbidden)
		app.do("POST", "/api/v1/studies/nope/impressions?file_id=r", survey.RoleMarketer, impressionsCSV, csvType...).status(http.StatusNotFound)

		app.do("POST", "/api/v1/studies/"+st.ID+"/launch", survey.RoleMarketer, nil).status(http.StatusOK)
		app.do("POST", "/api/v1/studies/"+st.ID+"/close", survey.RoleMarketer, nil).status(http.StatusOK)
		p = app.do("POST", path+"?file_id=late", survey.RoleMarketer, impressionsCSV, csvType...).status(http.StatusConflict).problem()
		if p.CurrentStatus != survey.StatusClosed {
			t.Errorf("closed study: %+v", p)
		}
	})
}
