package frontend

import (
	"net/http"
	"strings"
)

// widgetFile is the NPS widget's script among the static files.
const widgetFile = "nps-widget.js"

// Widget serves the NPS widget's script at a stable address (/w/nps.js)
// that customers' pages embed. Unlike the hashed static files it may
// change under the same URL, so caches keep it for five minutes; it is
// served to every origin, since the pages that embed it are elsewhere.
func Widget() http.Handler {
	static := Static()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r2 := r.Clone(r.Context())
		r2.URL.Path = Asset(widgetFile)
		static.ServeHTTP(&widgetHeaders{ResponseWriter: w}, r2)
	})
}

// widgetHeaders replaces the static files' year-long cache with the
// widget's short one as the headers are written.
type widgetHeaders struct {
	http.ResponseWriter
	wrote bool
}

func (w *widgetHeaders) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		h := w.Header()
		if strings.Contains(h.Get("Cache-Control"), "immutable") {
			h.Set("Cache-Control", "public, max-age=300")
		}
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Access-Control-Allow-Origin", "*")
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *widgetHeaders) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
