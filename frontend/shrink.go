package frontend

import (
	"bytes"
	"path"
	"regexp"
)

// shrink takes out what a browser does not need from the embedded script
// and stylesheet, once at start-up: comments and indentation. It is not a
// minifier, and does not try to be one: JavaScript keeps its line breaks
// (so automatic semicolon insertion sees the same code) and only lines
// that are wholly a // comment go; CSS loses its /* */ comments. The
// sources stay readable in the repository; compression does the rest.
func shrink(name string, b []byte) []byte {
	switch path.Ext(name) {
	case ".js":
		var out bytes.Buffer
		for _, line := range bytes.Split(b, []byte("\n")) {
			line = bytes.TrimSpace(line)
			if len(line) == 0 || bytes.HasPrefix(line, []byte("//")) {
				continue
			}
			out.Write(line)
			out.WriteByte('\n')
		}
		return out.Bytes()
	case ".css":
		b = cssComment.ReplaceAll(b, nil)
		var out bytes.Buffer
		for _, line := range bytes.Split(b, []byte("\n")) {
			if line = bytes.TrimSpace(line); len(line) > 0 {
				out.Write(line)
				out.WriteByte('\n')
			}
		}
		return out.Bytes()
	}
	return b
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)
