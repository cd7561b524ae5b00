package frontend

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"

	"github.com/andybalholm/brotli"
)

// Encodings a response may be compressed with, best first. Brotli comes
// from github.com/andybalholm/brotli, a pure-Go port (no cgo) that is kept
// up to date; gzip is the standard library's.
const (
	EncodingBrotli = "br"
	EncodingGzip   = "gzip"
)

// Negotiate picks the content encoding for an Accept-Encoding header:
// brotli, else gzip, else "" (identity). An encoding with q=0 is refused.
func Negotiate(acceptEncoding string) string {
	accepted := map[string]bool{}
	for _, part := range strings.Split(acceptEncoding, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		accepted[strings.ToLower(strings.TrimSpace(name))] = q > 0
	}
	for _, enc := range []string{EncodingBrotli, EncodingGzip} {
		if accepted[enc] {
			return enc
		}
	}
	return ""
}

// Compress encodes b with enc ("br" or "gzip") at the given effort: best
// for files compressed once at start-up, fast for pages rendered per
// request. Any other enc returns b as it is.
func Compress(enc string, b []byte, best bool) []byte {
	var buf bytes.Buffer
	switch enc {
	case EncodingBrotli:
		level := 5
		if best {
			level = brotli.BestCompression
		}
		w := brotli.NewWriterLevel(&buf, level)
		w.Write(b)
		w.Close()
	case EncodingGzip:
		level := gzip.DefaultCompression
		if best {
			level = gzip.BestCompression
		}
		w, _ := gzip.NewWriterLevel(&buf, level)
		w.Write(b)
		w.Close()
	default:
		return b
	}
	return buf.Bytes()
}
