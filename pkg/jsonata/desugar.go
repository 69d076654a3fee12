package jsonata

import "strings"

// desugar rewrites the parts of JSONata 2.0's lexical syntax that the underlying parser lacks into
// text it reads the same way, byte for byte at the same offsets (so positions stay those of the
// source):
//
//   - a /* comment */ becomes spaces (an unterminated one is jsonata-js's S0106);
//   - a string literal used as a path step ("foo"."bar", $."Product Name") becomes a `quoted`
//     name, as jsonata-js's parser turns such a step into a name.
func desugar(expr string) (string, *SyntaxError) {
	var b []byte // the rewritten text, allocated on the first change
	change := func(i int, c byte) {
		if b == nil {
			b = []byte(expr)
		}
		b[i] = c
	}
	type tok struct{ start, end int }
	var strs []tok   // string literals
	var toks []tok   // every token, to find a string's neighbours
	operand := false // the previous token ends an operand (so '/' divides)
	for i := 0; i < len(expr); {
		c := expr[i]
		start := i
		switch {
		case isSpace(c):
			i++
			continue
		case c == '/' && i+1 < len(expr) && expr[i+1] == '*':
			end := strings.Index(expr[i+2:], "*/")
			if end < 0 {
				return "", &SyntaxError{Offset: i, Message: "comment has no closing tag", Code: "S0106"}
			}
			i += end + 4
			for j := start; j < i; j++ {
				if expr[j] != '\n' {
					change(j, ' ')
				}
			}
			continue
		case c == '/' && !operand:
			i = skipRegex(expr, i)
			operand = true
		case c == ')' || c == ']' || c == '}':
			i++
			operand = true
		case isSymbol(c):
			i += symbolLen(expr, i)
			operand = false
		case c == '"' || c == '\'':
			i = skipQuoted(expr, i)
			strs = append(strs, tok{start, i})
			operand = true
		case c >= '0' && c <= '9':
			i = skipNumber(expr, i)
			operand = true
		case c == '`':
			i = skipEscapedName(expr, i)
			operand = true
		default:
			i++
			for i < len(expr) && !isSpace(expr[i]) && !isSymbol(expr[i]) {
				i++
			}
			switch expr[start:i] {
			case "and", "or", "in":
				operand = false
			default:
				operand = true
			}
		}
		toks = append(toks, tok{start, i})
	}
	isDot := func(k int) bool {
		return k >= 0 && k < len(toks) && expr[toks[k].start:toks[k].end] == "."
	}
	k := 0
	for _, s := range strs {
		for toks[k] != s {
			k++
		}
		if !isDot(k-1) && !isDot(k+1) {
			continue
		}
		if s.end-s.start < 2 || expr[s.end-1] != expr[s.start] || strings.ContainsAny(expr[s.start+1:s.end-1], "\\`\n") {
			continue
		}
		change(s.start, '`')
		change(s.end-1, '`')
	}
	if b == nil {
		return expr, nil
	}
	return string(b), nil
}
