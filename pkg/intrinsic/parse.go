// Package intrinsic parses and checks Amazon States Language intrinsic
// function calls such as `States.Format('Hello {}', $.name)`.
//
// Parse builds a Call tree; Check validates it against the table of the 18
// known functions (Functions): arity, literal argument types and values,
// and nesting depth.
package intrinsic

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/path"
)

// SyntaxError describes why an intrinsic call (or a path inside it) could
// not be parsed; Offset is a byte offset into the parsed string.
type SyntaxError = path.SyntaxError

// Call is a parsed intrinsic function call.
type Call struct {
	// Name is the full function name, e.g. "States.Format".
	Name string
	// Args are the arguments in order.
	Args []Arg
	// Offset is the byte offset of the call (its name) in the parsed string.
	Offset int
}

// ArgKind identifies the kind of an intrinsic argument.
type ArgKind int

const (
	// ArgString is a single-quoted string literal (String holds it unescaped).
	ArgString ArgKind = iota
	// ArgNumber is a number literal (Number holds its text).
	ArgNumber
	// ArgBool is true or false (in Bool).
	ArgBool
	// ArgNull is null.
	ArgNull
	// ArgPath is a path ($, $$ or $var rooted), in Path.
	ArgPath
	// ArgCall is a nested intrinsic call, in Call.
	ArgCall
)

// String returns a readable name of the argument kind.
func (k ArgKind) String() string {
	switch k {
	case ArgString:
		return "string"
	case ArgNumber:
		return "number"
	case ArgBool:
		return "boolean"
	case ArgNull:
		return "null"
	case ArgPath:
		return "path"
	case ArgCall:
		return "intrinsic call"
	}
	return fmt.Sprintf("ArgKind(%d)", int(k))
}

// Arg is one argument of a Call.
type Arg struct {
	Kind ArgKind
	// String is the unescaped value of an ArgString.
	String string
	// Raw is the source text of an ArgString between the quotes, escapes
	// intact (needed to tell an escaped \{\} from a Format placeholder).
	Raw string
	// Number is the literal text of an ArgNumber, e.g. "-1" or "2.5".
	Number string
	// Bool is the value of an ArgBool.
	Bool bool
	// Path is the parsed path of an ArgPath.
	Path *path.Path
	// Call is the nested call of an ArgCall.
	Call *Call
	// Offset is the byte offset of the argument in the parsed string.
	Offset int
	// lit is the value of a string or number literal, made once by the parser.
	lit any
}

// IsLiteral reports whether a is a string, number, boolean or null literal.
func (a Arg) IsLiteral() bool {
	return a.Kind == ArgString || a.Kind == ArgNumber || a.Kind == ArgBool || a.Kind == ArgNull
}

// maxParseDepth bounds call nesting during parsing (Check enforces the ASL
// limit of 10); it only protects the stack.
const maxParseDepth = 100

// IsCall reports whether s looks like an intrinsic call: it starts with
// "States." after optional white space.
func IsCall(s string) bool {
	return strings.HasPrefix(strings.TrimLeft(s, " \t\r\n"), "States.")
}

type parser struct {
	s     string
	pos   int
	depth int
}

func (p *parser) errf(off int, format string, args ...any) error {
	return &SyntaxError{Offset: off, Message: fmt.Sprintf(format, args...)}
}

func (p *parser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) describe() string {
	if p.pos >= len(p.s) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.pos:])
	return fmt.Sprintf("%q", r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// Parse parses `States.Name(args...)`, with optional white space around the
// call and its arguments. String literals use single quotes; inside them only
// \' \{ \} and \\ are legal escapes. Arguments are strings, numbers
// (integers, negatives, decimals), true, false, null, paths (any path
// accepted by path.Parse) and nested calls. The function name is not checked
// here; see Check. Errors are *SyntaxError.
func Parse(s string) (*Call, error) {
	p := &parser{s: s}
	p.skipSpace()
	c, err := p.parseCall()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(p.s) {
		return nil, p.errf(p.pos, "unexpected %s after the intrinsic function call", p.describe())
	}
	return c, nil
}

func (p *parser) parseCall() (*Call, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxParseDepth {
		return nil, p.errf(p.pos, "intrinsic function calls nested too deeply")
	}
	start := p.pos
	if !strings.HasPrefix(p.s[p.pos:], "States.") {
		return nil, p.errf(p.pos, "expected an intrinsic function name starting with 'States.', found %s", p.describe())
	}
	p.pos += len("States.")
	nameStart := p.pos
	for p.pos < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if r != '_' && !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		p.pos += n
	}
	if p.pos == nameStart {
		return nil, p.errf(p.pos, "expected a function name after 'States.', found %s", p.describe())
	}
	c := &Call{Name: p.s[start:p.pos], Offset: start}
	p.skipSpace()
	if p.peek() != '(' {
		return nil, p.errf(p.pos, "expected '(' after %s, found %s", c.Name, p.describe())
	}
	p.pos++
	p.skipSpace()
	if p.peek() == ')' {
		p.pos++
		return c, nil
	}
	for {
		p.skipSpace()
		a, err := p.parseArg()
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, a)
		p.skipSpace()
		switch p.peek() {
		case ',':
			p.pos++
		case ')':
			p.pos++
			return c, nil
		default:
			return nil, p.errf(p.pos, "expected ',' or ')' after argument %d of %s, found %s", len(c.Args), c.Name, p.describe())
		}
	}
}

func (p *parser) parseArg() (Arg, error) {
	start := p.pos
	rest := p.s[p.pos:]
	c := p.peek()
	switch {
	case c == '\'':
		s, err := p.parseString()
		if err != nil {
			return Arg{}, err
		}
		return Arg{Kind: ArgString, String: s, Raw: p.s[start+1 : p.pos-1], Offset: start, lit: s}, nil
	case c == '-' || (c >= '0' && c <= '9'):
		num, err := p.parseNumber()
		if err != nil {
			return Arg{}, err
		}
		return Arg{Kind: ArgNumber, Number: num, Offset: start, lit: json.Number(num)}, nil
	case c == '$':
		pth, n, err := path.ParsePrefix(rest)
		if err != nil {
			if se, ok := err.(*path.SyntaxError); ok {
				return Arg{}, &SyntaxError{Offset: start + se.Offset, Message: se.Message, Jayway: se.Jayway}
			}
			return Arg{}, err
		}
		p.pos += n
		return Arg{Kind: ArgPath, Path: pth, Offset: start}, nil
	case strings.HasPrefix(rest, "States."):
		call, err := p.parseCall()
		if err != nil {
			return Arg{}, err
		}
		return Arg{Kind: ArgCall, Call: call, Offset: start}, nil
	}
	for _, kw := range []string{"true", "false", "null"} {
		if strings.HasPrefix(rest, kw) && !isWordByte(rest, len(kw)) {
			p.pos += len(kw)
			switch kw {
			case "null":
				return Arg{Kind: ArgNull, Offset: start}, nil
			default:
				return Arg{Kind: ArgBool, Bool: kw == "true", Offset: start}, nil
			}
		}
	}
	if c == '"' {
		return Arg{}, p.errf(p.pos, "string literals in intrinsic functions use single quotes, found '\"'")
	}
	return Arg{}, p.errf(p.pos, "expected an argument (a 'string', a number, true, false, null, a path or an intrinsic call), found %s", p.describe())
}

// isWordByte reports whether s[i] continues an identifier.
func isWordByte(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r)
}

// parseString parses a single-quoted literal with the escapes \' \{ \} \\.
func (p *parser) parseString() (string, error) {
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch c {
		case '\'':
			p.pos++
			return b.String(), nil
		case '\\':
			if p.pos+1 >= len(p.s) {
				return "", p.errf(p.pos, "unterminated escape sequence in string literal")
			}
			switch e := p.s[p.pos+1]; e {
			case '\'', '{', '}', '\\':
				b.WriteByte(e)
				p.pos += 2
			default:
				r, _ := utf8.DecodeRuneInString(p.s[p.pos+1:])
				return "", p.errf(p.pos, "illegal escape sequence '\\%c' in string literal (only \\' \\{ \\} and \\\\ are allowed)", r)
			}
		default:
			r, n := utf8.DecodeRuneInString(p.s[p.pos:])
			if r == utf8.RuneError && n == 1 {
				return "", p.errf(p.pos, "invalid UTF-8 in string literal")
			}
			b.WriteRune(r)
			p.pos += n
		}
	}
	return "", p.errf(start, "unterminated string literal (missing closing ')")
}

// parseNumber parses -?digits[.digits][(e|E)[+-]digits].
func (p *parser) parseNumber() (string, error) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	if !isDigit(p.peek()) {
		return "", p.errf(p.pos, "expected a digit, found %s", p.describe())
	}
	p.digits()
	if p.peek() == '.' {
		p.pos++
		if !isDigit(p.peek()) {
			return "", p.errf(p.pos, "expected a digit after the decimal point, found %s", p.describe())
		}
		p.digits()
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if !isDigit(p.peek()) {
			return "", p.errf(p.pos, "expected a digit in the exponent, found %s", p.describe())
		}
		p.digits()
	}
	if isWordByte(p.s, p.pos) {
		return "", p.errf(p.pos, "unexpected %s after the number", p.describe())
	}
	return p.s[start:p.pos], nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) digits() {
	for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
		p.pos++
	}
}

// ParsePayloadValue parses the value of a payload-template field whose key
// ends in `.$`: either a path (`$`, `$$` or `$var` rooted) or an intrinsic
// function call. Exactly one of the returned path and call is non-nil on
// success. The call is not checked; use Check for that.
func ParsePayloadValue(s string) (*path.Path, *Call, error) {
	if IsCall(s) {
		c, err := Parse(s)
		if err != nil {
			return nil, nil, err
		}
		return nil, c, nil
	}
	if !strings.HasPrefix(s, "$") {
		return nil, nil, &SyntaxError{Offset: 0, Message: "expected a path starting with '$' or an intrinsic function call starting with 'States.'"}
	}
	p, err := path.Parse(s)
	if err != nil {
		return nil, nil, err
	}
	return p, nil, nil
}
