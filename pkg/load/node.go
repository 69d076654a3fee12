// Package load reads state machine documents (strict JSON, YAML 1.2) into a
// position-preserving value tree. It is the only place sfn parses input files.
package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/sfn-tool/sfn/pkg/value"
)

// Pos is a 1-based line and column (columns count Unicode characters).
type Pos struct {
	Line, Col int
}

// String formats the position as "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// Kind is the JSON type of a Node.
type Kind uint8

// The node kinds.
const (
	Null Kind = iota
	Bool
	Number
	String
	Object
	Array
)

var kindNames = [...]string{"null", "boolean", "number", "string", "object", "array"}

func (k Kind) String() string { return kindNames[k] }

// Node is one JSON value with the position where it starts.
// Numbers keep their exact source text in Text; strings keep their decoded value in Text.
type Node struct {
	Kind   Kind
	Pos    Pos
	Text   string  // String: decoded value; Number: literal text (exact)
	Bool   bool    // Bool: value
	Fields []Field // Object: members in source order
	Items  []*Node // Array: elements
	Tag    string  // YAML tag such as "!Ref" when present (the node is then opaque)
}

// Field is one object member.
type Field struct {
	Key    string
	KeyPos Pos
	Value  *Node
}

// Get returns the value of the member named key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := range n.Fields {
		if n.Fields[i].Key == key {
			return n.Fields[i].Value
		}
	}
	return nil
}

// Field returns the member named key, or nil.
func (n *Node) Field(key string) *Field {
	if n == nil || n.Kind != Object {
		return nil
	}
	for i := range n.Fields {
		if n.Fields[i].Key == key {
			return &n.Fields[i]
		}
	}
	return nil
}

// Has reports whether the object has a member named key.
func (n *Node) Has(key string) bool { return n.Field(key) != nil }

// IsString reports whether n is a string node.
func (n *Node) IsString() bool { return n != nil && n.Kind == String }

// Interface converts the node into a run-time value (package value): *value.Object with the
// members in document order, []any, string, bool, nil, and json.Number for numbers (their exact
// source text). sfn run uses it for inputs and literals.
func (n *Node) Interface() any {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case Null:
		return nil
	case Bool:
		return n.Bool
	case Number:
		return json.Number(n.Text)
	case String:
		return n.Text
	case Array:
		out := make([]any, len(n.Items))
		for i, it := range n.Items {
			out[i] = it.Interface()
		}
		return out
	default:
		ms := make([]value.Member, len(n.Fields))
		for i, f := range n.Fields {
			ms[i] = value.Member{Key: f.Key, Value: f.Value.Interface()}
		}
		return value.FromMembers(ms)
	}
}

// Describe gives a short human description of the node for messages, like `string "abc"` or `object`.
func (n *Node) Describe() string {
	if n == nil {
		return "nothing"
	}
	switch n.Kind {
	case String:
		s := n.Text
		if len([]rune(s)) > 40 {
			s = string([]rune(s)[:37]) + "..."
		}
		return fmt.Sprintf("string %q", s)
	case Number:
		return "number " + n.Text
	case Bool:
		if n.Bool {
			return "true"
		}
		return "false"
	default:
		return n.Kind.String()
	}
}

// Error is a load error (syntax, duplicate key) with a position.
type Error struct {
	Pos     Pos
	Message string
	Rule    string // rule id: "json-syntax", "yaml-syntax", "duplicate-key", "definition-not-object"
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Message }

// lineIndex maps byte offsets to positions. Lookups at increasing offsets (the parser's order)
// advance a cursor, so a whole parse costs one pass over the source; earlier offsets restart from
// the start of their line.
type lineIndex struct {
	src []byte
	// cursor: byte offset, its line and column
	off, line, col int
}

func newLineIndex(src []byte) *lineIndex {
	return &lineIndex{src: src, line: 1, col: 1}
}

func (li *lineIndex) pos(off int) Pos {
	if off > len(li.src) {
		off = len(li.src)
	}
	if off < li.off {
		// rewind to the start of the line holding off
		ls := off
		for ls > 0 && li.src[ls-1] != '\n' {
			ls--
		}
		line := 1 + bytes.Count(li.src[:ls], []byte{'\n'})
		li.off, li.line, li.col = ls, line, 1
	}
	for _, b := range li.src[li.off:off] {
		if b == '\n' {
			li.line++
			li.col = 1
		} else if b&0xC0 != 0x80 { // count rune starts
			li.col++
		}
	}
	li.off = off
	return Pos{Line: li.line, Col: li.col}
}

// SourceLine returns the text of the given 1-based line of src (without newline).
func SourceLine(src []byte, line int) string {
	n := 1
	start := 0
	for i, b := range src {
		if n == line {
			start = i
			break
		}
		if b == '\n' {
			n++
			if n == line {
				start = i + 1
				break
			}
		}
	}
	if n != line {
		return ""
	}
	end := len(src)
	if j := strings.IndexByte(string(src[start:]), '\n'); j >= 0 {
		end = start + j
	}
	return strings.TrimRight(string(src[start:end]), "\r")
}
