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
	root, err := safeParse(expr)
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
	se := &SyntaxError{Offset: off, Message: msg}
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
