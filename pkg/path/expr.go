package path

import (
	"strings"
	"unicode/utf8"
)

// Filter grammar (inside `[?( ... )]`):
//
//	or      = and { "||" and }
//	and     = unary { "&&" unary }
//	unary   = "!" unary | compare
//	compare = operand [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) operand ]
//	operand = "(" or ")" | @-path | 'string' | "string" | number
//	        | true | false | null | bare-word
//
// The ASL grammar allows only the current node (`@`); a root reference
// (`$`, `$$`, `$name`) is parsed as Jayway JsonPath does and recorded in
// Path.Lenient. Regular-expression matches (`=~`) are rejected.
//
// Script grammar (inside `[( ... )]`):
//
//	sum     = term { ( "+" | "-" ) term }
//	term    = factor { ( "*" | "/" | "%" ) factor }
//	factor  = "-" factor | "(" sum ")" | @-path | number | quoted string

func (p *parser) parseOr() (*Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.s[p.pos:], "||") {
			return left, nil
		}
		off := p.pos
		p.pos += 2
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &Expr{Kind: ExprOr, Op: "||", Left: left, Right: right, Offset: off}
	}
}

func (p *parser) parseAnd() (*Expr, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !strings.HasPrefix(p.s[p.pos:], "&&") {
			return left, nil
		}
		off := p.pos
		p.pos += 2
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		left = &Expr{Kind: ExprAnd, Op: "&&", Left: left, Right: right, Offset: off}
	}
}

func (p *parser) parseUnary() (*Expr, error) {
	p.skipSpace()
	if p.peek() == '!' && p.peekAt(1) != '=' {
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		off := p.pos
		p.pos++
		x, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprNot, Op: "!", Left: x, Offset: off}, nil
	}
	return p.parseCompare()
}

var compareOps = []string{"==", "!=", "<=", ">=", "<", ">"}

func (p *parser) parseCompare() (*Expr, error) {
	left, err := p.parseOperand()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	rest := p.s[p.pos:]
	if strings.HasPrefix(rest, "=~") {
		return nil, p.errf(p.pos, "regular-expression matching ('=~') is not supported in filters")
	}
	for _, op := range compareOps {
		if strings.HasPrefix(rest, op) {
			off := p.pos
			p.pos += len(op)
			right, err := p.parseOperand()
			if err != nil {
				return nil, err
			}
			return &Expr{Kind: ExprCompare, Op: op, Left: left, Right: right, Offset: off}, nil
		}
	}
	if strings.HasPrefix(rest, "=") {
		return nil, p.errf(p.pos, "expected a comparison operator ('==' not '='), found %s", p.describe())
	}
	return left, nil
}

func (p *parser) parseOperand() (*Expr, error) {
	p.skipSpace()
	off := p.pos
	c := p.peek()
	switch {
	case c == '(':
		p.pos++
		x, err := p.parseOr()
		if err != nil {
			return nil, err
		}
		if err := p.expect(')', "to close the parenthesis"); err != nil {
			return nil, err
		}
		return x, nil
	case c == '@':
		path, err := p.parseRooted(true)
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprPath, Path: path, Offset: off}, nil
	case c == '$':
		// Outside the ASL grammar, but Jayway JsonPath (which AWS runs)
		// evaluates it: `$` against the document, `$$` and `$name` against
		// the context object and the variable.
		if p.lenient == nil {
			p.lenient = p.errf(p.pos, "filters may only refer to the current node '@', not to '$' roots")
			p.lenient.Jayway = true
		}
		path, err := p.parseRooted(false)
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprPath, Path: path, Offset: off}, nil
	case c == '\'' || c == '"':
		s, err := p.parseQuoted()
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprString, String: s, Offset: off}, nil
	case c == '-' || isDigit(c):
		return p.parseNumber()
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.pos:])
	if !p.eof() && isIdentStart(r) {
		word := p.parseWord()
		switch word {
		case "true", "false":
			return &Expr{Kind: ExprBool, Bool: word == "true", Offset: off}, nil
		case "null":
			return &Expr{Kind: ExprNull, Offset: off}, nil
		}
		return &Expr{Kind: ExprString, String: word, Bare: true, Offset: off}, nil
	}
	return nil, p.errf(p.pos, "expected a value or an '@' path in the filter, found %s", p.describe())
}

// parseWord parses a bare word: identifier characters and '-'.
func (p *parser) parseWord() string {
	start := p.pos
	for p.pos < len(p.s) {
		r, n := utf8.DecodeRuneInString(p.s[p.pos:])
		if !isIdentPart(r) && r != '-' {
			break
		}
		p.pos += n
	}
	return p.s[start:p.pos]
}

// parseNumber parses -?digits[.digits][(e|E)[+-]digits].
func (p *parser) parseNumber() (*Expr, error) {
	start := p.pos
	if p.peek() == '-' {
		p.pos++
	}
	if !isDigit(p.peek()) {
		return nil, p.errf(p.pos, "expected a digit, found %s", p.describe())
	}
	p.digits()
	if p.peek() == '.' {
		p.pos++
		if !isDigit(p.peek()) {
			return nil, p.errf(p.pos, "expected a digit after the decimal point, found %s", p.describe())
		}
		p.digits()
	}
	if c := p.peek(); c == 'e' || c == 'E' {
		p.pos++
		if c := p.peek(); c == '+' || c == '-' {
			p.pos++
		}
		if !isDigit(p.peek()) {
			return nil, p.errf(p.pos, "expected a digit in the exponent, found %s", p.describe())
		}
		p.digits()
	}
	return &Expr{Kind: ExprNumber, Number: p.s[start:p.pos], Offset: start}, nil
}

func (p *parser) digits() {
	for p.pos < len(p.s) && isDigit(p.s[p.pos]) {
		p.pos++
	}
}

func (p *parser) parseSum() (*Expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	left, err := p.parseTerm()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		c := p.peek()
		if c != '+' && c != '-' {
			return left, nil
		}
		off := p.pos
		p.pos++
		right, err := p.parseTerm()
		if err != nil {
			return nil, err
		}
		left = &Expr{Kind: ExprArith, Op: string(c), Left: left, Right: right, Offset: off}
	}
}

func (p *parser) parseTerm() (*Expr, error) {
	left, err := p.parseFactor()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		c := p.peek()
		if c != '*' && c != '/' && c != '%' {
			return left, nil
		}
		off := p.pos
		p.pos++
		right, err := p.parseFactor()
		if err != nil {
			return nil, err
		}
		left = &Expr{Kind: ExprArith, Op: string(c), Left: left, Right: right, Offset: off}
	}
}

func (p *parser) parseFactor() (*Expr, error) {
	p.skipSpace()
	off := p.pos
	switch c := p.peek(); {
	case c == '-':
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer p.leave()
		p.pos++
		x, err := p.parseFactor()
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprNeg, Op: "-", Left: x, Offset: off}, nil
	case c == '(':
		p.pos++
		x, err := p.parseSum()
		if err != nil {
			return nil, err
		}
		if err := p.expect(')', "to close the parenthesis"); err != nil {
			return nil, err
		}
		return x, nil
	case c == '@':
		path, err := p.parseRooted(true)
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprPath, Path: path, Offset: off}, nil
	case c == '$':
		return nil, p.errf(p.pos, "script expressions may only refer to the current node '@', not to '$' roots")
	case c == '\'' || c == '"':
		s, err := p.parseQuoted()
		if err != nil {
			return nil, err
		}
		return &Expr{Kind: ExprString, String: s, Offset: off}, nil
	case isDigit(c):
		return p.parseNumber()
	}
	return nil, p.errf(p.pos, "expected a number, an '@' path or '(' in the script expression, found %s", p.describe())
}
