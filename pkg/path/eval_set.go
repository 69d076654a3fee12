package path

import (
	"strconv"

	jv "github.com/sfn-tool/sfn/pkg/value"
)

// Set returns root with value placed at p, for a ResultPath (or any
// definite path of field names and indexes rooted at `$`):
//
//   - `$` replaces the whole root: the result is value.
//   - Missing members along the path are created as empty objects.
//   - An existing member is replaced; an existing array element (a
//     non-negative or negative index within range) is replaced.
//   - Descending into anything that is not an object (for a field) or an
//     array with that index (for an index) — a string, a number, null, an
//     index out of range — fails with a *SetError, which the interpreter
//     reports as States.ResultPathMatchFailure.
//   - A path that is not a reference path, or that is not rooted at `$`,
//     fails with a *SetError.
//
// Set never modifies root: the objects and arrays on the path are copied
// (shallowly) and the rest of the document is shared between root and the
// result; value is placed as is, without copying. Callers that later modify
// the result in place must copy it first.
func (p *Path) Set(root any, value any) (any, error) {
	if p.Root != RootInput {
		return nil, &SetError{Path: p.Source, Message: "a result path must start with '$'"}
	}
	for i := range p.Segments {
		if k := p.Segments[i].Kind; k != Field && k != Index {
			return nil, &SetError{Path: p.Source, Message: "a result path may contain only field names and indexes"}
		}
	}
	return p.set(root, p.Segments, value, "$")
}

func (p *Path) set(node any, segs []Segment, value any, cur string) (any, error) {
	if len(segs) == 0 {
		return value, nil
	}
	s := &segs[0]
	switch s.Kind {
	case Field:
		m, ok := node.(*jv.Object)
		if !ok {
			return nil, &SetError{Path: p.Source, Message: cur + " is " + describeKind(node) + ", not an object"}
		}
		name := s.key()
		var child any
		if c, ok := m.Get(name); ok {
			child = c
		} else if len(segs) > 1 {
			child = jv.NewObject(1)
		}
		nv, err := p.set(child, segs[1:], value, cur+"['"+name+"']")
		if err != nil {
			return nil, err
		}
		return m.With(name, nv), nil // a new member goes at the end, as in AWS's output
	default: // Index
		a, ok := node.([]any)
		if !ok {
			return nil, &SetError{Path: p.Source, Message: cur + " is " + describeKind(node) + ", not an array"}
		}
		i := s.Index
		if i < 0 {
			i += len(a)
		}
		if i < 0 || i >= len(a) {
			return nil, &SetError{Path: p.Source, Message: "index " + strconv.Itoa(s.Index) + " is out of range for " + cur + " (length " + strconv.Itoa(len(a)) + ")"}
		}
		nv, err := p.set(a[i], segs[1:], value, cur+"["+strconv.Itoa(s.Index)+"]")
		if err != nil {
			return nil, err
		}
		out := append([]any(nil), a...)
		out[i] = nv
		return out, nil
	}
}

// describeKind names the JSON type of v with an article.
func describeKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case *jv.Object:
		return "an object"
	}
	if _, ok := toNumber(v); ok {
		return "a number"
	}
	return "a value"
}
