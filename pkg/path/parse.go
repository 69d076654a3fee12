package path

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxDepth bounds the nesting of brackets, filters and parentheses so that
// hostile input cannot exhaust the stack.
const maxDepth = 64

// mode says which characters end a dot-notation name.
type mode int

const (
	modeTop    mode = iota // plain path
	modeFilter             // inside [?( ... )]: also stop at && and ||
	modeScript             // inside [( ... )]: also stop at + - * / %
)

type parser struct {
	s     string
	pos   int
	mode  mode
	depth int
	// lenient is the first construct outside the ASL grammar that Jayway
	// accepts (see Path.Lenient).
	lenient *SyntaxError
}

func (p *parser) errf(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Offset: off, Message: fmt.Sprintf(format, args...)}
}

func (p *parser) eof() bool { return p.pos >= len(p.s) }

func (p *parser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) peekAt(i int) byte {
	if p.pos+i < len(p.s) {
		return p.s[p.pos+i]
	}
	return 0
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

// describe returns a readable rendering of the character at p.pos.
func (p *parser) describe() string {
	if p.eof() {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *parser) enter() error {
	p.depth++
	if p.depth > maxDepth {
		return p.errf(p.pos, "expression nested too deeply (more than %d levels)", maxDepth)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// Parse parses s as a Path. The whole of s must be a path; see ParsePrefix to
// parse a path embedded in a longer text. Errors are *SyntaxError.
func Parse(s string) (*Path, error) {
	if s == "" {
		return nil, &SyntaxError{Offset: 0, Message: "expected a path starting with '$', found an empty string"}
	}
	p := &parser{s: s}
	path, err := p.parseRooted(false)
	if err != nil {
		return nil, err
	}
	path.Lenient = p.lenient
	if !p.eof() {
		// Jayway JsonPath (which AWS uses) ignores trailing white space.
		if rest := p.s[p.pos:]; strings.TrimRight(rest, " \t\r\n") == "" {
			path.Source = s // the path as written, trailing white space included
			return path, nil
		}
		return nil, p.errf(p.pos, "unexpected %s after the path; expected '.', '..' or '['", p.describe())
	}
	return path, nil
}

// ParsePrefix parses the path at the start of s and returns it with the
// number of bytes it spans. Parsing stops at the first character that cannot
// continue the path (for example ',' or ')' after `$.a` in an intrinsic
// function argument list). Errors are *SyntaxError with offsets into s.
func ParsePrefix(s string) (*Path, int, error) {
	p := &parser{s: s}
	path, err := p.parseRooted(false)
	if err != nil {
		return nil, 0, err
	}
	path.Lenient = p.lenient
	return path, p.pos, nil
}

// parseRooted parses a root followed by segments. With allowCurrent the `@`
// root is accepted (inside filters and scripts).
func (p *parser) parseRooted(allowCurrent bool) (*Path, error) {
	start := p.pos
	path := &Path{}
	switch {
	case p.peek() == '$':
		p.pos++
		if p.peek() == '$' {
			p.pos++
			path.Root = RootContext
		} else if r, _ := utf8.DecodeRuneInString(p.s[p.pos:]); p.pos < len(p.s) && isIdentStart(r) {
			path.Root = RootVariable
			for p.pos < len(p.s) {
				r, n := utf8.DecodeRuneInString(p.s[p.pos:])
				if !isIdentPart(r) {
					break
				}
				p.pos += n
			}
			path.Variable = p.s[start+1 : p.pos]
		} else {
			path.Root = RootInput
		}
	case allowCurrent && p.peek() == '@':
		p.pos++
		path.Root = RootCurrent
	default:
		msg := "expected a path starting with '$'"
		if strings.HasPrefix(strings.TrimLeft(p.s[p.pos:], " \t\r\n"), "States.") {
			msg += " (an intrinsic function call is not a path)"
		}
		return nil, p.errf(p.pos, "%s, found %s", msg, p.describe())
	}
	segs, err := p.parseSegments()
	if err != nil {
		return nil, err
	}
	path.Segments = segs
	path.Source = p.s[start:p.pos]
	return path, nil
}

func isIdentStart(r rune) bool { return r == '_' || unicode.IsLetter(r) }

func isIdentPart(r rune) bool { return r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) }

// parseSegments parses segments until a character that cannot start one.
func (p *parser) parseSegments() ([]Segment, error) {
	var segs []Segment
	for {
		start := p.pos
		switch p.peek() {
		case '.':
			if p.peekAt(1) == '.' {
				p.pos += 2
				child, err := p.parseDescentChild()
				if err != nil {
					return nil, err
				}
				seg := Segment{Kind: RecursiveDescent, Child: child, Offset: start}
				if child.Kind == Field {
					seg.Name = child.Name
				}
				segs = append(segs, seg)
				continue
			}
			p.pos++
			if p.peek() == '[' { // `$.[0]`, `$.a.['b']`: Jayway accepts a dot before a bracket
				seg, err := p.parseBracket()
				if err != nil {
					return nil, err
				}
				seg.Offset = start
				segs = append(segs, seg)
				continue
			}
			if p.peek() == '*' {
				p.pos++
				segs = append(segs, Segment{Kind: Wildcard, Offset: start})
				continue
			}
			name, ok, err := p.parseName()
			if err != nil {
				return nil, err
			}
			if !ok {
				return nil, p.errf(start, "expected a field name after '.'")
			}
			segs = append(segs, Segment{Kind: Field, Name: name, Offset: start})
		case '[':
			seg, err := p.parseBracket()
			if err != nil {
				return nil, err
			}
			segs = append(segs, seg)
		default:
			return segs, nil
		}
	}
}

// parseDescentChild parses what follows `..`.
func (p *parser) parseDescentChild() (*Segment, error) {
	start := p.pos
	switch p.peek() {
	case '*':
		p.pos++
		return &Segment{Kind: Wildcard, Offset: start}, nil
	case '[':
		seg, err := p.parseBracket()
		if err != nil {
			return nil, err
		}
		return &seg, nil
	}
	name, ok, err := p.parseName()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.errf(start-2, "expected a field name, '*' or '[' after '..'")
	}
	return &Segment{Kind: Field, Name: name, Offset: start}, nil
}

// nameStop reports whether r ends an unescaped dot-notation name.
func (p *parser) nameStop(r rune) bool {
	switch r {
	case '.', '[', ']', '(', ')', ',', '\'', '"', '@', '?', '*', ':', '=', '<', '>', '!':
		return true
	}
	if unicode.IsSpace(r) {
		return true
	}
	switch p.mode {
	case modeFilter:
		rest := p.s[p.pos:]
		return strings.HasPrefix(rest, "&&") || strings.HasPrefix(rest, "||")
	case modeScript:
		switch r {
		case '+', '-', '/', '%':
			return true
		}
	}
	return false
}

// parseName parses a dot-notation name; a backslash makes the next character
// part of the name whatever it is. ok is false when no name is present.
func (p *parser) parseName() (string, bool, error) {
	var b strings.Builder
	ok := false
	for p.pos < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if r == '\\' {
			if p.pos+n >= len(p.s) {
				return "", false, p.errf(p.pos, "expected a character after the escape '\\'")
			}
			r2, n2 := utf8.DecodeRuneInString(p.s[p.pos+n:])
			b.WriteRune(r2)
			p.pos += n + n2
			ok = true
			continue
		}
		if r == utf8.RuneError && n == 1 {
			return "", false, p.errf(p.pos, "invalid UTF-8 in name")
		}
		if p.nameStop(r) {
			break
		}
		b.WriteRune(r)
		p.pos += n
		ok = true
	}
	return b.String(), ok, nil
}

// parseQuoted parses a '...' or "..." name; a backslash makes the next
// character literal.
func (p *parser) parseQuoted() (string, error) {
	quote := p.s[p.pos]
	start := p.pos
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch c {
		case quote:
			p.pos++
			return b.String(), nil
		case '\\':
			if p.pos+1 >= len(p.s) {
				return "", p.errf(p.pos, "expected a character after the escape '\\'")
			}
			r, n := utf8.DecodeRuneInString(p.s[p.pos+1:])
			b.WriteRune(r)
			p.pos += 1 + n
		default:
			r, n := utf8.DecodeRuneInString(p.s[p.pos:])
			if r == utf8.RuneError && n == 1 {
				return "", p.errf(p.pos, "invalid UTF-8 in quoted name")
			}
			b.WriteRune(r)
			p.pos += n
		}
	}
	return "", p.errf(start, "unterminated quoted string (missing %c)", quote)
}

// parseInt parses an optionally negative decimal integer.
func (p *parser) parseInt() (int, error) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	ds := p.pos
	for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
		p.pos++
	}
	if p.pos == ds {
		return 0, p.errf(p.pos, "expected a digit, found %s", p.describe())
	}
	v, err := strconv.Atoi(p.s[start:p.pos])
	if err != nil {
		return 0, p.errf(start, "integer %s is out of range", p.s[start:p.pos])
	}
	return v, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func (p *parser) expect(c byte, what string) error {
	p.skipSpace()
	if p.peek() != c {
		return p.errf(p.pos, "expected %q %s, found %s", c, what, p.describe())
	}
	p.pos++
	return nil
}

// parseBracket parses a `[...]` segment.
func (p *parser) parseBracket() (Segment, error) {
	start := p.pos
	if err := p.enter(); err != nil {
		return Segment{}, err
	}
	defer p.leave()
	p.pos++ // '['
	p.skipSpace()
	seg := Segment{Offset: start}
	switch c := p.peek(); {
	case c == '\'' || c == '"':
		var names, raws []string
		for {
			qstart := p.pos
			name, err := p.parseQuoted()
			if err != nil {
				return seg, err
			}
			names = append(names, name)
			raws = append(raws, p.s[qstart+1:p.pos-1])
			p.skipSpace()
			if p.peek() != ',' {
				break
			}
			p.pos++
			p.skipSpace()
			if c := p.peek(); c != '\'' && c != '"' {
				return seg, p.errf(p.pos, "expected a quoted name after ',' in a union, found %s", p.describe())
			}
		}
		if len(names) == 1 {
			seg.Kind, seg.Name = Field, names[0]
		} else {
			seg.Kind, seg.Names = Union, names
		}
		seg.Raw = raws
	case c == '*':
		p.pos++
		seg.Kind = Wildcard
	case c == '?':
		p.pos++
		if p.peek() != '(' {
			return seg, p.errf(p.pos, "expected '(' after '?' in a filter, found %s", p.describe())
		}
		p.pos++
		exprStart := p.pos
		saved := p.mode
		p.mode = modeFilter
		cond, err := p.parseOr()
		p.mode = saved
		if err != nil {
			return seg, err
		}
		p.skipSpace()
		exprEnd := p.pos
		if err := p.expect(')', "to close the filter"); err != nil {
			return seg, err
		}
		seg.Kind, seg.Cond, seg.Expr = Filter, cond, p.s[exprStart:exprEnd]
	case c == '(':
		p.pos++
		exprStart := p.pos
		saved := p.mode
		p.mode = modeScript
		cond, err := p.parseSum()
		p.mode = saved
		if err != nil {
			return seg, err
		}
		p.skipSpace()
		exprEnd := p.pos
		if err := p.expect(')', "to close the script expression"); err != nil {
			return seg, err
		}
		seg.Kind, seg.Cond, seg.Expr = Script, cond, p.s[exprStart:exprEnd]
	case c == '-' || isDigit(c) || c == ':':
		if err := p.parseIndexes(&seg); err != nil {
			return seg, err
		}
	default:
		return seg, p.errf(p.pos, "expected a quoted name, an index, a slice, '*', '?(' or '(' after '[', found %s", p.describe())
	}
	if err := p.expect(']', "to close the bracket"); err != nil {
		return seg, err
	}
	return seg, nil
}

// parseIndexes parses an index, an index union or a slice.
func (p *parser) parseIndexes(seg *Segment) error {
	var first *int
	if p.peek() != ':' {
		v, err := p.parseInt()
		if err != nil {
			return err
		}
		first = &v
	}
	p.skipSpace()
	if p.peek() == ':' {
		seg.Kind = Slice
		seg.Start = first
		p.pos++
		p.skipSpace()
		if c := p.peek(); c == '-' || isDigit(c) {
			v, err := p.parseInt()
			if err != nil {
				return err
			}
			seg.End = &v
		}
		p.skipSpace()
		if p.peek() == ':' {
			p.pos++
			p.skipSpace()
			if c := p.peek(); c == '-' || isDigit(c) {
				off := p.pos
				v, err := p.parseInt()
				if err != nil {
					return err
				}
				if v == 0 {
					return p.errf(off, "slice step must not be zero")
				}
				seg.Step = &v
			}
		}
		return nil
	}
	if p.peek() != ',' {
		seg.Kind, seg.Index = Index, *first
		return nil
	}
	seg.Kind = Union
	seg.Indexes = []int{*first}
	for p.peek() == ',' {
		p.pos++
		p.skipSpace()
		v, err := p.parseInt()
		if err != nil {
			return err
		}
		seg.Indexes = append(seg.Indexes, v)
		p.skipSpace()
	}
	return nil
}
