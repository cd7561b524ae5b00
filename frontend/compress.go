package frontend

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"

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
	for _, enc := range []string{EncodingBrotli, EncodingGzip} {
		if Accepts(acceptEncoding, enc) {
			return enc
		}
	}
	return ""
}

// Accepts reports whether an Accept-Encoding header takes enc.
func Accepts(acceptEncoding, enc string) bool {
	taken := false // the last mention wins, as a map of them would say
	for part := range strings.SplitSeq(acceptEncoding, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(name), enc) {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		taken = q > 0
	}
	return taken
}

// Compress encodes b with enc ("br" or "gzip") at the given effort: best
// for files compressed once at start-up, fast for pages rendered per
// request. Any other enc returns b as it is.
//
// The fast encoders are pooled: a new gzip writer allocates about 800 KB
// of tables and a brotli one about 400 KB, which for a page of a few KB
// cost more than the compressing itself, and under load the garbage
// collector's time on top.
func Compress(enc string, b []byte, best bool) []byte {
	var buf bytes.Buffer
	switch enc {
	case EncodingBrotli:
		if best {
			w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
			w.Write(b)
			w.Close()
			break
		}
		w := fastBrotli.Get().(*brotli.Writer)
		w.Reset(&buf)
		w.Write(b)
		w.Close()
		fastBrotli.Put(w)
	case EncodingGzip:
		if best {
			w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
			w.Write(b)
			w.Close()
			break
		}
		w := fastGzip.Get().(*gzip.Writer)
		w.Reset(&buf)
		w.Write(b)
		w.Close()
		fastGzip.Put(w)
	default:
		return b
	}
	return buf.Bytes()
}

// fastBrotli and fastGzip hold the per-request encoders (see Compress).
var (
	fastBrotli = sync.Pool{New: func() any { return brotli.NewWriterLevel(nil, fastBrotliLevel) }}
	fastGzip   = sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
		return w
	}}
)

// fastBrotliLevel is the per-request brotli level. Measured on a 5.3 KB
// survey page: gzip's fastest level gives 2,202 bytes in 34 µs, its
// default 2,074 in 65 µs; brotli 2 gives 2,210 in 54 µs, brotli 5 1,749
// in 132 µs. Any of them fits a phone's first round trip (ten TCP
// segments), so the fast levels win: the server's time is what limits
// pages under load.
const fastBrotliLevel = 2
