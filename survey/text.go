package survey

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The text rules hold for every string Brandlift takes and stores, so that
// both databases keep the same thing and nothing is refused late:
// PostgreSQL refuses U+0000 in text where SQLite would store it, and
// control characters corrupt CSV files, logs and terminals.
//
//   - Text must be valid UTF-8.
//   - It holds no control characters (Unicode category Cc: U+0000-U+001F,
//     U+007F-U+009F), except that multi-line text (question and option
//     texts, consent, text answers) may hold tab, line feed and carriage
//     return.
//
// Values an ad server fills in through macros (the pixel's creative and
// placement labels) are not refused, since the pixel must always answer
// its image: invalid bytes and control characters there become U+FFFD
// (see CleanLabel).

// TextProblem returns what is wrong with s as single-line text (names,
// brands, labels, identifiers, attribute values), or "" when nothing is.
func TextProblem(s string) string { return textProblem(s, false) }

// MultilineTextProblem is TextProblem for text that may span lines.
func MultilineTextProblem(s string) string { return textProblem(s, true) }

func textProblem(s string, multiline bool) string {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf { // ASCII, the common case
			if b < 0x20 || b == 0x7f {
				if multiline && (b == '\t' || b == '\n' || b == '\r') {
					i++
					continue
				}
				return controlMessage(rune(b), multiline)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return fmt.Sprintf("must be valid UTF-8 (invalid byte 0x%02X at byte %d)", b, i)
		}
		if unicode.IsControl(r) {
			return controlMessage(r, multiline)
		}
		i += size
	}
	return ""
}

func controlMessage(r rune, multiline bool) string {
	if multiline {
		return fmt.Sprintf("must not contain the control character U+%04X (only tab and line breaks are allowed)", r)
	}
	return fmt.Sprintf("must not contain the control character U+%04X", r)
}

// CleanLabel makes an ad server's macro value storable without refusing
// it: invalid UTF-8 and control characters become U+FFFD, surrounding
// space is trimmed, and the result is cut to max characters.
func CleanLabel(s string, max int) string {
	s = strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD"))
	if textProblem(s, false) != "" {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return utf8.RuneError
			}
			return r
		}, s)
	}
	if utf8.RuneCountInString(s) > max {
		s = string([]rune(s)[:max])
	}
	return s
}

// checkText records a problem of a single-line text field.
func (e *ValidationError) checkText(field, s string) {
	if msg := TextProblem(s); msg != "" {
		e.AddCode(field, CodeInvalid, "%s", msg)
	}
}

// checkMultiline records a problem of a multi-line text field.
func (e *ValidationError) checkMultiline(field, s string) {
	if msg := MultilineTextProblem(s); msg != "" {
		e.AddCode(field, CodeInvalid, "%s", msg)
	}
}

// checkLength records a text longer than max characters.
func (e *ValidationError) checkLength(field, s string, max int) {
	if n := utf8.RuneCountInString(s); n > max {
		e.AddCode(field, CodeTooLong, "must be at most %d characters, got %d", max, n)
	}
}
