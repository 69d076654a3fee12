package template

import (
	"strings"
	"unicode/utf8"

	"github.com/sfn-tool/sfn/pkg/load"
)

// srcIndex converts between positions and byte offsets of one source file.
type srcIndex struct {
	src   []byte
	lines []int // byte offset of the start of each line
}

func newSrcIndex(src []byte) *srcIndex {
	ix := &srcIndex{src: src, lines: []int{0}}
	for i, b := range src {
		if b == '\n' {
			ix.lines = append(ix.lines, i+1)
		}
	}
	return ix
}

// offset returns the byte offset of a 1-based line:col (columns count runes); -1 if out of range.
func (ix *srcIndex) offset(p load.Pos) int {
	if p.Line < 1 || p.Line > len(ix.lines) || p.Col < 1 {
		return -1
	}
	off := ix.lines[p.Line-1]
	for c := 1; c < p.Col; c++ {
		if off >= len(ix.src) || ix.src[off] == '\n' {
			return -1
		}
		_, size := utf8.DecodeRune(ix.src[off:])
		off += size
	}
	return off
}

// pos returns the position of a byte offset.
func (ix *srcIndex) pos(off int) load.Pos {
	if off > len(ix.src) {
		off = len(ix.src)
	}
	if off < 0 {
		off = 0
	}
	lo, hi := 0, len(ix.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if ix.lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return load.Pos{Line: lo + 1, Col: 1 + utf8.RuneCount(ix.src[ix.lines[lo]:off])}
}

// alignString maps each byte of a string node's decoded value to the position in the source of
// the character that spelled it. The value is matched character by character against the source
// from the node's position on, skipping what the source adds (quotes, escape backslashes,
// indentation, a YAML tag or block indicator): exact for block scalars and strings without escape
// sequences, and otherwise within a few characters ("as close as can be"). A character that cannot
// be found nearby takes the position of the last matched one.
func alignString(ix *srcIndex, n *load.Node) []load.Pos {
	out := make([]load.Pos, len(n.Text)+1)
	s := ix.offset(n.Pos)
	if s < 0 {
		for i := range out {
			out[i] = n.Pos
		}
		return out
	}
	src := ix.src
	last := s
	for i := 0; i < len(n.Text); {
		r, size := utf8.DecodeRuneInString(n.Text[i:])
		j, skipped, total := s, 0, 0
		found := -1
		for j < len(src) && skipped <= 8 && total <= 256 {
			sr, ss := utf8.DecodeRune(src[j:])
			if sr == r {
				found = j
				break
			}
			if sr != ' ' && sr != '\t' && sr != '\r' && sr != '\n' {
				skipped++
			}
			total++
			j += ss
		}
		p := last
		if found >= 0 {
			p = found
			_, ss := utf8.DecodeRune(src[found:])
			s = found + ss
			last = found
		}
		pp := ix.pos(p)
		for k := 0; k < size; k++ {
			out[i+k] = pp
		}
		i += size
	}
	out[len(n.Text)] = ix.pos(s)
	return out
}

// textBuilder assembles a definition's JSON text from template pieces, keeping for every byte
// the template position it came from, and tracking whether the end of the text is inside a JSON
// string (so placeholders outside strings can be quoted to keep the JSON parseable).
type textBuilder struct {
	b        strings.Builder
	pos      []load.Pos
	inString bool
	escape   bool
}

func (tb *textBuilder) add(s string, p func(i int) load.Pos) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		tb.b.WriteByte(c)
		tb.pos = append(tb.pos, p(i))
		switch {
		case tb.escape:
			tb.escape = false
		case tb.inString && c == '\\':
			tb.escape = true
		case c == '"':
			tb.inString = !tb.inString
		}
	}
}

// addPlaceholder writes an opaque ${name} placeholder, quoted when it stands outside a JSON string.
func (tb *textBuilder) addPlaceholder(name string, at load.Pos) {
	text := "${" + name + "}"
	if !tb.inString {
		text = `"` + text + `"`
	}
	tb.add(text, func(int) load.Pos { return at })
}

// addValue writes a substituted literal value (raw text, as CloudFormation substitutes it).
func (tb *textBuilder) addValue(v string, at load.Pos) {
	tb.add(v, func(int) load.Pos { return at })
}

// subLookup resolves a ${Name} reference: literal text, or opaque (keep a placeholder), or unknown
// (keep the text as written).
type subLookup func(name string) (value string, literal, known bool)

// addSubText writes literal template text in which ${Name} references are resolved by look
// (nil: no substitution). "${!Name}" is written as the literal "${Name}" when bang is set (Fn::Sub).
func (tb *textBuilder) addSubText(s string, ps []load.Pos, look subLookup, bang bool) {
	at := func(base int) func(int) load.Pos {
		return func(i int) load.Pos { return ps[min(base+i, len(ps)-1)] }
	}
	i := 0
	for i < len(s) {
		j := strings.Index(s[i:], "${")
		if j < 0 || look == nil {
			tb.add(s[i:], at(i))
			return
		}
		j += i
		tb.add(s[i:j], at(i))
		end := strings.IndexByte(s[j+2:], '}')
		if end < 0 {
			tb.add(s[j:], at(j))
			return
		}
		name := s[j+2 : j+2+end]
		next := j + 2 + end + 1
		switch {
		case bang && strings.HasPrefix(name, "!"):
			tb.add("${", at(j))
			tb.add(name[1:]+"}", at(j+3))
		default:
			v, literal, known := look(name)
			switch {
			case known && literal:
				tb.addValue(v, ps[j])
			case known:
				tb.addPlaceholder(name, ps[j])
			default:
				tb.add(s[j:next], at(j))
			}
		}
		i = next
	}
}

// parseBuilt parses the assembled text as JSON and moves every position of the tree (or of the
// syntax error) back to the template.
func (tb *textBuilder) parseBuilt() (*load.Node, string, error) {
	text := tb.b.String()
	root, err := load.ParseJSON([]byte(text))
	bix := newSrcIndex([]byte(text))
	mapPos := func(p load.Pos) load.Pos {
		off := bix.offset(p)
		if off < 0 {
			off = len(text)
		}
		if off >= len(tb.pos) {
			if len(tb.pos) == 0 {
				return load.Pos{Line: 1, Col: 1}
			}
			return tb.pos[len(tb.pos)-1]
		}
		return tb.pos[off]
	}
	if err != nil {
		if le, ok := err.(*load.Error); ok {
			le.Pos = mapPos(le.Pos)
			le.Message = "in the definition string: " + le.Message
		}
		return nil, text, err
	}
	remap(root, mapPos)
	return root, text, nil
}

// remap rewrites every position of the tree with f.
func remap(n *load.Node, f func(load.Pos) load.Pos) {
	if n == nil {
		return
	}
	n.Pos = f(n.Pos)
	for i := range n.Fields {
		n.Fields[i].KeyPos = f(n.Fields[i].KeyPos)
		remap(n.Fields[i].Value, f)
	}
	for _, it := range n.Items {
		remap(it, f)
	}
}
