package load

import (
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// ParseJSON parses src as strict RFC 8259 JSON into a Node tree.
// Trailing commas, comments, single quotes, NaN and friends are errors with a position.
// Duplicate keys are reported as an error naming both positions.
// A leading UTF-8 byte order mark is skipped.
func ParseJSON(src []byte) (*Node, error) {
	p := &jsonParser{src: src, text: string(src), li: newLineIndex(src)}
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		p.off = 3
	}
	p.skipSpace()
	if p.off >= len(p.src) {
		return nil, p.errAt(p.off, "json-syntax", "the file is empty: expected a JSON object")
	}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.off < len(p.src) {
		return nil, p.errAt(p.off, "json-syntax", "unexpected %s after the end of the JSON document", p.describe(p.off))
	}
	return n, nil
}

const maxDepth = 10000

type jsonParser struct {
	src  []byte
	text string // src as one string: values without escapes are substrings of it (no copy each)
	off  int
	li   *lineIndex
	slab []Node // nodes are allocated in blocks, growing with the document
	// current block sizes
	slabSize, fslabSize, islabSize int

	// members of the objects and arrays being parsed; each is copied into an exactly sized
	// slice (cut from a block) when its object or array closes
	fstack []Field
	istack []*Node
	fslab  []Field
	islab  []*Node
}

// takeFields moves the members pushed since base into an exactly sized slice.
func (p *jsonParser) takeFields(base int) []Field {
	k := len(p.fstack) - base
	if k > len(p.fslab) {
		p.fslabSize = min(max(2*p.fslabSize, 32), 2048)
		p.fslab = make([]Field, max(k, p.fslabSize))
	}
	fs := p.fslab[:k:k]
	p.fslab = p.fslab[k:]
	copy(fs, p.fstack[base:])
	clear(p.fstack[base:])
	p.fstack = p.fstack[:base]
	return fs
}

// takeItems moves the elements pushed since base into an exactly sized slice.
func (p *jsonParser) takeItems(base int) []*Node {
	k := len(p.istack) - base
	if k > len(p.islab) {
		p.islabSize = min(max(2*p.islabSize, 16), 2048)
		p.islab = make([]*Node, max(k, p.islabSize))
	}
	is := p.islab[:k:k]
	p.islab = p.islab[k:]
	copy(is, p.istack[base:])
	clear(p.istack[base:])
	p.istack = p.istack[:base]
	return is
}

// node returns a new node from the current block.
func (p *jsonParser) node(kind Kind, pos Pos) *Node {
	if len(p.slab) == 0 {
		p.slabSize = min(max(2*p.slabSize, 16), 1024) // small documents stay small
		p.slab = make([]Node, p.slabSize)
	}
	n := &p.slab[0]
	p.slab = p.slab[1:]
	n.Kind, n.Pos = kind, pos
	return n
}

func (p *jsonParser) errAt(off int, rule, format string, args ...any) *Error {
	return &Error{Pos: p.li.pos(off), Message: fmt.Sprintf(format, args...), Rule: rule}
}

func (p *jsonParser) describe(off int) string {
	if off >= len(p.src) {
		return "end of file"
	}
	c := p.src[off]
	switch {
	case c == '/' && off+1 < len(p.src) && (p.src[off+1] == '/' || p.src[off+1] == '*'):
		return "comment (comments are not allowed in JSON)"
	case c == '\'':
		return "single quote (JSON strings use double quotes)"
	case c < 0x20:
		return fmt.Sprintf("control character %q", rune(c))
	case c >= 0x80:
		r, _ := utf8.DecodeRune(p.src[off:])
		return fmt.Sprintf("character %q", r)
	}
	return fmt.Sprintf("character %q", rune(c))
}

func (p *jsonParser) skipSpace() {
	for p.off < len(p.src) {
		switch p.src[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

func (p *jsonParser) value(depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, p.errAt(p.off, "json-syntax", "document nested more than %d levels deep", maxDepth)
	}
	if p.off >= len(p.src) {
		return nil, p.errAt(p.off, "json-syntax", "unexpected end of file: expected a value")
	}
	start := p.off
	switch c := p.src[p.off]; {
	case c == '{':
		return p.object(depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		s, err := p.str()
		if err != nil {
			return nil, err
		}
		n := p.node(String, p.li.pos(start))
		n.Text = s
		return n, nil
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return p.literal("true", Bool, true)
	case c == 'f':
		return p.literal("false", Bool, false)
	case c == 'n':
		return p.literal("null", Null, false)
	case c == '}' || c == ']' || c == ',':
		return nil, p.errAt(p.off, "json-syntax", "expected a value but found %s", p.describe(p.off))
	default:
		return nil, p.errAt(p.off, "json-syntax", "expected a value but found %s", p.describe(p.off))
	}
}

func (p *jsonParser) literal(word string, kind Kind, b bool) (*Node, error) {
	start := p.off
	if len(p.src)-p.off >= len(word) && string(p.src[p.off:p.off+len(word)]) == word {
		p.off += len(word)
		if p.off < len(p.src) && isIdentByte(p.src[p.off]) {
			return nil, p.errAt(start, "json-syntax", "invalid literal: expected %s", word)
		}
		n := p.node(kind, p.li.pos(start))
		n.Bool = b
		return n, nil
	}
	return nil, p.errAt(start, "json-syntax", "invalid literal: expected a value such as %s, a number, a string, an object or an array", word)
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func (p *jsonParser) number() (*Node, error) {
	start := p.off
	if p.src[p.off] == '-' {
		p.off++
	}
	digits := func() int {
		n := 0
		for p.off < len(p.src) && p.src[p.off] >= '0' && p.src[p.off] <= '9' {
			p.off++
			n++
		}
		return n
	}
	if p.off < len(p.src) && p.src[p.off] == '0' {
		p.off++
		if p.off < len(p.src) && p.src[p.off] >= '0' && p.src[p.off] <= '9' {
			return nil, p.errAt(start, "json-syntax", "invalid number: leading zeros are not allowed")
		}
	} else if digits() == 0 {
		return nil, p.errAt(start, "json-syntax", "invalid number: expected a digit")
	}
	if p.off < len(p.src) && p.src[p.off] == '.' {
		p.off++
		if digits() == 0 {
			return nil, p.errAt(start, "json-syntax", "invalid number: expected a digit after the decimal point")
		}
	}
	if p.off < len(p.src) && (p.src[p.off] == 'e' || p.src[p.off] == 'E') {
		p.off++
		if p.off < len(p.src) && (p.src[p.off] == '+' || p.src[p.off] == '-') {
			p.off++
		}
		if digits() == 0 {
			return nil, p.errAt(start, "json-syntax", "invalid number: expected a digit in the exponent")
		}
	}
	if p.off < len(p.src) && isIdentByte(p.src[p.off]) {
		return nil, p.errAt(start, "json-syntax", "invalid number")
	}
	n := p.node(Number, p.li.pos(start))
	n.Text = p.text[start:p.off]
	return n, nil
}

// str parses a string starting at the opening quote and returns its decoded value.
func (p *jsonParser) str() (string, error) {
	start := p.off
	p.off++ // opening quote
	// fast path: no escapes
	i := p.off
	for i < len(p.src) {
		c := p.src[i]
		if c == '"' {
			s := p.text[p.off:i]
			if !utf8.ValidString(s) {
				return "", p.errAt(p.off, "json-syntax", "invalid UTF-8 in string")
			}
			p.off = i + 1
			return s, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		i++
	}
	buf := make([]byte, 0, i-p.off+16)
	buf = append(buf, p.src[p.off:i]...)
	p.off = i
	for {
		if p.off >= len(p.src) {
			return "", p.errAt(start, "json-syntax", "unterminated string")
		}
		c := p.src[p.off]
		switch {
		case c == '"':
			p.off++
			if !utf8.Valid(buf) {
				return "", p.errAt(start, "json-syntax", "invalid UTF-8 in string")
			}
			return string(buf), nil
		case c < 0x20:
			if c == '\n' {
				return "", p.errAt(start, "json-syntax", "unterminated string (a newline inside a string must be written \\n)")
			}
			return "", p.errAt(p.off, "json-syntax", "control character %q inside a string must be escaped", rune(c))
		case c == '\\':
			if p.off+1 >= len(p.src) {
				return "", p.errAt(start, "json-syntax", "unterminated string")
			}
			e := p.src[p.off+1]
			switch e {
			case '"', '\\', '/':
				buf = append(buf, e)
			case 'b':
				buf = append(buf, '\b')
			case 'f':
				buf = append(buf, '\f')
			case 'n':
				buf = append(buf, '\n')
			case 'r':
				buf = append(buf, '\r')
			case 't':
				buf = append(buf, '\t')
			case 'u':
				r, ok := p.hex4(p.off + 2)
				if !ok {
					return "", p.errAt(p.off, "json-syntax", "invalid \\u escape: expected 4 hexadecimal digits")
				}
				p.off += 4
				if utf16.IsSurrogate(r) {
					if r2, ok2 := p.hex4(p.off + 4); ok2 && p.off+3 < len(p.src) && p.src[p.off+2] == '\\' && p.src[p.off+3] == 'u' {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							r = d
							p.off += 6
						} else {
							r = utf8.RuneError
						}
					} else {
						r = utf8.RuneError
					}
				}
				buf = utf8.AppendRune(buf, r)
			default:
				return "", p.errAt(p.off, "json-syntax", "invalid escape %q in string", "\\"+string(rune(e)))
			}
			p.off += 2
		default:
			buf = append(buf, c)
			p.off++
		}
	}
}

func (p *jsonParser) hex4(off int) (rune, bool) {
	if off+4 > len(p.src) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(p.src[off:off+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(v), true
}

func (p *jsonParser) object(depth int) (*Node, error) {
	n := p.node(Object, p.li.pos(p.off))
	p.off++
	p.skipSpace()
	if p.off < len(p.src) && p.src[p.off] == '}' {
		p.off++
		return n, nil
	}
	var seen map[string]Pos
	base := len(p.fstack)
	defer func() { p.fstack = p.fstack[:base] }() // on errors
	for {
		fields := p.fstack[base:]
		p.skipSpace()
		if p.off >= len(p.src) {
			return nil, p.errAt(p.off, "json-syntax", "unexpected end of file: the object opened at %s is not closed", n.Pos)
		}
		if p.src[p.off] != '"' {
			if p.src[p.off] == '}' {
				return nil, p.errAt(p.off, "json-syntax", "trailing comma before '}' is not allowed in JSON")
			}
			return nil, p.errAt(p.off, "json-syntax", "expected a string key in double quotes but found %s", p.describe(p.off))
		}
		keyOff := p.off
		key, err := p.str()
		if err != nil {
			return nil, err
		}
		keyPos := p.li.pos(keyOff)
		if len(fields) >= 8 && seen == nil {
			seen = make(map[string]Pos, len(fields)*2)
			for _, f := range fields {
				seen[f.Key] = f.KeyPos
			}
		}
		if seen != nil {
			if prev, dup := seen[key]; dup {
				return nil, &Error{Pos: keyPos, Rule: "duplicate-key", Message: fmt.Sprintf("duplicate key %q: already defined at %s", key, prev)}
			}
			seen[key] = keyPos
		} else {
			for _, f := range fields {
				if f.Key == key {
					return nil, &Error{Pos: keyPos, Rule: "duplicate-key", Message: fmt.Sprintf("duplicate key %q: already defined at %s", key, f.KeyPos)}
				}
			}
		}
		p.skipSpace()
		if p.off >= len(p.src) || p.src[p.off] != ':' {
			return nil, p.errAt(p.off, "json-syntax", "expected ':' after the key %q but found %s", key, p.describe(p.off))
		}
		p.off++
		p.skipSpace()
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.fstack = append(p.fstack, Field{Key: key, KeyPos: keyPos, Value: v})
		p.skipSpace()
		if p.off >= len(p.src) {
			return nil, p.errAt(p.off, "json-syntax", "unexpected end of file: the object opened at %s is not closed", n.Pos)
		}
		switch p.src[p.off] {
		case ',':
			p.off++
		case '}':
			p.off++
			n.Fields = p.takeFields(base)
			return n, nil
		default:
			return nil, p.errAt(p.off, "json-syntax", "expected ',' or '}' after the value of %q but found %s", key, p.describe(p.off))
		}
	}
}

func (p *jsonParser) array(depth int) (*Node, error) {
	n := p.node(Array, p.li.pos(p.off))
	p.off++
	p.skipSpace()
	if p.off < len(p.src) && p.src[p.off] == ']' {
		p.off++
		return n, nil
	}
	base := len(p.istack)
	defer func() { p.istack = p.istack[:base] }() // on errors
	for {
		p.skipSpace()
		if p.off < len(p.src) && p.src[p.off] == ']' {
			return nil, p.errAt(p.off, "json-syntax", "trailing comma before ']' is not allowed in JSON")
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		p.istack = append(p.istack, v)
		p.skipSpace()
		if p.off >= len(p.src) {
			return nil, p.errAt(p.off, "json-syntax", "unexpected end of file: the array opened at %s is not closed", n.Pos)
		}
		switch p.src[p.off] {
		case ',':
			p.off++
		case ']':
			p.off++
			n.Items = p.takeItems(base)
			return n, nil
		default:
			return nil, p.errAt(p.off, "json-syntax", "expected ',' or ']' in the array but found %s", p.describe(p.off))
		}
	}
}
