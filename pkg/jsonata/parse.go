package jsonata

import "fmt"

// Expr is a parsed JSONata expression. Parse it once; the AST is shared by
// the analyses below and (later) by evaluation.
type Expr struct {
	// Source is the expression text as given to Parse (without "{%" "%}").
	Source string
	// Root is the root of the parsed tree.
	Root Node
	// simple, when set, answers a plain member chain of a variable without an evaluator.
	simple *simplePath
}

// SyntaxError is returned by Parse for an expression that does not parse.
type SyntaxError struct {
	// Offset is the byte offset into the expression where the parser stopped.
	Offset int
	// Message describes the problem, without position information.
	Message string
	// Code is jsonata-js's error code for the problem (S0201, S0202, ...), when known.
	Code string
	// Unsupported is set when the expression uses a JavaScript-only regular
	// expression feature (such as a look-around) that Go's RE2 lacks. AWS
	// probably accepts such an expression, so a validator should report it as a
	// warning rather than INVALID_JSONATA_EXPRESSION.
	Unsupported bool
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Message)
}

// Parse parses a JSONata expression (the text between "{%" and "%}").
// A parse failure is returned as a *SyntaxError; Parse never panics.
func Parse(expr string) (*Expr, error) {
	if err := checkNesting(expr); err != nil {
		return nil, err
	}
	root, err := parseSource(expr)
	if err != nil {
		return nil, err
	}
	return &Expr{Source: expr, Root: root, simple: simplePathOf(root)}, nil
}

// parseSource runs the parser, the post-pass and the tree builder over expr.
func parseSource(expr string) (root Node, err error) {
	p := &parser{lex: lexer{src: expr}, src: expr}
	defer func() {
		if r := recover(); r != nil {
			pe, ok := r.(parseError)
			if !ok {
				pe = parseError{&SyntaxError{Message: fmt.Sprintf("internal parser error: %v", r)}}
			}
			root, err = nil, pe.err
		}
	}()
	p.advance("", false)
	raw := p.expression(0)
	if p.tok.kind != tokEnd {
		p.fail(p.tok.pos, "S0201", "Syntax error: "+token(p.tokText()))
	}
	p.depth = 0
	e := p.process(raw)
	if e.typ == "parent" || e.seeking != nil {
		p.fail(e.pos, "S0217", "The object representing the 'parent' cannot be derived from this expression")
	}
	p.depth = 0
	return p.build(e), nil
}

// skipQuoted returns the index after the string literal starting at i.
func skipQuoted(expr string, i int) int {
	q := expr[i]
	for j := i + 1; j < len(expr); j++ {
		switch expr[j] {
		case '\\':
			j++
		case q:
			return j + 1
		}
	}
	return len(expr)
}
