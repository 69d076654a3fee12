package jsonata

import (
	"encoding/json"

	"github.com/sfn-tool/sfn/pkg/value"
)

// simplePath is an expression that only reads a chain of members of a variable:
// $states.input.order.id, $item.price. Step Functions users write these in most fields, once per
// state per transition, so they are answered without an evaluator when every step meets an
// object that has the member: the value found is the answer (a JSON value of the variable, as
// the evaluator would return it). Anything else (an array on the way, which a path maps over, a
// missing member, an unbound variable) is left to the general evaluator.
type simplePath struct {
	variable string
	names    []string
}

// simplePathOf returns the simplePath that root is, or nil.
func simplePathOf(root Node) *simplePath {
	p, ok := root.(*PathNode)
	if !ok || p.KeepArrays || len(p.Steps) < 2 {
		return nil
	}
	v, ok := p.Steps[0].(*VariableNode)
	if !ok || v.Name == "" || v.Name == "$" {
		return nil
	}
	sp := &simplePath{variable: v.Name, names: make([]string, 0, len(p.Steps)-1)}
	for _, s := range p.Steps[1:] {
		n, ok := s.(*NameNode)
		if !ok {
			return nil
		}
		sp.names = append(sp.names, n.Value)
	}
	return sp
}

// eval answers the path from env's variables; ok is false when the general evaluator must.
func (p *simplePath) eval(env *Env) (any, bool) {
	if env == nil {
		return nil, false
	}
	names := p.names
	v, ok := env.member(p.variable, names[0])
	if ok {
		names = names[1:]
	} else if v, ok = env.variable(p.variable); !ok {
		return nil, false
	}
	for _, name := range names {
		o, isObj := v.(*value.Object)
		if !isObj {
			return nil, false
		}
		if v, ok = o.Get(name); !ok {
			return nil, false
		}
	}
	switch v.(type) {
	case string, json.Number, float64, bool, nil, *value.Object, []any:
		// An object or array is the variable's own value, not one the expression built: the
		// result checks (cells, depth) that bound what an expression builds do not apply.
		return v, true
	}
	return nil, false
}
