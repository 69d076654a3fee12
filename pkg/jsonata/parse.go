package jsonata

import (
	"errors"
	"fmt"
	"strings"

	"github.com/xiatechs/jsonata-go/jparse"
)

// Expr is a parsed JSONata expression. Parse it once; the AST is shared by
// the analyses below and (later) by evaluation.
type Expr struct {
	// Source is the expression text as given to Parse (without "{%" "%}").
	Source string
	// Root is the root of the parsed AST (github.com/xiatechs/jsonata-go/jparse).
	Root jparse.Node
}

// SyntaxError is returned by Parse for an expression that does not parse.
type SyntaxError struct {
	// Offset is the byte offset into the expression where the parser stopped.
	Offset int
	// Message describes the problem, without position information.
	Message string
	// Code is jsonata-js's error code for the problem (S0201, S0202, ...), when known.
	Code string
	// Unsupported is set when the expression uses JSONata 2.0 syntax that the
	// underlying Go parser lacks (the "@" context binding, the "%" parent
	// operator, or a JavaScript-only regular expression feature such as a
	// look-around). AWS probably accepts such an expression, so a validator
	// should report it as a warning rather than INVALID_JSONATA_EXPRESSION.
	Unsupported bool
}

// Error implements error.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("offset %d: %s", e.Offset, e.Message)
}

// Parse parses a JSONata expression (the text between "{%" and "%}").
// A parse failure is returned as a *SyntaxError; Parse never panics.
func Parse(expr string) (*Expr, error) {
	text, serr := desugar(expr)
	if serr != nil {
		return nil, serr
	}
	if err := checkNesting(text); err != nil {
		return nil, err
	}
	if err := checkSignatures(text); err != nil {
		return nil, err
	}
	root, err := safeParse(text)
	if err != nil {
		return nil, err
	}
	return &Expr{Source: expr, Root: root}, nil
}

func safeParse(expr string) (root jparse.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			root = nil
			err = &SyntaxError{Message: fmt.Sprintf("internal parser error: %v", r)}
		}
	}()
	root, err = jparse.Parse(expr)
	if err != nil {
		return nil, convertError(expr, err)
	}
	if root == nil {
		return nil, &SyntaxError{Offset: 0, Message: "empty expression"}
	}
	return root, nil
}

func convertError(expr string, err error) *SyntaxError {
	var pe *jparse.Error
	if !errors.As(err, &pe) {
		return &SyntaxError{Message: err.Error()}
	}
	msg := pe.Error()
	// xiatechs/jsonata-go appends ", position: N" to every message; the
	// offset is reported separately.
	if i := strings.LastIndex(msg, ", position: "); i >= 0 {
		msg = msg[:i]
	}
	off := pe.Position
	if off < 0 || off > len(expr) {
		off = 0
	}
	se := &SyntaxError{Offset: off, Message: msg, Code: syntaxCode(pe.Type)}
	switch {
	case pe.Type == jparse.ErrSyntaxError && pe.Token == "@":
		se.Unsupported = true
		se.Message += " (the JSONata 2.0 '@' context binding is not supported by this parser)"
	case pe.Type == jparse.ErrPrefix && pe.Token == "%":
		se.Unsupported = true
		se.Message += " (the JSONata 2.0 '%' parent operator is not supported by this parser)"
	case pe.Type == jparse.ErrInvalidRegex:
		se.Unsupported = true
		se.Message += " (JSONata uses JavaScript regular expressions; this parser only knows RE2)"
	}
	return se
}

// checkSignatures rejects a lambda type signature (function($a)<n:n>{...}) that holds a character
// the JSONata lexer cannot read: jparse's signature reader never stops on such a lexer error
// (found by FuzzParse: "function()<!0" made Parse loop forever).
func checkSignatures(expr string) *SyntaxError {
	for i := 0; i < len(expr); {
		switch c := expr[i]; {
		case c == '"' || c == '\'' || c == '`':
			i = skipQuoted(expr, i)
			continue
		case c == '/' && i+1 < len(expr) && expr[i+1] == '*':
			if end := strings.Index(expr[i+2:], "*/"); end >= 0 {
				i += end + 4
			} else {
				i = len(expr)
			}
			continue
		case c == ')':
			j := i + 1
			for j < len(expr) && strings.IndexByte(" \t\r\n", expr[j]) >= 0 {
				j++
			}
			if j < len(expr) && expr[j] == '<' && lambdaBefore(expr, i) {
				for k := j + 1; k < len(expr) && expr[k] != '{'; k++ {
					if !isSignatureChar(expr[k]) {
						return &SyntaxError{Offset: k, Message: fmt.Sprintf("invalid type signature: unexpected character %q", expr[k])}
					}
				}
			}
		}
		i++
	}
	return nil
}

// lambdaBefore reports whether the ')' at close ends the parameter list of a function / λ definition.
func lambdaBefore(expr string, close int) bool {
	depth := 0
	for k := close; k >= 0; k-- {
		switch expr[k] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				head := strings.TrimRight(expr[:k], " \t\r\n")
				return strings.HasSuffix(head, "function") || strings.HasSuffix(head, "λ")
			}
		}
	}
	return false
}

// isSignatureChar reports whether c may appear in a type signature: type letters, <>, (), and ?+-:|.
func isSignatureChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || strings.IndexByte("<>()?+-:| \t\r\n", c) >= 0
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
