package api

import (
	"net/http"
	"strings"
	"testing"
)

// TestPixelNotInTheAccessLog: the pixel's answered impressions are logged
// at debug level only (one line per ad impression would cost more than
// recording it), while every other request stays at info.
func TestPixelNotInTheAccessLog(t *testing.T) {
	forEachDB(t, func(t *testing.T, app *testApp) {
		st := app.launched(nil)
		app.do("GET", "/px/"+st.PublicKey+"?rid=viewer", "", nil).status(http.StatusOK)
		app.do("GET", "/healthz", "", nil).status(http.StatusOK)
		var pixel, health string
		for _, line := range strings.Split(app.logBuf.String(), "\n") {
			switch {
			case strings.Contains(line, "msg=request") && strings.Contains(line, "path=/px/"):
				pixel = line
			case strings.Contains(line, "msg=request") && strings.Contains(line, "path=/healthz"):
				health = line
			}
		}
		if !strings.Contains(pixel, "level=DEBUG") {
			t.Errorf("pixel request logged as %q, want debug", pixel)
		}
		if !strings.Contains(health, "level=INFO") {
			t.Errorf("health check logged as %q, want info", health)
		}
	})
}
