package jsonata

import "regexp"

// build turns jsonata-js's processed tree into the evaluator's Node tree. An ordinary path becomes
// a PathNode whose steps carry their predicates (PredicateNode), group-by (GroupNode) and
// order-by (SortNode over the steps before it); a path that binds a focus or an index variable,
// or that a parent operator reaches into, becomes a TuplePathNode.
func (p *parser) build(n *pnode) Node {
	v := p.buildCore(n)
	if n.keepArray && n.typ != "path" {
		return &PathNode{at: at{n.pos}, Steps: []Node{v}, KeepArrays: true}
	}
	return v
}

// buildCore builds n with its predicate and group-by, not its keep-singleton-array flag.
func (p *parser) buildCore(n *pnode) Node {
	if n.typ == "path" {
		if isTuplePath(n) {
			return p.buildTuplePath(n)
		}
		return p.buildPath(n)
	}
	v := p.predicated(p.buildBase(n), n.predicate)
	if n.group != nil {
		v = &GroupNode{at: at{n.group.pos}, Expr: v, ObjectNode: p.object(n.group.pairs, n.group.pos)}
	}
	return v
}

// predicated applies the predicates of an expression that is not a path step to v, one at a
// time: each filters the result of the one before (so [[1,2],[3,4]][-1][-1] is 4).
func (p *parser) predicated(v Node, st []pstage) Node {
	for _, s := range st {
		v = &PredicateNode{at: at{s.pos}, Expr: v, Filters: []Node{p.build(s.filter)}}
	}
	return v
}

// isTuplePath reports whether a path is evaluated as a tuple stream.
func isTuplePath(n *pnode) bool {
	if n.tuple {
		return true
	}
	for _, s := range n.steps {
		if s.tuple {
			return true
		}
	}
	return false
}

func (p *parser) filters(st []pstage) []Node {
	out := make([]Node, 0, len(st))
	for _, s := range st {
		if s.filter != nil { // an index binding (#$i) is not a filter
			out = append(out, p.build(s.filter))
		}
	}
	return out
}

func (p *parser) object(pairs [][2]*pnode, pos int) *ObjectNode {
	o := &ObjectNode{at: at{pos}, Pairs: make([][2]Node, 0, len(pairs))}
	for _, pr := range pairs {
		o.Pairs = append(o.Pairs, [2]Node{p.build(pr[0]), p.build(pr[1])})
	}
	return o
}

// step builds a step of an ordinary path: the step, its predicates and stages, its group-by.
func (p *parser) step(s *pnode) Node {
	v := p.predicated(p.buildBase(s), s.predicate)
	if f := p.filters(s.stages); len(f) > 0 {
		v = &PredicateNode{at: at{s.stages[0].pos}, Expr: v, Filters: f}
	}
	if s.group != nil {
		v = &GroupNode{at: at{s.group.pos}, Expr: v, ObjectNode: p.object(s.group.pairs, s.group.pos)}
	}
	return v
}

// buildPath builds an ordinary path. An order-by step sorts the path so far: the steps before it
// become the SortNode's operand, and the steps after it follow the SortNode.
func (p *parser) buildPath(n *pnode) Node {
	var cur []Node
	sorted := false
	for _, s := range n.steps {
		if s.typ != "sort" {
			cur = append(cur, p.step(s))
			continue
		}
		var inner Node
		if _, isName := cur[0].(*NameNode); len(cur) == 1 && !isName {
			inner = cur[0]
		} else {
			inner = &PathNode{at: at{cur[0].Pos()}, Steps: cur}
		}
		var v Node = &SortNode{at: at{s.pos}, Expr: inner, Terms: p.sortTerms(s.terms)}
		if f := p.filters(s.stages); len(f) > 0 {
			v = &PredicateNode{at: at{s.stages[0].pos}, Expr: v, Filters: f}
		}
		cur = []Node{v}
		sorted = true
	}
	var v Node
	if sorted && len(cur) == 1 && !n.keepSingle && !n.keepArray {
		v = cur[0]
	} else {
		v = &PathNode{at: at{n.pos}, Steps: cur, KeepArrays: n.keepSingle || n.keepArray}
	}
	if n.group != nil {
		v = &GroupNode{at: at{n.group.pos}, Expr: v, ObjectNode: p.object(n.group.pairs, n.group.pos)}
	}
	return v
}

func (p *parser) sortTerms(ts []pterm) []SortTerm {
	out := make([]SortTerm, 0, len(ts))
	for _, t := range ts {
		d := SortDefault
		switch {
		case t.descending:
			d = SortDescending
		case t.ascending:
			d = SortAscending
		}
		out = append(out, SortTerm{Dir: d, Expr: p.build(t.expr)})
	}
	return out
}

// buildTuplePath builds a path evaluated as a tuple stream.
func (p *parser) buildTuplePath(n *pnode) Node {
	t := &TuplePathNode{at: at{n.pos}, KeepArrays: n.keepSingle || n.keepArray, Tuples: n.tuple}
	for _, s := range n.steps {
		ts := &TupleStep{Focus: s.focus, Index: s.index, Tuple: s.tuple, ConsArray: s.consarray}
		if s.ancestor != nil {
			ts.Ancestor = s.ancestor.label
		}
		var filters []Node
		for _, st := range s.stages {
			if st.filter != nil {
				f := p.build(st.filter)
				filters = append(filters, f)
				ts.Stages = append(ts.Stages, Stage{Filter: f})
			} else {
				ts.Stages = append(ts.Stages, Stage{Index: st.index})
			}
		}
		if s.typ == "sort" {
			ts.Sort = p.sortTerms(s.terms)
		} else {
			v := p.predicated(p.buildBase(s), s.predicate)
			if s.group != nil {
				v = &GroupNode{at: at{s.group.pos}, Expr: v, ObjectNode: p.object(s.group.pairs, s.group.pos)}
			}
			ts.Expr, ts.Plain = v, v
			if len(filters) > 0 { // shares the nodes: a subtree is built once
				ts.Plain = &PredicateNode{at: at{s.stages[0].pos}, Expr: v, Filters: filters}
			}
		}
		t.Steps = append(t.Steps, ts)
	}
	if n.group != nil {
		t.Group = p.object(n.group.pairs, n.group.pos)
	}
	return t
}

// buildBase builds n itself (no predicate, group-by or keep-array).
func (p *parser) buildBase(n *pnode) Node {
	a := at{n.pos}
	switch n.typ {
	case "path":
		return p.buildCore(n)
	case "string":
		return &StringNode{at: a, Value: n.value}
	case "number":
		return &NumberNode{at: a, Value: n.num}
	case "value":
		if b, ok := n.lit.(bool); ok {
			return &BooleanNode{at: a, Value: b}
		}
		return &NullNode{at: a}
	case "regex":
		return p.regex(n)
	case "variable":
		return &VariableNode{at: a, Name: n.value}
	case "name":
		return &NameNode{at: a, Value: n.value, Escaped: n.escaped}
	case "wildcard":
		return &WildcardNode{at: a}
	case "descendant":
		return &DescendentNode{at: a}
	case "parent":
		return &ParentNode{at: a, Label: n.slot.label}
	case "unary":
		switch n.value {
		case "-":
			return &NegationNode{at: a, RHS: p.build(n.expr)}
		case "[":
			arr := &ArrayNode{at: a, Items: make([]Node, 0, len(n.items))}
			for _, it := range n.items {
				arr.Items = append(arr.Items, p.build(it))
			}
			return arr
		case "{":
			return p.object(n.pairs, n.pos)
		}
	case "binary":
		return p.binary(n)
	case "bind":
		return &AssignmentNode{at: at{n.lhs.pos}, Name: n.lhs.value, Value: p.build(n.rhs)}
	case "apply":
		return &FunctionApplicationNode{at: a, LHS: p.build(n.lhs), RHS: p.build(n.rhs)}
	case "function", "partial":
		args := make([]Node, 0, len(n.items))
		for _, it := range n.items {
			if it.typ == "operator" && it.value == "?" {
				args = append(args, &PlaceholderNode{at: at{it.pos}})
				continue
			}
			args = append(args, p.build(it))
		}
		if n.typ == "partial" {
			return &PartialNode{at: a, Func: p.build(n.proc), Args: args}
		}
		return &FunctionCallNode{at: a, Func: p.build(n.proc), Args: args}
	case "lambda":
		l := &LambdaNode{at: a, Body: p.build(n.body), Signature: n.sig}
		for _, v := range n.params {
			l.ParamNames = append(l.ParamNames, v.value)
		}
		return l
	case "condition":
		c := &ConditionalNode{at: a, If: p.build(n.cond), Then: p.build(n.then)}
		if n.els != nil {
			c.Else = p.build(n.els)
		}
		return c
	case "transform":
		t := &ObjectTransformationNode{at: a, Pattern: p.build(n.pattern), Updates: p.build(n.update)}
		if n.del != nil {
			t.Deletes = p.build(n.del)
		}
		return t
	case "block":
		b := &BlockNode{at: a, Exprs: make([]Node, 0, len(n.items))}
		for _, it := range n.items {
			b.Exprs = append(b.Exprs, p.build(it))
		}
		return b
	case "sort": // an order-by outside a path cannot arise (process makes it a step)
	}
	p.fail(n.pos, "S0206", "Unknown expression type: "+token(n.typ))
	return nil
}

// binary builds an operator node.
func (p *parser) binary(n *pnode) Node {
	a := at{n.pos}
	l, r := p.build(n.lhs), p.build(n.rhs)
	switch n.value {
	case "+":
		return &NumericOperatorNode{at: a, Type: NumericAdd, LHS: l, RHS: r}
	case "-":
		return &NumericOperatorNode{at: a, Type: NumericSubtract, LHS: l, RHS: r}
	case "*":
		return &NumericOperatorNode{at: a, Type: NumericMultiply, LHS: l, RHS: r}
	case "/":
		return &NumericOperatorNode{at: a, Type: NumericDivide, LHS: l, RHS: r}
	case "%":
		return &NumericOperatorNode{at: a, Type: NumericModulo, LHS: l, RHS: r}
	case "=":
		return &ComparisonOperatorNode{at: a, Type: ComparisonEqual, LHS: l, RHS: r}
	case "!=":
		return &ComparisonOperatorNode{at: a, Type: ComparisonNotEqual, LHS: l, RHS: r}
	case "<":
		return &ComparisonOperatorNode{at: a, Type: ComparisonLess, LHS: l, RHS: r}
	case "<=":
		return &ComparisonOperatorNode{at: a, Type: ComparisonLessEqual, LHS: l, RHS: r}
	case ">":
		return &ComparisonOperatorNode{at: a, Type: ComparisonGreater, LHS: l, RHS: r}
	case ">=":
		return &ComparisonOperatorNode{at: a, Type: ComparisonGreaterEqual, LHS: l, RHS: r}
	case "in":
		return &ComparisonOperatorNode{at: a, Type: ComparisonIn, LHS: l, RHS: r}
	case "and":
		return &BooleanOperatorNode{at: a, Type: BooleanAnd, LHS: l, RHS: r}
	case "or":
		return &BooleanOperatorNode{at: a, Type: BooleanOr, LHS: l, RHS: r}
	case "&":
		return &StringConcatenationNode{at: a, LHS: l, RHS: r}
	case "..":
		return &RangeNode{at: a, LHS: l, RHS: r}
	}
	p.fail(n.pos, "S0204", "Unknown operator: "+token(n.value))
	return nil
}

// regex compiles a regular expression literal (RE2: a JavaScript-only feature is reported as
// unsupported, not as an error in the expression).
func (p *parser) regex(n *pnode) Node {
	src := n.value
	if n.flags != "" {
		src = "(?" + n.flags + ")" + src
	}
	re, err := regexp.Compile(src)
	if err != nil {
		panic(parseError{&SyntaxError{Offset: n.pos, Code: "S0303", Unsupported: true,
			Message: "invalid regular expression: " + err.Error() + " (JSONata uses JavaScript regular expressions; this parser only knows RE2)"}})
	}
	return &RegexNode{at: at{n.pos}, Value: re}
}
