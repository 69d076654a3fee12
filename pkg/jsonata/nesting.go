package jsonata

import (
	"fmt"
	"strings"
)

// MaxNesting is the deepest expression structure Parse accepts: brackets, parentheses and braces
// inside one another, plus the operators of each bracketed level (an operator chain such as
// "a & b & c" is a tree as deep as it is long). The parser, the analyses and the evaluator all
// recurse over that structure, so the limit keeps every one of them far from the Go stack limit;
// jsonata-js, whose parser recurses the same way, overflows the JavaScript stack at a few thousand
// levels. No real expression comes near it.
const MaxNesting = 1000

// checkNesting rejects an expression whose structure is deeper than MaxNesting, before the
// (recursive, unbounded) parser sees it. The estimate is an upper bound of the parse tree's depth,
// read token by token much as the lexer reads the text (comments are read as text, which can only
// raise the estimate; a quote inside a name is part of the name); the depth is measured twice, once reading '/' as a regular expression
// where the lexer would and once as division everywhere, and the larger of the two is used, so
// that no misreading of a '/' can hide brackets.
func checkNesting(expr string) *SyntaxError {
	off := nestingOverflow(expr, true)
	if off < 0 {
		off = nestingOverflow(expr, false)
	}
	if off < 0 {
		return nil
	}
	return &SyntaxError{Offset: off, Message: fmt.Sprintf("expression nested too deeply (more than %d levels of brackets and operators)", MaxNesting)}
}

// nestLevel is one open bracket of the nesting estimate.
type nestLevel struct {
	ops   int // operators (and nested groups) in the current comma- or semicolon-separated segment
	child int // deepest group nested in the current segment
	best  int // deepest segment so far
}

func (l *nestLevel) depth() int { return max(l.best, l.ops+l.child) }

// nestingOverflow returns the offset at which the estimated depth exceeds MaxNesting, or -1.
// Two bounds are kept: the path to the current token (the open brackets and the operators before
// it in each of their segments, which a right-nested chain such as "- - - x" or "a ? b : c ? d : e"
// turns into parser recursion) and every closed group (operators plus its deepest child).
func nestingOverflow(expr string, regexes bool) int {
	stack := []nestLevel{{}}
	path := 0        // len(stack)-1 plus the ops of every open level's current segment
	operand := false // the previous token ends an operand (so '/' divides)
	for i := 0; i < len(expr); {
		c := expr[i]
		top := &stack[len(stack)-1]
		start := i
		switch {
		case isSpace(c):
			i++
			continue
		case c == '/' && regexes && !operand:
			i = skipRegex(expr, i)
			operand = true
			continue
		case c == '(' || c == '[' || c == '{':
			if operand { // a call, predicate or group applied to what precedes: one more level
				top.ops++
				path++
			}
			stack = append(stack, nestLevel{})
			path++
			operand = false
			i++
		case c == ')' || c == ']' || c == '}':
			if len(stack) > 1 {
				d := top.depth() + 1
				path -= top.ops + 1
				stack = stack[:len(stack)-1]
				parent := &stack[len(stack)-1]
				parent.child = max(parent.child, d)
				if parent.depth()+len(stack)-1 > MaxNesting {
					return i
				}
			}
			operand = true
			i++
			continue
		case c == ',' || c == ';':
			top.best = top.depth()
			path -= top.ops
			top.ops, top.child = 0, 0
			operand = false
			i++
			continue
		case isSymbol(c):
			i += symbolLen(expr, i)
			top.ops++
			path++
			operand = false
		case c == '"' || c == '\'':
			i = skipQuoted(expr, i)
			operand = true
			continue
		case c >= '0' && c <= '9':
			i = skipNumber(expr, i)
			operand = true
			continue
		case c == '`':
			i = skipEscapedName(expr, i)
			operand = true
			continue
		default: // a name or a variable: up to whitespace or a symbol, quotes included
			i++
			for i < len(expr) && !isSpace(expr[i]) && !isSymbol(expr[i]) {
				i++
			}
			switch expr[start:i] {
			case "and", "or", "in":
				top.ops++
				path++
				operand = false
			default:
				operand = true
			}
		}
		if path > MaxNesting {
			return start
		}
	}
	return -1
}

// isSpace reports whether c is whitespace to the lexer.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v'
}

// isSymbol reports whether c starts an operator or punctuation token (and so ends a name).
func isSymbol(c byte) bool { return strings.IndexByte("[]{}().,;:?+-*/%|=<>^&@!~", c) >= 0 }

// symbolLen is the length of the operator at i: 2 for "!=", "<=", ">=", "..", "~>", ":=", "**".
func symbolLen(expr string, i int) int {
	if i+1 < len(expr) {
		switch expr[i : i+2] {
		case "!=", "<=", ">=", "..", "~>", ":=", "**":
			return 2
		}
	}
	return 1
}

// skipNumber returns the index after the number literal at i, read as the lexer reads it (JSON
// syntax; a '.' not followed by a digit is left for the range operator).
func skipNumber(expr string, i int) int {
	digits := func(j int) int {
		for j < len(expr) && expr[j] >= '0' && expr[j] <= '9' {
			j++
		}
		return j
	}
	if expr[i] == '0' {
		i++
	} else {
		i = digits(i)
	}
	if i+1 < len(expr) && expr[i] == '.' && expr[i+1] >= '0' && expr[i+1] <= '9' {
		i = digits(i + 1)
	}
	if i < len(expr) && (expr[i] == 'e' || expr[i] == 'E') {
		i++
		if i < len(expr) && (expr[i] == '+' || expr[i] == '-') {
			i++
		}
		i = digits(i)
	}
	return i
}

// skipEscapedName returns the index after the `name` at i (no escapes; a newline ends it, as an
// error, in the lexer).
func skipEscapedName(expr string, i int) int {
	for j := i + 1; j < len(expr); j++ {
		switch expr[j] {
		case '`':
			return j + 1
		case '\n':
			return j
		}
	}
	return len(expr)
}

// skipRegex returns the index after the regular expression literal starting at i, read as the
// lexer reads it: brackets inside it nest, the closing '/' ends it at depth 0, a backslash escapes
// the next character, a newline or the end of the text leaves it unterminated.
func skipRegex(expr string, i int) int {
	depth := 0
	for j := i + 1; j < len(expr); j++ {
		switch expr[j] {
		case '/':
			if depth == 0 {
				j++
				for j < len(expr) && strings.IndexByte("ims", expr[j]) >= 0 { // the flags the lexer reads
					j++
				}
				return j
			}
		case '(', '[', '{':
			depth++
		case ')', ']', '}':
			depth--
		case '\\':
			j++
		case '\n':
			return j
		}
	}
	return len(expr)
}
