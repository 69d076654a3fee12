package jsonata

import "fmt"

// MaxNesting is the deepest expression structure Parse accepts: brackets, parentheses and braces
// inside one another, plus the operators of each bracketed level (an operator chain such as
// "a & b & c" is a tree as deep as it is long). The parser, the analyses and the evaluator all
// recurse over that structure, so the limit keeps every one of them far from the Go stack limit;
// jsonata-js, whose parser recurses the same way, overflows the JavaScript stack at a few thousand
// levels. No real expression comes near it.
const MaxNesting = 1000

// checkNesting rejects an expression whose structure is deeper than MaxNesting, before the
// (recursive, unbounded) parser sees it. The estimate is an upper bound of the parse tree's depth:
// string literals, escaped names and comments are skipped as the lexer skips them; the depth is
// measured twice, once reading '/' as a regular expression where the lexer would and once as
// division everywhere, and the larger of the two is used, so that no misreading of a '/' can hide
// brackets.
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
		op := false
		switch {
		case c == '"' || c == '\'' || c == '`':
			i = skipQuoted(expr, i)
			operand = true
			continue
		case c == '/' && i+1 < len(expr) && expr[i+1] == '*':
			i = skipComment(expr, i)
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
			op = true
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
		case c == ',' || c == ';':
			top.best = top.depth()
			path -= top.ops
			top.ops, top.child = 0, 0
			operand = false
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case c == '\\':
			i += 2 // an escape outside a literal is a lexer error; never let it hide a bracket
			continue
		case isNameByte(c):
			j := i
			for j < len(expr) && isNameByte(expr[j]) {
				j++
			}
			switch expr[i:j] {
			case "and", "or", "in":
				top.ops++
				path++
				op = true
			}
			operand = true
			if path > MaxNesting {
				return i
			}
			i = j
			continue
		default: // an operator or other punctuation
			top.ops++
			path++
			operand = false
			op = true
		}
		if op && path > MaxNesting {
			return i
		}
		i++
	}
	return -1
}

// isNameByte reports whether c can be part of a name, number or variable token.
func isNameByte(c byte) bool {
	return c == '$' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}

// skipComment returns the index after the comment starting at i.
func skipComment(expr string, i int) int {
	for j := i + 2; j+1 < len(expr); j++ {
		if expr[j] == '*' && expr[j+1] == '/' {
			return j + 2
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
				for j < len(expr) && (expr[j] >= 'a' && expr[j] <= 'z') {
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
