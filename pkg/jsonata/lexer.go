package jsonata

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Token kinds of the lexer.
const (
	tokEnd      = iota // end of the expression
	tokOperator        // punctuation and operators, including "and", "or", "in"
	tokName            // a field name (plain or `escaped`)
	tokVariable        // $name ("" for $, "$" for $$)
	tokString          // a string literal (value unescaped)
	tokNumber          // a number literal
	tokValue           // true, false, null
	tokRegex           // /pattern/flags
)

// token is one lexical token: its kind, its text (the operator, the name, the unescaped string, the
// regex pattern) and where it starts and ends in the expression.
type lexToken struct {
	kind    int
	value   string
	num     float64
	lit     any // tokValue: true, false or nil
	flags   string
	escaped bool // a `quoted` name
	pos     int
	end     int
}

// operatorChars are the characters that are operators on their own and end a name (jsonata-js's
// operators table).
const operatorChars = ".[]{}(),@#;:?+-*/%|=<>^&!~"

// twoCharOps are the operators of two characters.
var twoCharOps = [...]string{"..", ":=", "!=", ">=", "<=", "**", "~>"}

// lexer reads tokens from an expression, as jsonata-js's tokenizer.
type lexer struct {
	src string
	pos int
}

func isOperatorChar(c byte) bool { return strings.IndexByte(operatorChars, c) >= 0 }

// next returns the next token; infix says that a '/' is division (an operand precedes it), not
// the start of a regular expression.
func (l *lexer) next(infix bool) (lexToken, *SyntaxError) {
	src := l.src
	for {
		for l.pos < len(src) && isSpace(src[l.pos]) {
			l.pos++
		}
		if l.pos+1 < len(src) && src[l.pos] == '/' && src[l.pos+1] == '*' {
			start := l.pos
			end := strings.Index(src[l.pos+2:], "*/")
			if end < 0 {
				return lexToken{}, &SyntaxError{Offset: start, Code: "S0106", Message: "Comment has no closing tag"}
			}
			l.pos += end + 4
			continue
		}
		break
	}
	start := l.pos
	if l.pos >= len(src) {
		return lexToken{kind: tokEnd, pos: len(src), end: len(src)}, nil
	}
	c := src[l.pos]
	if !infix && c == '/' {
		l.pos++
		return l.regex(start)
	}
	for _, op := range twoCharOps {
		if strings.HasPrefix(src[l.pos:], op) {
			l.pos += 2
			return lexToken{kind: tokOperator, value: op, pos: start, end: l.pos}, nil
		}
	}
	if isOperatorChar(c) {
		l.pos++
		return lexToken{kind: tokOperator, value: string(c), pos: start, end: l.pos}, nil
	}
	switch {
	case c == '"' || c == '\'':
		return l.str(start, c)
	case c >= '0' && c <= '9':
		end := scanNumber(src, l.pos)
		text := src[l.pos:end]
		f, err := strconv.ParseFloat(text, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return lexToken{}, &SyntaxError{Offset: start, Code: "S0102", Message: "Number out of range: " + token(text)}
		}
		l.pos = end
		return lexToken{kind: tokNumber, num: f, value: text, pos: start, end: end}, nil
	case c == '`':
		end := strings.IndexByte(src[l.pos+1:], '`')
		if end < 0 {
			l.pos = len(src)
			return lexToken{}, &SyntaxError{Offset: len(src), Code: "S0105", Message: "Quoted property name must be terminated with a backquote (`)"}
		}
		name := src[l.pos+1 : l.pos+1+end]
		l.pos += end + 2
		return lexToken{kind: tokName, value: name, escaped: true, pos: start, end: l.pos}, nil
	}
	i := l.pos
	for i < len(src) && !isSpace(src[i]) && !isOperatorChar(src[i]) {
		i++
	}
	l.pos = i
	if c == '$' {
		return lexToken{kind: tokVariable, value: src[start+1 : i], pos: start, end: i}, nil
	}
	name := src[start:i]
	switch name {
	case "and", "or", "in":
		return lexToken{kind: tokOperator, value: name, pos: start, end: i}, nil
	case "true":
		return lexToken{kind: tokValue, value: name, lit: true, pos: start, end: i}, nil
	case "false":
		return lexToken{kind: tokValue, value: name, lit: false, pos: start, end: i}, nil
	case "null":
		return lexToken{kind: tokValue, value: name, lit: nil, pos: start, end: i}, nil
	}
	return lexToken{kind: tokName, value: name, pos: start, end: i}, nil
}

// regex reads a regular expression literal after its opening '/': brackets nest, a '/' closes it
// at depth 0 unless escaped, then the flags i and m.
func (l *lexer) regex(start int) (lexToken, *SyntaxError) {
	src := l.src
	depth := 0
	for l.pos < len(src) {
		c := src[l.pos]
		if c == '/' && depth == 0 {
			bs := 0
			for l.pos-bs-1 >= 0 && src[l.pos-bs-1] == '\\' {
				bs++
			}
			if bs%2 == 0 {
				pattern := src[start+1 : l.pos]
				if pattern == "" {
					return lexToken{}, &SyntaxError{Offset: l.pos, Code: "S0301", Message: "Empty regular expressions are not allowed"}
				}
				l.pos++
				fs := l.pos
				for l.pos < len(src) && (src[l.pos] == 'i' || src[l.pos] == 'm') {
					l.pos++
				}
				return lexToken{kind: tokRegex, value: pattern, flags: src[fs:l.pos], pos: start, end: l.pos}, nil
			}
		}
		prevEsc := l.pos > 0 && src[l.pos-1] == '\\'
		switch {
		case (c == '(' || c == '[' || c == '{') && !prevEsc:
			depth++
		case (c == ')' || c == ']' || c == '}') && !prevEsc:
			depth--
		}
		l.pos++
	}
	return lexToken{}, &SyntaxError{Offset: l.pos, Code: "S0302", Message: "No terminating / in regular expression"}
}

// str reads a string literal quoted by q, decoding JSON escapes (\uXXXX as UTF-16, so a surrogate
// pair makes one character and a lone surrogate U+FFFD).
func (l *lexer) str(start int, q byte) (lexToken, *SyntaxError) {
	src := l.src
	var b strings.Builder
	l.pos++
	var units []uint16 // pending \u escapes (UTF-16 code units)
	flush := func() {
		if len(units) > 0 {
			b.WriteString(string(utf16.Decode(units)))
			units = units[:0]
		}
	}
	for l.pos < len(src) {
		c := src[l.pos]
		switch {
		case c == '\\':
			l.pos++
			if l.pos >= len(src) {
				return lexToken{}, &SyntaxError{Offset: l.pos, Code: "S0101", Message: "String literal must be terminated by a matching quote"}
			}
			e := src[l.pos]
			if e == 'u' {
				hex := src[l.pos+1 : min(l.pos+5, len(src))]
				v, err := strconv.ParseUint(hex, 16, 16)
				if len(hex) != 4 || err != nil {
					return lexToken{}, &SyntaxError{Offset: l.pos, Code: "S0104", Message: `The escape sequence \u must be followed by 4 hex digits`}
				}
				units = append(units, uint16(v))
				l.pos += 5
				continue
			}
			flush()
			r, ok := map[byte]string{'"': "\"", '\\': "\\", '/': "/", 'b': "\b", 'f': "\f", 'n': "\n", 'r': "\r", 't': "\t"}[e]
			if !ok {
				_, w := utf8.DecodeRuneInString(src[l.pos:])
				return lexToken{}, &SyntaxError{Offset: l.pos, Code: "S0103", Message: `Unsupported escape sequence: \` + token(src[l.pos:l.pos+w])}
			}
			b.WriteString(r)
			l.pos++
		case c == q:
			flush()
			l.pos++
			return lexToken{kind: tokString, value: b.String(), pos: start, end: l.pos}, nil
		default:
			flush()
			b.WriteByte(c)
			l.pos++
		}
	}
	return lexToken{}, &SyntaxError{Offset: l.pos, Code: "S0101", Message: "String literal must be terminated by a matching quote"}
}

// scanNumber returns the end of the number literal at i, as jsonata-js's pattern reads it:
// 0 or [1-9][0-9]*, then an optional fraction (.digits) and exponent (e, a sign, digits); a
// fraction or exponent without digits is not part of the number.
func scanNumber(src string, i int) int {
	digits := func(j int) int {
		for j < len(src) && src[j] >= '0' && src[j] <= '9' {
			j++
		}
		return j
	}
	if src[i] == '0' {
		i++
	} else {
		i = digits(i)
	}
	if i+1 < len(src) && src[i] == '.' && src[i+1] >= '0' && src[i+1] <= '9' {
		i = digits(i + 1)
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			j++
		}
		if k := digits(j); k > j {
			i = k
		}
	}
	return i
}
