package jsonata

import (
	"strconv"
	"strings"
)

// The parser: jsonata-js 2.0's top-down operator precedence (Pratt) parser, over the lexer's
// tokens, building a raw tree of *pnode; process (process.go) then flattens paths and resolves
// the focus, index and parent bindings, and build (build.go) makes the evaluator's Node tree.

// bindingPowers are the left binding powers of jsonata-js's infix operators; the other symbols
// it knows (punctuation, prefix-only operators) bind nothing.
var bindingPowers = map[string]int{
	".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0, "@": 80, "#": 80,
	";": 0, ":": 0, "?": 20, "+": 50, "-": 50, "*": 60, "/": 60, "%": 60, "|": 0, "=": 40,
	"<": 40, ">": 40, "^": 40, "**": 0, "..": 0, ":=": 10, "!=": 40, "<=": 40, ">=": 40,
	"~>": 40, "and": 30, "or": 25, "in": 40, "&": 50,
}

// symbols are the operator tokens the parser knows; any other ('!', '~' alone) is S0204.
var infixOps = map[string]bool{
	".": true, "+": true, "-": true, "*": true, "/": true, "%": true, "=": true, "<": true,
	">": true, "!=": true, "<=": true, ">=": true, "&": true, "and": true, "or": true, "in": true,
	"~>": true,
}

// pnode is a node of the raw tree, then (after process) of jsonata-js's processed tree.
type pnode struct {
	typ   string // binary, unary, name, variable, string, number, value, regex, wildcard, descendant, parent, function, partial, lambda, condition, block, transform, operator, end, path, sort, bind, apply
	value string // the operator or the name
	num   float64
	lit   any // a value token: true, false, nil
	flags string
	pos   int

	escaped bool
	lhs     *pnode
	rhs     *pnode
	expr    *pnode   // unary operand
	items   []*pnode // array items, block expressions, call arguments
	pairs   [][2]*pnode
	terms   []pterm
	proc    *pnode // the called function
	params  []*pnode
	sig     string
	body    *pnode
	cond    *pnode
	then    *pnode
	els     *pnode
	pattern *pnode
	update  *pnode
	del     *pnode

	// after process
	keepArray  bool
	steps      []*pnode
	stages     []pstage
	predicate  []pstage
	group      *pgroup
	focus      string
	index      string
	tuple      bool
	ancestor   *slot
	seeking    []*slot
	consarray  bool
	keepSingle bool
	slot       *slot
}

type pterm struct {
	descending bool
	ascending  bool // an explicit '<'

	expr *pnode
}

type pstage struct {
	filter *pnode
	index  string
	pos    int
}

type pgroup struct {
	pairs [][2]*pnode
	pos   int
}

// slot is a parent operator's binding: the label its value is bound to, and how many steps up
// it still has to go.
type slot struct {
	label string
	level int
	index int
}

// maxParseDepth bounds the parser's recursion (a second guard behind checkNesting).
const maxParseDepth = 4 * MaxNesting

// parser is one parse: the lexer, the current token and the recursion depth.
type parser struct {
	lex   lexer
	tok   lexToken
	src   string
	depth int
	// ancestry: the parent operators met so far, for process.
	ancestry []*pnode
	labels   int
}

// parseError aborts a parse (recovered in parseSource).
type parseError struct{ err *SyntaxError }

func (p *parser) fail(off int, code, msg string) {
	panic(parseError{&SyntaxError{Offset: off, Code: code, Message: msg}})
}

// advance reads the next token; want, when set, is the token that must be current first.
func (p *parser) advance(want string, infix bool) {
	if want != "" && (p.tok.kind != tokOperator || p.tok.value != want) {
		if p.tok.kind == tokEnd {
			p.fail(p.tok.pos, "S0203", "Expected "+token(want)+" before end of expression")
		}
		p.fail(p.tok.pos, "S0202", "Expected "+token(want)+", got "+token(p.tokText()))
	}
	t, err := p.lex.next(infix)
	if err != nil {
		panic(parseError{err})
	}
	if t.kind == tokOperator {
		if _, ok := bindingPowers[t.value]; !ok {
			p.fail(t.pos, "S0204", "Unknown operator: "+token(t.value))
		}
	}
	p.tok = t
}

// tokText is the current token as jsonata-js quotes it in messages.
func (p *parser) tokText() string {
	if p.tok.kind == tokEnd {
		return "(end)"
	}
	return p.src[p.tok.pos:p.tok.end]
}

// is reports whether the current token is the operator op.
func (p *parser) is(op string) bool { return p.tok.kind == tokOperator && p.tok.value == op }

// lbp is the current token's left binding power.
func (p *parser) lbp() int {
	if p.tok.kind != tokOperator {
		return 0
	}
	return bindingPowers[p.tok.value]
}

// expression is Pratt's algorithm.
func (p *parser) expression(rbp int) *pnode {
	p.depth++
	if p.depth > maxParseDepth {
		p.fail(p.tok.pos, "S0201", "expression nested too deeply")
	}
	t := p.tok
	p.advance("", true)
	left := p.nud(t)
	for rbp < p.lbp() {
		t = p.tok
		p.advance("", false)
		left = p.led(t, left)
	}
	p.depth--
	return left
}

// nud is the prefix meaning of t.
func (p *parser) nud(t lexToken) *pnode {
	n := &pnode{pos: t.pos, value: t.value}
	switch t.kind {
	case tokEnd:
		n.typ = "end"
		return n
	case tokName:
		n.typ, n.escaped = "name", t.escaped
		return n
	case tokVariable:
		n.typ = "variable"
		return n
	case tokString:
		n.typ = "string"
		return n
	case tokNumber:
		n.typ, n.num = "number", t.num
		return n
	case tokValue:
		n.typ, n.lit = "value", t.lit
		return n
	case tokRegex:
		n.typ, n.flags = "regex", t.flags
		return n
	}
	switch t.value {
	case "and", "or", "in":
		n.typ = "operator"
		return n
	case "-":
		n.typ, n.expr = "unary", p.expression(70)
		return n
	case "*":
		n.typ = "wildcard"
		return n
	case "**":
		n.typ = "descendant"
		return n
	case "%":
		n.typ = "parent"
		return n
	case "(":
		n.typ = "block"
		for !p.is(")") {
			n.items = append(n.items, p.expression(0))
			if !p.is(";") {
				break
			}
			p.advance(";", false)
		}
		p.advance(")", true)
		return n
	case "[":
		n.typ = "unary"
		if !p.is("]") {
			for {
				item := p.expression(0)
				if p.is("..") {
					r := &pnode{typ: "binary", value: "..", pos: p.tok.pos, lhs: item}
					p.advance("..", false)
					r.rhs = p.expression(0)
					item = r
				}
				n.items = append(n.items, item)
				if !p.is(",") {
					break
				}
				p.advance(",", false)
			}
		}
		p.advance("]", true)
		return n
	case "{":
		n.typ = "unary"
		n.pairs = p.objectPairs()
		return n
	case "|":
		n.typ = "transform"
		n.pattern = p.expression(0)
		p.advance("|", false)
		n.update = p.expression(0)
		if p.is(",") {
			p.advance(",", false)
			n.del = p.expression(0)
		}
		p.advance("|", false)
		return n
	}
	p.fail(t.pos, "S0211", "The symbol "+token(t.value)+" cannot be used as a unary operator")
	return nil
}

// objectPairs reads key: value pairs up to the closing brace.
func (p *parser) objectPairs() [][2]*pnode {
	var pairs [][2]*pnode
	if !p.is("}") {
		for {
			k := p.expression(0)
			p.advance(":", false)
			v := p.expression(0)
			pairs = append(pairs, [2]*pnode{k, v})
			if !p.is(",") {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance("}", true)
	return pairs
}

// led is the infix meaning of t, with left its left operand.
func (p *parser) led(t lexToken, left *pnode) *pnode {
	n := &pnode{pos: t.pos, value: t.value, lhs: left}
	switch t.value {
	case "(":
		return p.call(n, left)
	case "[":
		if p.is("]") { // an empty predicate keeps singleton arrays
			step := left
			for step != nil && step.typ == "binary" && step.value == "[" {
				step = step.lhs
			}
			step.keepArray = true
			p.advance("]", false) // as jsonata-js: a '/' after "[]" starts a regex
			return left
		}
		n.typ, n.rhs = "binary", p.expression(0)
		p.advance("]", true)
		return n
	case "^":
		p.advance("(", false)
		for {
			var term pterm
			if p.is("<") {
				term.ascending = true
				p.advance("<", false)
			} else if p.is(">") {
				term.descending = true
				p.advance(">", false)
			}
			term.expr = p.expression(0)
			n.terms = append(n.terms, term)
			if !p.is(",") {
				break
			}
			p.advance(",", false)
		}
		p.advance(")", false)
		n.typ = "binary"
		return n
	case "{":
		n.typ = "binary"
		n.pairs = p.objectPairs()
		return n
	case ":=":
		if left.typ != "variable" {
			p.fail(left.pos, "S0212", "The left side of := must be a variable name (start with $)")
		}
		n.typ, n.rhs = "binary", p.expression(bindingPowers[":="]-1)
		return n
	case "@", "#":
		n.typ, n.rhs = "binary", p.expression(bindingPowers[t.value])
		if n.rhs.typ != "variable" {
			p.fail(n.rhs.pos, "S0214", "The right side of "+token(t.value)+" must be a variable name (start with $)")
		}
		return n
	case "?":
		n.typ, n.cond = "condition", left
		n.then = p.expression(0)
		if p.is(":") {
			p.advance(":", false)
			n.els = p.expression(0)
		}
		return n
	}
	if !infixOps[t.value] {
		p.fail(t.pos, "S0204", "Unknown operator: "+token(t.value))
	}
	n.typ, n.rhs = "binary", p.expression(bindingPowers[t.value])
	return n
}

// call reads the arguments of a call (or the parameters, signature and body of a function
// definition).
func (p *parser) call(n, left *pnode) *pnode {
	n.typ, n.proc, n.lhs = "function", left, nil
	if !p.is(")") {
		for {
			if p.is("?") {
				n.typ = "partial"
				n.items = append(n.items, &pnode{typ: "operator", value: "?", pos: p.tok.pos})
				p.advance("?", false)
			} else {
				n.items = append(n.items, p.expression(0))
			}
			if !p.is(",") {
				break
			}
			p.advance(",", false)
		}
	}
	p.advance(")", true)
	if left.typ != "name" || (left.value != "function" && left.value != "λ") {
		return n
	}
	for i, a := range n.items {
		if a.typ != "variable" {
			p.fail(a.pos, "S0208", "Parameter "+itoa(i+1)+" of function definition must be a variable name (start with $)")
		}
	}
	n.typ, n.params, n.items = "lambda", n.items, nil
	if p.is("<") {
		start := p.tok.pos
		depth := 1
		for depth > 0 && !p.is("{") && p.tok.kind != tokEnd {
			p.advance("", false)
			switch {
			case p.is(">"):
				depth--
			case p.is("<"):
				depth++
			}
		}
		end := p.tok.end
		p.advance(">", false)
		n.sig = strings.Join(strings.Fields(p.src[start:end]), "")
		if off, code, msg := checkSignature(n.sig); code != "" {
			p.fail(start+off, code, msg)
		}
	}
	p.advance("{", false)
	n.body = p.expression(0)
	p.advance("}", false)
	return n
}

func itoa(i int) string { return strconv.Itoa(i) }

// checkSignature finds the errors jsonata-js's signature parser raises: a type parameter on a
// type other than an array or a function (S0401), a choice group holding a parameterized type
// (S0402). It returns the offset in sig, the code and the message, or code "".
func checkSignature(sig string) (int, string, string) {
	prev := byte(0)
	for i := 1; i < len(sig); i++ {
		switch c := sig[i]; c {
		case 's', 'n', 'b', 'l', 'o', 'a', 'f', 'j', 'x':
			prev = c
		case '(':
			end := closing(sig, i, '(', ')')
			if strings.IndexByte(sig[i+1:end], '<') >= 0 {
				return i, "S0402", "Choice groups containing parameterized types are not supported"
			}
			prev, i = '(', end
		case '<':
			if prev != 'a' && prev != 'f' {
				return i, "S0401", "Type parameters can only be applied to functions and arrays"
			}
			i = closing(sig, i, '<', '>')
		}
	}
	return 0, "", ""
}
