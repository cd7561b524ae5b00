// Package frontend embeds the respondent page's templates and static files
// and serves the static files at content-hashed URLs, so that browsers may
// cache them forever and a new release is fetched at once.
package frontend

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// StaticPrefix is where the static files are served.
const StaticPrefix = "/static/"

var (
	// hashed maps a file name (survey.js) to its URL (/static/survey.1a2b3c4d.js).
	hashed = map[string]string{}
	// files maps a hashed name (survey.1a2b3c4d.js) back to the file.
	files     = map[string]*staticFile{}
	templates *template.Template
)

// staticFile is one embedded file with its compressed forms, made once.
type staticFile struct {
	path    string
	plain   []byte
	encoded map[string][]byte // "br", "gzip"
}

func init() {
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		b = shrink(p, b)
		sum := sha256.Sum256(b)
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		h := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		hashed[name] = StaticPrefix + h
		f := &staticFile{path: p, plain: b, encoded: map[string][]byte{}}
		for _, enc := range []string{EncodingBrotli, EncodingGzip} {
			if c := Compress(enc, b, true); len(c) < len(b) {
				f.encoded[enc] = c
			}
		}
		files[h] = f
		return nil
	})
	if err != nil {
		panic("frontend: " + err.Error())
	}
	templates = template.Must(template.New("").Funcs(template.FuncMap{
		"t":     T,
		"asset": Asset,
		"add":   func(a, b int) int { return a + b },
		"optionView": func(q Question, i int, o Option) OptionView {
			return OptionView{QKey: q.Key, QType: q.Type, Required: q.Required, O: o, N: strconv.Itoa(i + 1)}
		},
	}).Funcs(dashFuncs).ParseFS(templateFS, "templates/*.html"))
}

// Asset returns the content-hashed URL of a static file, e.g.
// Asset("survey.js") = "/static/survey.1a2b3c4d5e.js".
func Asset(name string) string {
	u, ok := hashed[name]
	if !ok {
		panic("frontend: no static file " + name)
	}
	return u
}

// Render executes the template name (without .html) with data.
func Render(w io.Writer, name string, data any) error {
	if err := templates.ExecuteTemplate(w, name+".html", data); err != nil {
		return fmt.Errorf("frontend: render %s: %w", name, err)
	}
	return nil
}

// Static serves the embedded static files under their hashed names with a
// year-long immutable cache, compressed with brotli or gzip when the
// browser takes it; unknown names are 404.
func Static() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, StaticPrefix)
		f, ok := files[name]
		if !ok {
			http.NotFound(w, r)
			return
		}
		b := f.plain
		w.Header().Set("Vary", "Accept-Encoding")
		if enc := Negotiate(r.Header.Get("Accept-Encoding")); f.encoded[enc] != nil {
			b = f.encoded[enc]
			w.Header().Set("Content-Encoding", enc)
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		switch path.Ext(f.path) {
		case ".js":
			w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		case ".css":
			w.Header().Set("Content-Type", "text/css; charset=utf-8")
		case ".svg":
			w.Header().Set("Content-Type", "image/svg+xml")
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Write(b)
	})
}
