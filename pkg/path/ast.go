// Package path parses the JSONPath dialect used by the Amazon States Language
// (ASL): Jayway-flavoured JSONPath with the `$` (input), `$$` (context object)
// and `$name` (variable) roots, dot and bracket notation, escapes, wildcards,
// recursive descent, unions, slices, filters and scripts.
//
// The parser produces an AST (Path, Segment, Expr) that is detailed enough for
// an interpreter to evaluate a path against a JSON document. ParseIn adds the
// restrictions ASL places on Reference Paths and ResultPath.
package path

import "fmt"

// Root identifies what a Path is evaluated against.
type Root int

const (
	// RootInput is the `$` root: the state's effective input.
	RootInput Root = iota
	// RootContext is the `$$` root: the context object.
	RootContext
	// RootVariable is the `$name` root: the value of a workflow variable.
	RootVariable
	// RootCurrent is the `@` root: the current node inside a filter or
	// script expression. Parse never returns a top-level Path with this root.
	RootCurrent
)

// String returns the textual form of the root ("$", "$$", "$var", "@").
func (r Root) String() string {
	switch r {
	case RootInput:
		return "$"
	case RootContext:
		return "$$"
	case RootVariable:
		return "$var"
	case RootCurrent:
		return "@"
	}
	return fmt.Sprintf("Root(%d)", int(r))
}

// Path is a parsed JSONPath expression.
type Path struct {
	// Source is the exact text the path was parsed from.
	Source string
	// Root is the node the path starts from.
	Root Root
	// Variable is the variable name when Root is RootVariable.
	Variable string
	// Segments are the selection steps applied in order to the root.
	Segments []Segment
	// Lenient, when set, describes the first construct of the path that is
	// outside the ASL path grammar but that Jayway JsonPath, which AWS
	// evaluates paths with, accepts and evaluates (a `$` root reference
	// inside a filter). The path parses and evaluates as on AWS; Lenient
	// has Jayway set, for tools that check the strict grammar.
	Lenient *SyntaxError
}

// SegmentKind identifies the kind of a path Segment.
type SegmentKind int

const (
	// Field selects the member Name of an object (`.name`, `['name']`).
	Field SegmentKind = iota
	// Index selects the element Index of an array (`[3]`, `[-1]`); a
	// negative index counts from the end.
	Index
	// Wildcard selects every member of an object or element of an array
	// (`.*`, `[*]`).
	Wildcard
	// RecursiveDescent (`..`) applies Child to the current node and every
	// node below it (`..name`, `..*`, `..[0]`). Name repeats the child's
	// field name for the `..name` form.
	RecursiveDescent
	// Slice selects array elements Start:End:Step (Python semantics; nil
	// bounds are open, a nil Step means 1).
	Slice
	// Union selects several indexes (`[0,1,-2]`, in Indexes) or several
	// members (`['a','b']`, in Names).
	Union
	// Filter (`[?(expr)]`) selects the elements (of an array) or member
	// values (of an object) for which Cond is true.
	Filter
	// Script (`[(expr)]`) selects the index or member computed by Cond,
	// evaluated with `@` bound to the current node.
	Script
)

// String returns a readable name of the segment kind.
func (k SegmentKind) String() string {
	switch k {
	case Field:
		return "Field"
	case Index:
		return "Index"
	case Wildcard:
		return "Wildcard"
	case RecursiveDescent:
		return "RecursiveDescent"
	case Slice:
		return "Slice"
	case Union:
		return "Union"
	case Filter:
		return "Filter"
	case Script:
		return "Script"
	}
	return fmt.Sprintf("SegmentKind(%d)", int(k))
}

// Segment is one selection step of a Path.
type Segment struct {
	// Kind says which of the other fields are meaningful.
	Kind SegmentKind
	// Name is the (unescaped) member name for Field, and the child's member
	// name for the `..name` form of RecursiveDescent.
	Name string
	// Index is the array index for Index (negative counts from the end).
	Index int
	// Indexes holds the indexes of an index Union.
	Indexes []int
	// Names holds the member names of a name Union.
	Names []string
	// Start, End and Step are the bounds of a Slice; nil means omitted.
	Start, End, Step *int
	// Expr is the raw text of a Filter or Script expression (between the
	// parentheses).
	Expr string
	// Cond is the parsed Filter or Script expression.
	Cond *Expr
	// Child is the selector that RecursiveDescent applies at every level.
	Child *Segment
	// Offset is the byte offset of the segment in the parsed text.
	Offset int
	// Raw holds, for a quoted bracket name (`['a']`) or a union of quoted
	// names, the text between the quotes of each name with its escapes
	// intact. Jayway JsonPath as AWS runs it looks members up by this raw
	// text: a backslash only keeps a quote from ending the name
	// (`$['a\"b']` selects the member `a\"b`).
	Raw []string
}

// ExprKind identifies the kind of an Expr node.
type ExprKind int

const (
	// ExprPath is a path, in Path: relative to the current node (`@.x`) or,
	// as Jayway allows, rooted at `$`, `$$` or `$name`.
	ExprPath ExprKind = iota
	// ExprString is a string literal, in String. Bare is true for an
	// unquoted word (`@.key == pass`), which compares as a string.
	ExprString
	// ExprNumber is a number literal; Number holds its text.
	ExprNumber
	// ExprBool is `true` or `false`, in Bool.
	ExprBool
	// ExprNull is `null`.
	ExprNull
	// ExprCompare compares Left and Right with Op: == != < <= > >=.
	ExprCompare
	// ExprAnd is Left && Right.
	ExprAnd
	// ExprOr is Left || Right.
	ExprOr
	// ExprNot is !Left.
	ExprNot
	// ExprArith is Left Op Right with Op one of + - * / % (scripts only).
	ExprArith
	// ExprNeg is -Left (scripts only).
	ExprNeg
)

// Expr is a node of a filter or script expression.
type Expr struct {
	// Kind says which of the other fields are meaningful.
	Kind ExprKind
	// Op is the operator of ExprCompare, ExprAnd, ExprOr, ExprNot,
	// ExprArith and ExprNeg.
	Op string
	// Left is the left (or only) operand.
	Left *Expr
	// Right is the right operand of a binary node.
	Right *Expr
	// Path is the path of an ExprPath.
	Path *Path
	// String is the (unescaped) value of an ExprString.
	String string
	// Bare is true when an ExprString was an unquoted word.
	Bare bool
	// Number is the literal text of an ExprNumber.
	Number string
	// Bool is the value of an ExprBool.
	Bool bool
	// Offset is the byte offset of the node in the parsed text.
	Offset int
}

// SyntaxError describes why a path was rejected.
type SyntaxError struct {
	// Offset is the byte offset in the expression where the problem was found.
	Offset int
	// Message says what was expected or what is not allowed.
	Message string
	// Jayway is set when the text is outside the ASL path grammar but is
	// accepted by Jayway JsonPath, the library AWS evaluates paths with (for
	// example a `$` root reference inside a filter, see Path.Lenient): AWS
	// accepts such a definition, so validators should not reject it.
	Jayway bool
}

// Error implements error, e.g. "expected a field name after '.' at offset 7".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s at offset %d", e.Message, e.Offset)
}

// IsReference reports whether p selects at most a single node: only field
// names and non-negative indexes, no wildcard, recursive descent, union,
// slice, filter, script or negative index.
func (p *Path) IsReference() bool {
	return p.nonReference() == nil
}

// nonReference returns the first segment that keeps p from being a
// reference path, or nil.
func (p *Path) nonReference() *Segment {
	for i := range p.Segments {
		s := &p.Segments[i]
		switch s.Kind {
		case Field:
		case Index:
			if s.Index < 0 {
				return s
			}
		default:
			return s
		}
	}
	return nil
}
