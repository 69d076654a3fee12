package load

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// ParseYAML parses src as YAML 1.2 (yes/no/on/off stay strings) into a Node tree.
// Only the first document is used. Custom tags such as CloudFormation's !Ref are kept
// on the node (Tag) so callers can treat the value as opaque. Anchors and aliases are resolved.
func ParseYAML(src []byte) (n *Node, err error) {
	defer func() {
		if r := recover(); r != nil { // the YAML library must never crash sfn
			n, err = nil, &Error{Pos: Pos{1, 1}, Rule: "yaml-syntax", Message: fmt.Sprintf("YAML parser failed: %v", r)}
		}
	}()
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		src = src[3:]
	}
	if e := prescanYAML(src); e != nil {
		return nil, e
	}
	f, err := parser.ParseBytes(src, 0, parser.AllowDuplicateMapKey())
	if err != nil {
		return nil, yamlError(err)
	}
	var body ast.Node
	for _, d := range f.Docs {
		if d != nil && d.Body != nil {
			body = d.Body
			break
		}
	}
	if body == nil {
		return nil, &Error{Pos: Pos{1, 1}, Rule: "definition-not-object", Message: "the file is empty: expected a state machine object"}
	}
	c := &yamlConverter{anchors: map[string]ast.Node{}, open: map[string]bool{}}
	return c.convert(body, 0)
}

func yamlError(err error) error {
	msg := err.Error()
	pos := Pos{1, 1}
	// goccy errors look like "[3:5] message\n   source..."
	if strings.HasPrefix(msg, "[") {
		if end := strings.IndexByte(msg, ']'); end > 0 {
			var l, c int
			if _, e := fmt.Sscanf(msg[1:end], "%d:%d", &l, &c); e == nil {
				pos = Pos{l, c}
				msg = strings.TrimSpace(msg[end+1:])
			}
		}
	}
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return &Error{Pos: pos, Rule: "yaml-syntax", Message: "YAML syntax error: " + msg}
}

// MaxYAMLAliasNodes is the most nodes that YAML aliases may expand to in one document. Each use
// of an alias copies the anchored value, so nine levels of nine aliases (a 410-byte file) would
// make 387 million nodes; like go-yaml v3, sfn stops at a budget instead.
const MaxYAMLAliasNodes = 500_000

type yamlConverter struct {
	anchors    map[string]ast.Node
	open       map[string]bool // anchors whose value is being converted: an alias to one is a cycle
	inAlias    int             // depth of alias expansion
	aliasPos   Pos             // the outermost alias being expanded
	aliasNodes int             // nodes made by expanding aliases so far
}

func tokPos(t *token.Token) Pos {
	if t == nil || t.Position == nil {
		return Pos{1, 1}
	}
	return Pos{t.Position.Line, t.Position.Column}
}

var errTooDeep = errors.New("document nested too deeply")

func (c *yamlConverter) convert(n ast.Node, depth int) (*Node, error) {
	if depth > maxDepth {
		return nil, &Error{Pos: tokPos(n.GetToken()), Rule: "yaml-syntax", Message: errTooDeep.Error()}
	}
	pos := tokPos(n.GetToken())
	if c.inAlias > 0 {
		if c.aliasNodes++; c.aliasNodes > MaxYAMLAliasNodes {
			return nil, &Error{Pos: c.aliasPos, Rule: "yaml-syntax", Message: fmt.Sprintf("YAML aliases expand to more than %d nodes (an alias bomb?); sfn stops here", MaxYAMLAliasNodes)}
		}
	}
	switch v := n.(type) {
	case *ast.NullNode:
		return &Node{Kind: Null, Pos: pos}, nil
	case *ast.BoolNode:
		return &Node{Kind: Bool, Pos: pos, Bool: v.Value}, nil
	case *ast.IntegerNode:
		return &Node{Kind: Number, Pos: pos, Text: yamlNumberText(v.GetToken().Value, v.Value)}, nil
	case *ast.FloatNode:
		return &Node{Kind: Number, Pos: pos, Text: yamlNumberText(v.GetToken().Value, v.Value)}, nil
	case *ast.InfinityNode, *ast.NanNode:
		// not representable in JSON: keep as the source text
		return &Node{Kind: String, Pos: pos, Text: v.GetToken().Value}, nil
	case *ast.StringNode:
		if v.Token != nil && v.Token.Type == token.StringType && yaml12Float.MatchString(v.Value) {
			// YAML 1.2 core schema: an unquoted 1e3 or .5 is a number
			return &Node{Kind: Number, Pos: pos, Text: yamlFloatText(v.Value)}, nil
		}
		return &Node{Kind: String, Pos: pos, Text: v.Value}, nil
	case *ast.LiteralNode:
		s := ""
		if v.Value != nil {
			s = v.Value.Value
		}
		return &Node{Kind: String, Pos: pos, Text: s}, nil
	case *ast.MappingNode:
		return c.mapping(v.Values, pos, depth)
	case *ast.MappingValueNode:
		return c.mapping([]*ast.MappingValueNode{v}, tokPos(v.Key.GetToken()), depth)
	case *ast.SequenceNode:
		return c.sequence(v, pos, depth)
	case *ast.AnchorNode:
		if v.Value == nil {
			return &Node{Kind: Null, Pos: pos}, nil
		}
		if v.Name == nil {
			return c.convert(v.Value, depth+1)
		}
		name := v.Name.GetToken().Value
		c.anchors[name] = v.Value
		return c.within(name, func() (*Node, error) { return c.convert(v.Value, depth+1) })
	case *ast.AliasNode:
		return c.alias(v, pos, depth)
	case *ast.TagNode:
		return c.tagged(v, pos, depth)
	case *ast.CommentGroupNode, *ast.CommentNode:
		return &Node{Kind: Null, Pos: pos}, nil
	case *ast.DocumentNode:
		if v.Body == nil {
			return &Node{Kind: Null, Pos: pos}, nil
		}
		return c.convert(v.Body, depth)
	}
	return nil, &Error{Pos: pos, Rule: "yaml-syntax", Message: fmt.Sprintf("unsupported YAML construct %T", n)}
}

// sequence converts a YAML sequence; an empty entry is null.
func (c *yamlConverter) sequence(v *ast.SequenceNode, pos Pos, depth int) (*Node, error) {
	out := &Node{Kind: Array, Pos: pos, Items: make([]*Node, 0, len(v.Values))}
	for _, it := range v.Values {
		if it == nil {
			out.Items = append(out.Items, &Node{Kind: Null, Pos: pos})
			continue
		}
		cn, err := c.convert(it, depth+1)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, cn)
	}
	return out, nil
}

// alias expands *name to a copy of its anchor's value, counting the nodes against the alias
// budget and refusing an alias inside its own anchor.
func (c *yamlConverter) alias(v *ast.AliasNode, pos Pos, depth int) (*Node, error) {
	name := ""
	if v.Value != nil {
		name = v.Value.GetToken().Value
	}
	target, ok := c.anchors[name]
	if !ok {
		return nil, &Error{Pos: pos, Rule: "yaml-syntax", Message: fmt.Sprintf("unknown YAML alias *%s", name)}
	}
	if c.open[name] {
		return nil, &Error{Pos: pos, Rule: "yaml-syntax", Message: fmt.Sprintf("YAML alias *%s is inside its own anchor (a cycle)", name)}
	}
	if c.inAlias == 0 {
		c.aliasPos = pos
	}
	c.inAlias++
	cn, err := c.within(name, func() (*Node, error) { return c.convert(target, depth+1) })
	c.inAlias--
	if err != nil {
		return nil, err
	}
	cn.Pos = pos
	return cn, nil
}

// tagged converts a tagged value: !!str makes a scalar a string, the other core tags are
// transparent, and an application tag (CloudFormation !Ref, !Sub, ...) is kept on the node.
func (c *yamlConverter) tagged(v *ast.TagNode, pos Pos, depth int) (*Node, error) {
	tag := v.Start.Value
	switch tag {
	case "!!str":
		if v.Value == nil {
			return &Node{Kind: String, Pos: pos}, nil
		}
		inner, err := c.convert(v.Value, depth+1)
		if err != nil {
			return nil, err
		}
		if inner.Kind == Number || inner.Kind == Bool || inner.Kind == Null {
			return &Node{Kind: String, Pos: inner.Pos, Text: v.Value.GetToken().Value}, nil
		}
		return inner, nil
	case "!!map", "!!seq", "!!int", "!!float", "!!bool", "!!null", "!!binary", "!!timestamp":
		if v.Value == nil {
			return &Node{Kind: Null, Pos: pos}, nil
		}
		return c.convert(v.Value, depth+1)
	}
	inner := &Node{Kind: Null, Pos: pos}
	if v.Value != nil {
		var err error
		if inner, err = c.convert(v.Value, depth+1); err != nil {
			return nil, err
		}
	}
	inner.Tag = tag
	inner.Pos = pos
	return inner, nil
}

// within converts with the anchor name marked open, so that an alias to it inside is a cycle.
func (c *yamlConverter) within(name string, convert func() (*Node, error)) (*Node, error) {
	was := c.open[name]
	c.open[name] = true
	n, err := convert()
	c.open[name] = was
	return n, err
}

func (c *yamlConverter) mapping(values []*ast.MappingValueNode, pos Pos, depth int) (*Node, error) {
	out := &Node{Kind: Object, Pos: pos, Fields: make([]Field, 0, len(values))}
	index := make(map[string]int, len(values))
	for _, mv := range values {
		if mv == nil || mv.Key == nil {
			continue
		}
		if _, ok := mv.Key.(*ast.MergeKeyNode); ok {
			merged, err := c.convert(mv.Value, depth+1)
			if err != nil {
				return nil, err
			}
			if merged.Kind == Object {
				for _, f := range merged.Fields {
					if _, exists := index[f.Key]; !exists {
						index[f.Key] = len(out.Fields)
						out.Fields = append(out.Fields, f)
					}
				}
			}
			continue
		}
		var keyNode ast.Node = mv.Key
		if mk, ok := keyNode.(*ast.MappingKeyNode); ok && mk.Value != nil {
			keyNode = mk.Value
		}
		key := keyText(keyNode)
		keyPos := tokPos(keyNode.GetToken())
		var val *Node
		if mv.Value == nil {
			val = &Node{Kind: Null, Pos: keyPos}
		} else {
			var err error
			val, err = c.convert(mv.Value, depth+1)
			if err != nil {
				return nil, err
			}
		}
		if prev, dup := index[key]; dup {
			return nil, &Error{Pos: keyPos, Rule: "duplicate-key", Message: fmt.Sprintf("duplicate key %q: already defined at %s", key, out.Fields[prev].KeyPos)}
		}
		index[key] = len(out.Fields)
		out.Fields = append(out.Fields, Field{Key: key, KeyPos: keyPos, Value: val})
	}
	return out, nil
}

func keyText(n ast.Node) string {
	switch v := n.(type) {
	case *ast.StringNode:
		return v.Value
	case *ast.TagNode:
		if v.Value != nil {
			return keyText(v.Value)
		}
	}
	if t := n.GetToken(); t != nil {
		return t.Value
	}
	return fmt.Sprint(n)
}

// yamlNumberText returns a JSON number literal for a YAML number token, keeping the
// source text when it is already JSON-shaped (exact decimals and big integers).
func yamlNumberText(src string, v any) string {
	if isJSONNumber(src) {
		return src
	}
	clean := strings.ReplaceAll(src, "_", "")
	if isJSONNumber(clean) {
		return clean
	}
	switch x := v.(type) {
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return src
		}
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	s := strings.TrimPrefix(clean, "+")
	if isJSONNumber(s) {
		return s
	}
	return fmt.Sprint(v)
}

// yaml12Float is the YAML 1.2 core-schema float pattern.
var yaml12Float = regexp.MustCompile(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// yamlFloatText rewrites a YAML 1.2 float literal as a JSON number literal (exact, not rounded).
func yamlFloatText(s string) string {
	s = strings.TrimPrefix(s, "+")
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	mant, exp, hasExp := strings.Cut(strings.ToLower(s), "e")
	if strings.HasPrefix(mant, ".") {
		mant = "0" + mant
	}
	mant = strings.TrimSuffix(mant, ".")
	for len(mant) > 1 && mant[0] == '0' && mant[1] != '.' {
		mant = mant[1:]
	}
	out := mant
	if hasExp {
		out += "e" + exp
	}
	if neg {
		out = "-" + out
	}
	return out
}

func isJSONNumber(s string) bool {
	p := &jsonParser{src: []byte(s), text: s, li: newLineIndex([]byte(s))}
	if len(s) == 0 {
		return false
	}
	if s[0] != '-' && (s[0] < '0' || s[0] > '9') {
		return false
	}
	_, err := p.number()
	return err == nil && p.off == len(s)
}
