// Package safetext makes untrusted text (state names, values, file names from a definition or
// a repository) safe to print on a terminal or in a CI log.
//
// It replaces every character a terminal, a log viewer or a CI problem matcher would act on
// by a visible escape:
//
//   - C0 controls U+0000–U+001F: TAB, LF and CR as \t, \n and \r, the others as \x1b-style
//     (ESC, BEL, backspace, ... so no colour, title, cursor or clear-screen sequence; no new
//     line that could forge a "file:line:col: error:" line or a "::warning" workflow command);
//   - DEL (U+007F) as \x7f;
//   - C1 controls U+0080–U+009F as \u009b-style (CSI and friends on 8-bit terminals);
//   - the Unicode bidirectional embeddings, overrides and isolates U+202A–U+202E and
//     U+2066–U+2069 (Trojan Source), and the line and paragraph separators U+2028, U+2029, as
//     \u202e-style;
//   - each byte that is not valid UTF-8 as \xff-style.
//
// Everything else, including a backslash, is kept as it is, so ordinary text is unchanged
// (and Escape does not allocate for it). The escaping is for display, not reversible.
package safetext

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape returns s with the characters listed in the package comment replaced by visible
// escapes.
func Escape(s string) string {
	i := firstUnsafe(s)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	b.WriteString(s[:i])
	for i < len(s) {
		text, size := Next(s[i:])
		b.WriteString(text)
		i += size
	}
	return b.String()
}

// Next decodes the first character of s (a rune, or one byte of invalid UTF-8) and returns
// how it is printed (the character itself, or its escape) and its length in bytes. s must not
// be empty.
func Next(s string) (text string, size int) {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf(`\x%02x`, s[0]), 1
	case r == '\t':
		return `\t`, 1
	case r == '\n':
		return `\n`, 1
	case r == '\r':
		return `\r`, 1
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r), 1
	case unsafeRune(r):
		return fmt.Sprintf(`\u%04x`, r), size
	}
	return s[:size], size
}

// Unsafe reports whether Escape replaces the rune r (for writers with their own escape syntax,
// such as DOT and Mermaid labels).
func Unsafe(r rune) bool { return r < 0x20 || r == 0x7f || unsafeRune(r) }

// unsafeRune reports whether r (not ASCII) is a C1 control, a bidi control or a line or
// paragraph separator.
func unsafeRune(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		r == 0x2028 || r == 0x2029
}

// firstUnsafe is the byte index of the first character Escape replaces, or -1.
func firstUnsafe(s string) int {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return i
		}
		i += size
	}
	return -1
}

// JSON rewrites the C1 controls, bidi controls and line separators in JSON text (where they can
// only occur inside strings; encoding/json already escapes C0 controls and, by default, U+2028
// and U+2029) as \u escapes, so the document means the same but is safe to print.
func JSON(b []byte) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r != utf8.RuneError && unsafeRune(r) {
			out = append(out, b[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, r)
			last = i + size
		}
		i += size
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}
