package load

import (
	"fmt"
	"unicode/utf8"
)

// Limits checked on YAML source before the YAML parser (goccy/go-yaml) sees it: its memory grows
// with the nesting depth (100,000 '[' cost 15 GB) and with the square of the number of keys of one
// block mapping (20,000 keys: 1.6 GB), so such documents are refused first, with a position.
const (
	// MaxYAMLDepth is the deepest YAML nesting accepted (flow brackets plus block levels).
	MaxYAMLDepth = 1000
	// MaxYAMLMappingKeys is the most keys one block mapping may have (flow mappings have no limit).
	MaxYAMLMappingKeys = 5000
	// MaxYAMLTokens bounds the number of YAML tokens (scalars, keys, indicators): the parser keeps
	// about 1 KB per token, so 1 MiB of "[1,1,1,...]" took 1 GB and 8 s; 100,000 tokens stay under 160 MB.
	MaxYAMLTokens = 100_000
	// maxYAMLKeyWork bounds the sum, over all block mappings, of their number of keys squared.
	maxYAMLKeyWork = 2 * MaxYAMLMappingKeys * MaxYAMLMappingKeys
)

// blockLevel is one open block collection of the pre-scan: its column and the keys seen at it.
type blockLevel struct {
	col  int
	keys int
	pos  Pos // the first key
}

// yamlScan is the pre-scan state: one pass over the source, line by line.
type yamlScan struct {
	stack      []blockLevel
	flow       int // open flow brackets
	inDouble   bool
	inSingle   bool
	scalarFrom int // inside a block scalar (| or >): lines indented more than this; -1 when not
	work       int
	tokens     int // an estimate of the parser's tokens (scalars, keys, indicators)
	line       int
	text       []byte
}

// prescanYAML checks the YAML limits in one linear pass. It is deliberately approximate (it is not
// a YAML parser): it may count a level too many, never one too few for the constructs that cost.
func prescanYAML(src []byte) *Error {
	s := &yamlScan{scalarFrom: -1}
	for start := 0; start <= len(src); {
		end := start
		for end < len(src) && src[end] != '\n' {
			end++
		}
		s.line++
		text := src[start:end]
		if len(text) > 0 && text[len(text)-1] == '\r' {
			text = text[:len(text)-1]
		}
		s.text = text
		if err := s.scanLine(); err != nil {
			return err
		}
		start = end + 1
	}
	return s.popTo(-1)
}

func (s *yamlScan) pos(off int) Pos {
	return Pos{Line: s.line, Col: utf8.RuneCount(s.text[:off]) + 1}
}

func (s *yamlScan) scanLine() *Error {
	t := s.text
	indent := 0
	for indent < len(t) && t[indent] == ' ' {
		indent++
	}
	if s.scalarFrom >= 0 {
		if indent == len(t) || indent > s.scalarFrom {
			return nil // block scalar content
		}
		s.scalarFrom = -1
	}
	if s.flow > 0 || s.inDouble || s.inSingle {
		return s.scanValue(0, s.flow > 0 && !s.inDouble && !s.inSingle, indent)
	}
	if indent == len(t) || t[indent] == '#' || (indent == 0 && t[0] == '%') {
		return nil
	}
	i := indent
	if indent == 0 && len(t) >= 3 && (string(t[:3]) == "---" || string(t[:3]) == "...") && (len(t) == 3 || t[3] == ' ') {
		if err := s.popTo(-1); err != nil {
			return err
		}
		return s.scanValue(3, true, 0)
	}
	if err := s.level(i); err != nil {
		return err
	}
	// compact sequences "- - - x" and "- key: v" nest one level per dash
	for i < len(t) && (t[i] == '-' || t[i] == '?') && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\t') {
		s.tokens++
		if t[i] == '?' { // an explicit key
			if err := s.key(i); err != nil {
				return err
			}
		}
		i++
		for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
			i++
		}
		if i == len(t) || t[i] == '#' {
			return nil
		}
		if err := s.level(i); err != nil {
			return err
		}
	}
	if v, ok := s.keyEnd(i); ok {
		if err := s.key(i); err != nil {
			return err
		}
		i = v
	}
	return s.scanValue(i, true, indent)
}

// key counts a key of the innermost block mapping, found at i.
func (s *yamlScan) key(i int) *Error {
	top := &s.stack[len(s.stack)-1]
	if top.keys == 0 {
		top.pos = s.pos(i)
	}
	top.keys++
	s.tokens += 2 // the key and ':'
	if top.keys > MaxYAMLMappingKeys {
		return s.errAt(top.pos, "the YAML block mapping here has more than %d keys (the YAML parser's work grows with the square of that number); write it in flow style {...} or as JSON", MaxYAMLMappingKeys)
	}
	return nil
}

// level opens (or returns to) the block level at column col, closing deeper ones.
func (s *yamlScan) level(col int) *Error {
	if err := s.popTo(col); err != nil {
		return err
	}
	if n := len(s.stack); n > 0 && s.stack[n-1].col == col {
		return nil
	}
	s.stack = append(s.stack, blockLevel{col: col})
	if s.depth() > MaxYAMLDepth {
		return s.errAt(s.pos(col), "YAML document nested more than %d levels deep", MaxYAMLDepth)
	}
	return nil
}

// depth is the nesting depth: open flow collections and block levels below the document's own.
func (s *yamlScan) depth() int {
	return s.flow + max(len(s.stack)-1, 0)
}

// popTo closes the block levels deeper than col, adding up their keys' cost.
func (s *yamlScan) popTo(col int) *Error {
	for n := len(s.stack); n > 0 && s.stack[n-1].col > col; n-- {
		top := s.stack[n-1]
		s.work += top.keys * top.keys
		s.stack = s.stack[:n-1]
		if s.work > maxYAMLKeyWork {
			return s.errAt(top.pos, "the YAML block mappings of this file have too many keys together (the YAML parser's work grows with the square of the keys of each mapping); write large mappings in flow style {...} or as JSON")
		}
	}
	return nil
}

func (s *yamlScan) errAt(p Pos, format string, args ...any) *Error {
	if p.Line == 0 {
		p = Pos{Line: s.line, Col: 1}
	}
	return &Error{Pos: p, Rule: "yaml-syntax", Message: fmt.Sprintf(format, args...)}
}

// keyEnd reports whether a mapping key starts at i ("key:", "'key':", "\"key\":") and where its
// value starts.
func (s *yamlScan) keyEnd(i int) (int, bool) {
	t := s.text
	for i < len(t) && (t[i] == '&' || t[i] == '!') { // properties: an anchor or a tag on the key
		for i < len(t) && t[i] != ' ' && t[i] != '\t' {
			i++
		}
		for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
			i++
		}
	}
	if i >= len(t) {
		return 0, false
	}
	j := i
	switch t[i] {
	case '"', '\'':
		q := t[i]
		for j = i + 1; j < len(t); j++ {
			if q == '"' && t[j] == '\\' {
				j++
			} else if t[j] == q {
				if q == '\'' && j+1 < len(t) && t[j+1] == '\'' {
					j++
					continue
				}
				break
			}
		}
		if j >= len(t) {
			return 0, false
		}
		j++
		for j < len(t) && t[j] == ' ' {
			j++
		}
		if j < len(t) && t[j] == ':' && (j+1 == len(t) || t[j+1] == ' ' || t[j+1] == '\t') {
			return j + 1, true
		}
		return 0, false
	case '[', '{', '#', '|', '>':
		return 0, false
	}
	if t[i] == ':' {
		return 0, false // the value of an explicit key ("? key" on the line before)
	}
	for ; j < len(t); j++ {
		if t[j] == '#' && t[j-1] == ' ' {
			return 0, false
		}
		if t[j] == ':' && (j+1 == len(t) || t[j+1] == ' ' || t[j+1] == '\t') {
			return j + 1, true
		}
	}
	return 0, false
}

// scanValue scans the rest of a line from i for quotes, flow brackets, comments and block scalar
// indicators. tokenStart says a value may start at i.
func (s *yamlScan) scanValue(i int, tokenStart bool, indent int) *Error {
	t := s.text
	for ; i < len(t); i++ {
		if s.tokens > MaxYAMLTokens {
			return s.errAt(s.pos(i), "the YAML document has more than %d tokens (the YAML parser needs about 1 KB each); write it as JSON", MaxYAMLTokens)
		}
		c := t[i]
		switch {
		case s.inDouble:
			if c == '\\' {
				i++
			} else if c == '"' {
				s.inDouble = false
			}
			continue
		case s.inSingle:
			if c == '\'' {
				if i+1 < len(t) && t[i+1] == '\'' {
					i++
				} else {
					s.inSingle = false
				}
			}
			continue
		}
		switch {
		case c == '#' && (i == 0 || t[i-1] == ' ' || t[i-1] == '\t'):
			return nil
		case c == ' ' || c == '\t':
		case tokenStart && c == '"':
			s.inDouble, tokenStart = true, false
			s.tokens++
		case tokenStart && c == '\'':
			s.inSingle, tokenStart = true, false
			s.tokens++
		case (tokenStart || s.flow > 0) && (c == '[' || c == '{'):
			s.flow++
			s.tokens++
			if s.depth() > MaxYAMLDepth {
				return s.errAt(s.pos(i), "YAML document nested more than %d levels deep", MaxYAMLDepth)
			}
			tokenStart = true
		case s.flow > 0 && (c == ']' || c == '}'):
			s.flow--
			s.tokens++
			tokenStart = false
		case s.flow > 0 && c == ',':
			s.tokens++
			tokenStart = true
		case c == ':' && (i+1 == len(t) || t[i+1] == ' ' || t[i+1] == '\t' || (s.flow > 0 && (t[i+1] == ',' || t[i+1] == '[' || t[i+1] == '{'))):
			s.tokens++
			tokenStart = true
		case tokenStart && s.flow == 0 && (c == '|' || c == '>'):
			s.tokens++
			s.scalarFrom = indent
			return nil
		case tokenStart && (c == '&' || c == '!'):
			s.tokens++
			for i+1 < len(t) && t[i+1] != ' ' {
				i++
			}
		default:
			if tokenStart {
				s.tokens++
			}
			tokenStart = false
		}
	}
	return nil
}
