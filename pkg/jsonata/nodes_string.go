package jsonata

import (
	"fmt"
	"strings"
)

// The String methods print a node in a canonical form (one space around binary operators, strings
// in double quotes), as the diagram labels show conditions.

func join(ns []Node, sep string) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = n.String()
	}
	return strings.Join(s, sep)
}

func (n *StringNode) String() string   { return fmt.Sprintf("%q", n.Value) }
func (n *NumberNode) String() string   { return fmt.Sprintf("%g", n.Value) }
func (n *BooleanNode) String() string  { return fmt.Sprintf("%t", n.Value) }
func (n *NullNode) String() string     { return "null" }
func (n *VariableNode) String() string { return "$" + n.Name }
func (n *WildcardNode) String() string { return "*" }
func (n *DescendentNode) String() string {
	return "**"
}
func (n *ParentNode) String() string      { return "%" }
func (n *PlaceholderNode) String() string { return "?" }
func (n *NegationNode) String() string    { return "-" + n.RHS.String() }
func (n *RangeNode) String() string       { return n.LHS.String() + ".." + n.RHS.String() }
func (n *ArrayNode) String() string       { return "[" + join(n.Items, ", ") + "]" }
func (n *BlockNode) String() string       { return "(" + join(n.Exprs, "; ") + ")" }
func (n *GroupNode) String() string       { return n.Expr.String() + n.ObjectNode.String() }
func (n *AssignmentNode) String() string  { return "$" + n.Name + " := " + n.Value.String() }

func (n *RegexNode) String() string {
	if n.Value == nil {
		return "//"
	}
	return "/" + n.Value.String() + "/"
}

func (n *NameNode) String() string {
	if n.Escaped {
		return "`" + n.Value + "`"
	}
	return n.Value
}

func (n *PathNode) String() string {
	s := join(n.Steps, ".")
	if n.KeepArrays {
		s += "[]"
	}
	return s
}

func (n *ObjectNode) String() string {
	s := make([]string, len(n.Pairs))
	for i, p := range n.Pairs {
		s[i] = p[0].String() + ": " + p[1].String()
	}
	return "{" + strings.Join(s, ", ") + "}"
}

func (n *ObjectTransformationNode) String() string {
	s := "|" + n.Pattern.String() + "|" + n.Updates.String()
	if n.Deletes != nil {
		s += ", " + n.Deletes.String()
	}
	return s + "|"
}

func (n *LambdaNode) String() string {
	ps := make([]string, len(n.ParamNames))
	for i, p := range n.ParamNames {
		ps[i] = "$" + p
	}
	return "function(" + strings.Join(ps, ", ") + ")" + n.Signature + "{" + n.Body.String() + "}"
}

func (n *PartialNode) String() string      { return n.Func.String() + "(" + join(n.Args, ", ") + ")" }
func (n *FunctionCallNode) String() string { return n.Func.String() + "(" + join(n.Args, ", ") + ")" }
func (n *PredicateNode) String() string    { return n.Expr.String() + "[" + join(n.Filters, ", ") + "]" }

func (n *ConditionalNode) String() string {
	s := n.If.String() + " ? " + n.Then.String()
	if n.Else != nil {
		s += " : " + n.Else.String()
	}
	return s
}

func (n *NumericOperatorNode) String() string {
	return n.LHS.String() + " " + n.Type.String() + " " + n.RHS.String()
}

func (n *ComparisonOperatorNode) String() string {
	return n.LHS.String() + " " + n.Type.String() + " " + n.RHS.String()
}

func (n *BooleanOperatorNode) String() string {
	return n.LHS.String() + " " + [...]string{"and", "or"}[n.Type] + " " + n.RHS.String()
}

func (n *StringConcatenationNode) String() string { return n.LHS.String() + " & " + n.RHS.String() }

func (n *FunctionApplicationNode) String() string {
	return n.LHS.String() + " ~> " + n.RHS.String()
}

func sortTermsString(ts []SortTerm) string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = [...]string{"", "<", ">"}[t.Dir] + t.Expr.String()
	}
	return "^(" + strings.Join(s, ", ") + ")"
}

func (n *SortNode) String() string { return n.Expr.String() + sortTermsString(n.Terms) }

func (n *TuplePathNode) String() string {
	var b strings.Builder
	for i, st := range n.Steps {
		if st.Sort != nil {
			b.WriteString(sortTermsString(st.Sort))
		} else {
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(st.Expr.String())
		}
		if st.Focus != "" {
			b.WriteString("@$" + st.Focus)
		}
		if st.Index != "" {
			b.WriteString("#$" + st.Index)
		}
		for _, s := range st.Stages {
			if s.Filter != nil {
				b.WriteString("[" + s.Filter.String() + "]")
			} else {
				b.WriteString("#$" + s.Index)
			}
		}
	}
	if n.KeepArrays {
		b.WriteString("[]")
	}
	if n.Group != nil {
		b.WriteString(n.Group.String())
	}
	return b.String()
}
