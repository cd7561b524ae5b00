package frontend

import (
	"net/http"
	"path"
	"strings"
)

// widgetFile is the NPS widget's script among the static files.
const widgetFile = "nps-widget.js"

// Widget serves the NPS widget's script at a stable address (/w/nps.js)
// that customers' pages embed. Unlike the hashed static files it may
// change under the same URL, so caches keep it for five minutes and then
// revalidate it by its ETag (the content hash), which costs a 304 until a
// release changes it; it is served to every origin, since the pages that
// embed it are elsewhere.
func Widget() http.Handler {
	static := Static()
	asset := Asset(widgetFile)
	// Weak: the same script is served plain, gzip and brotli.
	etag := `W/"` + strings.TrimSuffix(path.Base(asset), path.Ext(asset)) + `"`
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("ETag", etag)
		if etagMatch(r.Header.Get("If-None-Match"), etag) {
			h.Set("Vary", "Accept-Encoding")
			h.Set("Cache-Control", widgetCache)
			widgetCommon(h)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		r2 := r.Clone(r.Context())
		r2.URL.Path = asset
		static.ServeHTTP(&widgetHeaders{ResponseWriter: w}, r2)
	})
}

// etagMatch reports whether an If-None-Match header names etag (weakly,
// as RFC 9110 section 13.1.2 compares for GET), or is "*".
func etagMatch(header, etag string) bool {
	weak := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || strings.TrimPrefix(t, "W/") == weak {
			return true
		}
	}
	return false
}

// widgetCache is how long a cache keeps the widget before it revalidates.
const widgetCache = "public, max-age=300"

// widgetCommon lets any page load the widget.
func widgetCommon(h http.Header) {
	h.Set("Cross-Origin-Resource-Policy", "cross-origin")
	h.Set("Access-Control-Allow-Origin", "*")
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
			h.Set("Cache-Control", widgetCache)
		}
		widgetCommon(h)
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *widgetHeaders) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}
