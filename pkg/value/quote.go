package value

import "unicode/utf8"

// Quoting is one way of writing a string as JSON text. JSON requires only `"`, `\` and the
// control characters below U+0020 to be escaped; the writers sfn imitates differ in the rest,
// and each difference is visible in a payload, so each has its Quoting here, side by side:
//
//   - JacksonQuoting: AWS's payload texts (States.JsonToString, States.Format, history
//     payloads): \n \r \t short, other controls as \u00XX, U+2028/U+2029 escaped, invalid
//     UTF-8 as \ufffd.
//   - JavaScriptQuoting: JSON.stringify, which jsonata-js's $string uses: \b and \f short too,
//     U+2028/U+2029 as they are, invalid UTF-8 as the U+FFFD character itself.
//   - HistoryQuoting (and HistoryPayloadQuoting): the JSON history sfn writes, as Go's
//     json.Marshal escapes (<, > and & too, \b and \f short) plus the C1 and bidi controls,
//     so that a history viewed in a terminal cannot be spoofed; the payload variant writes \b
//     and \f as Jackson does.
type Quoting struct {
	plain   [utf8.RuneSelf]bool // ASCII bytes written as they are
	short   [utf8.RuneSelf]byte // ASCII bytes written as a two-character escape (\n, \")
	escape  func(rune) bool     // non-ASCII runes written as \uXXXX
	rawFFFD bool                // invalid UTF-8 as the U+FFFD character rather than \ufffd
}

// newQuoting builds a Quoting: shortBF writes \b and \f short, html escapes <, > and &.
func newQuoting(shortBF, html bool, escape func(rune) bool, rawFFFD bool) *Quoting {
	q := &Quoting{escape: escape, rawFFFD: rawFFFD}
	for c := 0x20; c < utf8.RuneSelf; c++ {
		q.plain[c] = c != '"' && c != '\\' && !(html && (c == '<' || c == '>' || c == '&'))
	}
	q.short['"'], q.short['\\'], q.short['\n'], q.short['\r'], q.short['\t'] = '"', '\\', 'n', 'r', 't'
	if shortBF {
		q.short['\b'], q.short['\f'] = 'b', 'f'
	}
	return q
}

// lineSeparators are the two characters JavaScript source cannot hold in a string literal.
func lineSeparators(r rune) bool { return r == '\u2028' || r == '\u2029' }

// terminalControls are the characters that can spoof a terminal's display: C1 controls, bidi
// overrides and isolates, and the line separators.
func terminalControls(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) ||
		lineSeparators(r)
}

// The Quotings of sfn's writers (see Quoting).
var (
	JacksonQuoting        = newQuoting(false, false, lineSeparators, false)
	JavaScriptQuoting     = newQuoting(true, false, nil, true)
	HistoryQuoting        = newQuoting(true, true, terminalControls, false)
	HistoryPayloadQuoting = newQuoting(false, true, terminalControls, false)
)

// AppendQuoted appends s as a JSON string written as q writes it.
func AppendQuoted(b []byte, s string, q *Quoting) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if q.plain[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			if e := q.short[c]; e != 0 {
				b = append(b, '\\', e)
			} else {
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			if q.rawFFFD {
				b = utf8.AppendRune(b, utf8.RuneError)
			} else {
				b = append(b, `\ufffd`...)
			}
		case q.escape != nil && q.escape(r):
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
