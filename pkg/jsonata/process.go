package jsonata

import "strconv"

// process is jsonata-js's post-parse pass (processAST): it flattens location paths into steps,
// moves predicates into their step's stages, marks the steps that bind a focus (@) or an index
// (#) variable, and resolves each parent operator (%) to the step whose context it denotes.
func (p *parser) process(e *pnode) *pnode {
	p.depth++
	if p.depth > maxParseDepth {
		p.fail(e.pos, "S0201", "expression nested too deeply")
	}
	defer func() { p.depth-- }()
	var r *pnode
	switch e.typ {
	case "binary":
		r = p.processBinary(e)
	case "unary":
		r = p.processUnary(e)
	case "function", "partial":
		r = &pnode{typ: e.typ, value: e.value, pos: e.pos}
		for _, a := range e.items {
			v := p.process(a)
			pushAncestry(r, v)
			r.items = append(r.items, v)
		}
		r.proc = p.process(e.proc)
	case "lambda":
		r = &pnode{typ: "lambda", pos: e.pos, params: e.params, sig: e.sig}
		r.body = p.process(e.body)
	case "condition":
		r = p.processCondition(e)
	case "transform":
		r = &pnode{typ: "transform", pos: e.pos}
		r.pattern = p.process(e.pattern)
		r.update = p.process(e.update)
		if e.del != nil {
			r.del = p.process(e.del)
		}
	case "block":
		r = p.processBlock(e)
	case "name":
		r = &pnode{typ: "path", pos: e.pos, steps: []*pnode{e}}
		if e.keepArray {
			r.keepSingle = true
		}
	case "parent":
		r = &pnode{typ: "parent", pos: e.pos, slot: &slot{label: "!" + strconv.Itoa(p.labels), level: 1, index: len(p.ancestry)}}
		p.labels++
		p.ancestry = append(p.ancestry, r)
	case "string", "number", "value", "wildcard", "descendant", "variable", "regex":
		r = e
	case "operator":
		switch e.value {
		case "and", "or", "in":
			e.typ = "name"
			r = p.process(e)
		case "?":
			r = e
		default:
			p.fail(e.pos, "S0201", "Syntax error: "+token(e.value))
		}
	case "end":
		p.fail(e.pos, "S0207", "Unexpected end of expression")
	default:
		p.fail(e.pos, "S0206", "Unknown expression type: "+token(e.value))
	}
	if e.keepArray {
		r.keepArray = true
	}
	return r
}

// processUnary processes an array constructor [..], an object constructor {..} or a unary
// minus (folded into a number literal).
func (p *parser) processUnary(e *pnode) *pnode {
	r := &pnode{typ: "unary", value: e.value, pos: e.pos}
	switch e.value {
	case "[":
		for _, it := range e.items {
			v := p.process(it)
			pushAncestry(r, v)
			r.items = append(r.items, v)
		}
	case "{":
		for _, pr := range e.pairs {
			k := p.process(pr[0])
			pushAncestry(r, k)
			v := p.process(pr[1])
			pushAncestry(r, v)
			r.pairs = append(r.pairs, [2]*pnode{k, v})
		}
	default:
		r.expr = p.process(e.expr)
		if e.value == "-" && r.expr.typ == "number" {
			r = r.expr
			r.num = -r.num
		} else {
			pushAncestry(r, r.expr)
		}
	}
	return r
}

// processCondition processes c ? a : b.
func (p *parser) processCondition(e *pnode) *pnode {
	r := &pnode{typ: "condition", pos: e.pos}
	r.cond = p.process(e.cond)
	pushAncestry(r, r.cond)
	r.then = p.process(e.then)
	pushAncestry(r, r.then)
	if e.els != nil {
		r.els = p.process(e.els)
		pushAncestry(r, r.els)
	}
	return r
}

// processBlock processes ( a; b ): it constructs an array when one of its expressions does.
func (p *parser) processBlock(e *pnode) *pnode {
	r := &pnode{typ: "block", pos: e.pos}
	for _, it := range e.items {
		v := p.process(it)
		pushAncestry(r, v)
		if v.consarray || (v.typ == "path" && v.steps[0].consarray) {
			r.consarray = true
		}
		r.items = append(r.items, v)
	}
	return r
}

// processBinary processes a binary node: paths, predicates, group-by, order-by, bindings.
func (p *parser) processBinary(e *pnode) *pnode {
	switch e.value {
	case ".":
		return p.processPath(e)
	case "[":
		return p.processPredicate(e)
	case "{":
		return p.processGroup(e)
	case "^":
		return p.processSort(e)
	case ":=":
		r := &pnode{typ: "bind", pos: e.pos}
		r.lhs = p.process(e.lhs)
		r.rhs = p.process(e.rhs)
		pushAncestry(r, r.rhs)
		return r
	case "@":
		return p.processFocus(e)
	case "#":
		return p.processIndex(e)
	case "~>":
		r := &pnode{typ: "apply", value: e.value, pos: e.pos}
		r.lhs = p.process(e.lhs)
		r.rhs = p.process(e.rhs)
		r.keepArray = r.lhs.keepArray || r.rhs.keepArray
		return r
	}
	r := &pnode{typ: "binary", value: e.value, pos: e.pos}
	r.lhs = p.process(e.lhs)
	r.rhs = p.process(e.rhs)
	pushAncestry(r, r.lhs)
	pushAncestry(r, r.rhs)
	return r
}

// processPath processes a path a.b.c: its steps flattened, literal steps refused (S0213), string
// steps made names.
func (p *parser) processPath(e *pnode) *pnode {
	lstep := p.process(e.lhs)
	var r *pnode
	if lstep.typ == "path" {
		r = lstep
	} else {
		r = &pnode{typ: "path", pos: lstep.pos, steps: []*pnode{lstep}}
	}
	if lstep.typ == "parent" {
		r.seeking = []*slot{lstep.slot}
	}
	rest := p.process(e.rhs)
	if rest.typ == "path" {
		r.steps = append(r.steps, rest.steps...)
	} else {
		if rest.predicate != nil {
			rest.stages, rest.predicate = rest.predicate, nil
		}
		r.steps = append(r.steps, rest)
	}
	for _, s := range r.steps {
		switch s.typ {
		case "number", "value":
			p.fail(s.pos, "S0213", "The literal value "+literalText(s)+" cannot be used as a step within a path expression")
		case "string":
			s.typ = "name"
		}
		if s.keepArray {
			r.keepSingle = true
		}
	}
	if f := r.steps[0]; f.typ == "unary" && f.value == "[" {
		f.consarray = true
	}
	if l := r.steps[len(r.steps)-1]; l.typ == "unary" && l.value == "[" {
		l.consarray = true
	}
	p.resolveAncestry(r)
	return r
}

// processPredicate processes a predicate a[expr]: a filter stage on the last step, its parent
// references resolved.
func (p *parser) processPredicate(e *pnode) *pnode {
	r := p.process(e.lhs)
	step := r
	stages := &r.predicate
	if r.typ == "path" {
		step = r.steps[len(r.steps)-1]
		stages = &step.stages
	}
	if step.group != nil {
		p.fail(e.pos, "S0209", "A predicate cannot follow a grouping expression in a step")
	}
	pred := p.process(e.rhs)
	if pred.seeking != nil {
		for _, s := range pred.seeking {
			if s.level == 1 {
				p.seekParent(step, s)
			} else {
				s.level--
			}
		}
		pushAncestry(step, pred)
	}
	*stages = append(*stages, pstage{filter: pred, pos: e.pos})
	return r
}

// processGroup processes a group-by a{k: v} on the step (S0210 for a second one).
func (p *parser) processGroup(e *pnode) *pnode {
	r := p.process(e.lhs)
	if r.group != nil {
		p.fail(e.pos, "S0210", "Each step can only have one grouping expression")
	}
	g := &pgroup{pos: e.pos}
	for _, pr := range e.pairs {
		g.pairs = append(g.pairs, [2]*pnode{p.process(pr[0]), p.process(pr[1])})
	}
	r.group = g
	return r
}

// processSort processes an order-by a^(x): a sort step appended to the path.
func (p *parser) processSort(e *pnode) *pnode {
	r := p.process(e.lhs)
	if r.typ != "path" {
		r = &pnode{typ: "path", pos: r.pos, steps: []*pnode{r}}
	}
	s := &pnode{typ: "sort", pos: e.pos}
	for _, t := range e.terms {
		x := p.process(t.expr)
		pushAncestry(s, x)
		s.terms = append(s.terms, pterm{descending: t.descending, expr: x})
	}
	r.steps = append(r.steps, s)
	p.resolveAncestry(r)
	return r
}

// processFocus processes a focus binding a@$v: the step becomes a tuple step binding $v to each
// item (S0215, S0216).
func (p *parser) processFocus(e *pnode) *pnode {
	r := p.process(e.lhs)
	step := r
	if r.typ == "path" {
		step = r.steps[len(r.steps)-1]
	}
	if step.stages != nil || step.predicate != nil {
		p.fail(e.pos, "S0215", "A context variable binding must precede any predicates on a step")
	}
	if step.typ == "sort" {
		p.fail(e.pos, "S0216", "A context variable binding must precede the 'order-by' clause on a step")
	}
	if e.keepArray {
		step.keepArray = true
	}
	step.focus = e.rhs.value
	step.tuple = true
	return r
}

// processIndex processes an index binding a#$i: the step becomes a tuple step binding $i to each
// position.
func (p *parser) processIndex(e *pnode) *pnode {
	r := p.process(e.lhs)
	step := r
	if r.typ == "path" {
		step = r.steps[len(r.steps)-1]
	} else {
		r = &pnode{typ: "path", pos: r.pos, steps: []*pnode{r}}
		if step.predicate != nil {
			step.stages, step.predicate = step.predicate, nil
		}
	}
	if step.stages == nil {
		step.index = e.rhs.value
	} else {
		step.stages = append(step.stages, pstage{index: e.rhs.value, pos: e.pos})
	}
	step.tuple = true
	return r
}

// literalText is a number or value literal as JSON.
func literalText(n *pnode) string {
	if n.typ == "number" {
		return formatNumber(n.num)
	}
	switch n.lit {
	case true:
		return "true"
	case false:
		return "false"
	}
	return "null"
}

// seekParent walks back from node to the step whose context a parent slot denotes.
func (p *parser) seekParent(n *pnode, s *slot) *slot {
	switch n.typ {
	case "name", "wildcard":
		s.level--
		if s.level == 0 {
			if n.ancestor == nil {
				n.ancestor = s
			} else {
				// reuse the existing label
				p.ancestry[s.index].slot.label = n.ancestor.label
				n.ancestor = s
			}
			n.tuple = true
		}
	case "parent":
		s.level++
	case "block":
		if len(n.items) > 0 {
			n.tuple = true
			s = p.seekParent(n.items[len(n.items)-1], s)
		}
	case "path":
		n.tuple = true
		i := len(n.steps) - 1
		s = p.seekParent(n.steps[i], s)
		i--
		for s.level > 0 && i >= 0 {
			s = p.seekParent(n.steps[i], s)
			i--
		}
	default:
		p.fail(n.pos, "S0217", "The object representing the 'parent' cannot be derived from this expression")
	}
	return s
}

// pushAncestry passes the parent slots value still seeks up to r.
func pushAncestry(r, v *pnode) {
	if v.seeking == nil && v.typ != "parent" {
		return
	}
	slots := append([]*slot(nil), v.seeking...) // no backing array shared between nodes
	if v.typ == "parent" {
		slots = append(slots, v.slot)
	}
	r.seeking = append(r.seeking, slots...)
}

// resolveAncestry resolves the parent slots sought by a path's last step against its earlier
// steps; the ones it cannot resolve are sought by the path.
func (p *parser) resolveAncestry(path *pnode) {
	last := path.steps[len(path.steps)-1]
	slots := last.seeking
	if last.typ == "parent" {
		slots = append(slots, last.slot)
	}
	for _, s := range slots {
		i := len(path.steps) - 2
		for s.level > 0 {
			if i < 0 {
				path.seeking = append(path.seeking, s)
				break
			}
			step := path.steps[i]
			i--
			for i >= 0 && step.focus != "" && path.steps[i].focus != "" {
				step = path.steps[i]
				i--
			}
			s = p.seekParent(step, s)
		}
	}
}
