package jsonata

import "regexp"

// Node is a node of a parsed expression. Pos is the byte offset in the expression of the token
// that starts (or, for an operator, names) the node; String prints it in a canonical form.
type Node interface {
	Pos() int
	String() string
}

// at carries a node's position.
type at struct{ pos int }

// Pos returns the node's byte offset in the expression.
func (a at) Pos() int { return a.pos }

// StringNode is a string literal.
type StringNode struct {
	at
	Value string
}

// NumberNode is a number literal.
type NumberNode struct {
	at
	Value float64
}

// BooleanNode is true or false.
type BooleanNode struct {
	at
	Value bool
}

// NullNode is null.
type NullNode struct{ at }

// RegexNode is a regular expression literal.
type RegexNode struct {
	at
	Value *regexp.Regexp
}

// VariableNode is $name; Name is "" for the context item ($) and "$" for the root ($$).
type VariableNode struct {
	at
	Name string
}

// NameNode is a field name; Escaped for a `quoted` one.
type NameNode struct {
	at
	Value   string
	Escaped bool
}

// PathNode is a location path a.b.c; KeepArrays is set by an empty predicate (a[]).
type PathNode struct {
	at
	Steps      []Node
	KeepArrays bool
}

// NegationNode is unary minus.
type NegationNode struct {
	at
	RHS Node
}

// RangeNode is lhs..rhs inside an array constructor.
type RangeNode struct {
	at
	LHS, RHS Node
}

// ArrayNode is an array constructor.
type ArrayNode struct {
	at
	Items []Node
}

// ObjectNode is an object constructor: key/value pairs.
type ObjectNode struct {
	at
	Pairs [][2]Node
}

// BlockNode is (expr; expr; ...).
type BlockNode struct {
	at
	Exprs []Node
}

// WildcardNode is *.
type WildcardNode struct{ at }

// DescendentNode is **.
type DescendentNode struct{ at }

// ParentNode is the parent operator %; Label names the tuple binding that carries the parent.
type ParentNode struct {
	at
	Label string
}

// ObjectTransformationNode is |pattern|updates, deletes|.
type ObjectTransformationNode struct {
	at
	Pattern, Updates, Deletes Node
}

// LambdaNode is function($a, $b){body}; Signature is the declared type signature ("" if none).
type LambdaNode struct {
	at
	Body       Node
	ParamNames []string
	Signature  string
}

// PartialNode is a partial application f(?, x).
type PartialNode struct {
	at
	Func Node
	Args []Node
}

// PlaceholderNode is the ? of a partial application.
type PlaceholderNode struct{ at }

// FunctionCallNode is f(args).
type FunctionCallNode struct {
	at
	Func Node
	Args []Node
}

// PredicateNode is expr[filter][filter]...
type PredicateNode struct {
	at
	Expr    Node
	Filters []Node
}

// GroupNode is expr{key: value, ...}.
type GroupNode struct {
	at
	Expr Node
	*ObjectNode
}

// ConditionalNode is cond ? then : else (Else nil when absent).
type ConditionalNode struct {
	at
	If, Then, Else Node
}

// AssignmentNode is $name := value.
type AssignmentNode struct {
	at
	Name  string
	Value Node
}

// NumericOperator is + - * / %.
type NumericOperator uint8

// The numeric operators.
const (
	NumericAdd NumericOperator = iota
	NumericSubtract
	NumericMultiply
	NumericDivide
	NumericModulo
)

func (op NumericOperator) String() string { return [...]string{"+", "-", "*", "/", "%"}[op] }

// NumericOperatorNode is lhs op rhs for a numeric operator.
type NumericOperatorNode struct {
	at
	Type     NumericOperator
	LHS, RHS Node
}

// ComparisonOperator is = != < <= > >= in.
type ComparisonOperator uint8

// The comparison operators.
const (
	ComparisonEqual ComparisonOperator = iota
	ComparisonNotEqual
	ComparisonLess
	ComparisonLessEqual
	ComparisonGreater
	ComparisonGreaterEqual
	ComparisonIn
)

func (op ComparisonOperator) String() string {
	return [...]string{"=", "!=", "<", "<=", ">", ">=", "in"}[op]
}

// ComparisonOperatorNode is lhs op rhs for a comparison.
type ComparisonOperatorNode struct {
	at
	Type     ComparisonOperator
	LHS, RHS Node
}

// BooleanOperator is and / or.
type BooleanOperator uint8

// The Boolean operators.
const (
	BooleanAnd BooleanOperator = iota
	BooleanOr
)

// BooleanOperatorNode is lhs and/or rhs.
type BooleanOperatorNode struct {
	at
	Type     BooleanOperator
	LHS, RHS Node
}

// StringConcatenationNode is lhs & rhs.
type StringConcatenationNode struct {
	at
	LHS, RHS Node
}

// SortDir is the direction of a sort term.
type SortDir uint8

// The sort directions.
const (
	SortDefault SortDir = iota
	SortAscending
	SortDescending
)

// SortTerm is one term of an order-by clause.
type SortTerm struct {
	Dir  SortDir
	Expr Node
}

// SortNode is expr^(terms).
type SortNode struct {
	at
	Expr  Node
	Terms []SortTerm
}

// FunctionApplicationNode is lhs ~> rhs.
type FunctionApplicationNode struct {
	at
	LHS, RHS Node
}

// TuplePathNode is a path evaluated as a stream of tuples (jsonata-js 2.0): one that binds a
// focus (@$v) or an index (#$i) variable, or whose steps the parent operator (%) reaches back to.
type TuplePathNode struct {
	at
	Steps      []*TupleStep
	KeepArrays bool
	// Tuples: the path is itself a step an enclosing % reaches through, so its result is the
	// tuple stream (with the ancestors) rather than the values.
	Tuples bool
	// Group is a group-by applied to the path's result (nil: none).
	Group *ObjectNode
}

// TupleStep is one step of a TuplePathNode.
type TupleStep struct {
	// Expr is the step (nil for an order-by step, which has Sort).
	Expr Node
	// Plain is the step with its predicates, for use before the path turns into tuples.
	Plain Node
	// Sort is an order-by step's terms.
	Sort []SortTerm
	// Stages are the step's predicates and index bindings, in source order.
	Stages []Stage
	// Focus binds each item to this variable, keeping the context (@$v); Index binds its
	// position (#$i); Ancestor binds the context to this label for a % below.
	Focus, Index, Ancestor string
	// Tuple: the path is a tuple stream from this step on.
	Tuple bool
	// ConsArray: an array constructor as the first step.
	ConsArray bool
}

// Stage is a filter (Filter set) or an index binding (Index set) applied after a step.
type Stage struct {
	Filter Node
	Index  string
}
