package jsonata

import "strings"

const (
	openDelim  = "{%"
	closeDelim = "%}"
)

// Template extracts the expression from a "{% ... %}" string: ok=false when s
// is not a JSONata template.
//
// AWS accepts "{%expr%}" without spaces, so the expression is everything
// between the delimiters, untrimmed. Whitespace outside the delimiters makes
// the string an ordinary string literal (AWS passes " {% x %} " through
// unchanged), so it is not a template.
func Template(s string) (expr string, ok bool) {
	if len(s) < len(openDelim)+len(closeDelim) ||
		!strings.HasPrefix(s, openDelim) || !strings.HasSuffix(s, closeDelim) {
		return "", false
	}
	return s[len(openDelim) : len(s)-len(closeDelim)], true
}

// HalfDelimited reports a string that starts with "{%" but doesn't end with
// "%}" or vice versa (including the degenerate "{%}", whose delimiters
// overlap). Such a string is almost certainly a broken template; whether it is
// an error depends on the field (Comment and Label are free text).
func HalfDelimited(s string) bool {
	open := strings.HasPrefix(s, openDelim)
	close := strings.HasSuffix(s, closeDelim)
	if open != close {
		return true
	}
	return open && len(s) < len(openDelim)+len(closeDelim)
}
