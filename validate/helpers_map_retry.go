package validate

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Helpers shared by the Parallel, Map, Retry and Catch rules.

// objectValue returns the field's value when it is an object that is not a placeholder.
func objectValue(c *Context, n *load.Node) *load.Node {
	if n == nil || n.Kind != load.Object || c.Opaque(n) {
		return nil
	}
	return n
}

// checkIntRange checks that n is an integer in [lo, hi] (hi < 0: no maximum) and reports otherwise.
// Dynamic values are accepted. It returns false when it reported.
func checkIntRange(c *Context, st *asl.State, n *load.Node, loc asl.Loc, name string, lo, hi int64) bool {
	if n == nil || dynamic(c, st, n) {
		return true
	}
	v, ok := intValue(n)
	switch {
	case !ok:
		c.Report(n.Pos, loc.Pointer(), "The value of '%s' must be an integer, but it is %s", name, n.Describe())
	case v.Cmp(big.NewInt(lo)) < 0:
		c.Report(n.Pos, loc.Pointer(), "Minimum value is %d: '%s' is %s", lo, name, n.Text)
	case hi >= 0 && v.Cmp(big.NewInt(hi)) > 0:
		c.Report(n.Pos, loc.Pointer(), "Maximum value is %d: '%s' is %s", hi, name, n.Text)
	default:
		return true
	}
	return false
}

// xorFields reports when obj has both fields a and b (at the key of the second).
func xorFields(c *Context, obj *load.Node, loc asl.Loc, a, b string) {
	fa, fb := obj.Field(a), obj.Field(b)
	if fa == nil || fb == nil {
		return
	}
	pos := fb.KeyPos
	if fb.KeyPos.Line < fa.KeyPos.Line || (fb.KeyPos.Line == fa.KeyPos.Line && fb.KeyPos.Col < fa.KeyPos.Col) {
		pos = fa.KeyPos
	}
	c.Report(pos, loc.Pointer(), "There should only be one of the following fields: [%s, %s]", a, b)
}

// checkEnum reports when n is not one of the allowed strings (dynamic values are accepted).
func checkEnum(c *Context, st *asl.State, n *load.Node, loc asl.Loc, name string, allowed ...string) {
	if n == nil || dynamic(c, st, n) {
		return
	}
	if n.Kind == load.String {
		for _, a := range allowed {
			if n.Text == a {
				return
			}
		}
	}
	c.Report(n.Pos, loc.Pointer(), "The field '%s' should have one of these values: [%s], but it is %s", name, strings.Join(allowed, ", "), n.Describe())
}

// subFields reports fields of obj that are unknown or belong to the other query language.
// allowed maps field names to the language they need ("" = both).
func subFields(c *Context, st *asl.State, obj *load.Node, loc asl.Loc, allowed map[string]asl.QueryLanguage) {
	for _, f := range obj.Fields {
		only, ok := allowed[f.Key]
		switch {
		case !ok:
			c.Report(f.KeyPos, loc.Pointer(), "Field '%s' is not supported", f.Key)
		case only != "" && only != st.QueryLanguage && !languageMisplaced(st):
			c.Report(f.KeyPos, loc.Pointer(), "The QueryLanguage is set to '%s', but field '%s' is only supported for the '%s' QueryLanguage", st.QueryLanguage, f.Key, only)
		}
	}
}

// requireFields reports the required fields missing from obj (at pos), in one diagnostic.
func requireFields(c *Context, obj *load.Node, pos load.Pos, loc asl.Loc, names ...string) bool {
	var missing []string
	for _, n := range names {
		if !obj.Has(n) {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return true
	}
	if len(missing) == 1 {
		c.Report(pos, loc.Pointer(), "The field '%s' is required but was missing", missing[0])
	} else {
		c.Report(pos, loc.Pointer(), "These fields are required: [%s]", strings.Join(missing, ", "))
	}
	return false
}

// checkNestedScope checks that a nested States scope (a Parallel branch or a Map processor) is an object with
// a string StartAt and an object States.
func checkNestedScope(c *Context, n *load.Node, loc asl.Loc, what string) {
	if c.Opaque(n) {
		return
	}
	if n.Kind != load.Object {
		c.Report(n.Pos, loc.Pointer(), "%s must be an object with 'StartAt' and 'States', but it is %s", what, n.Describe())
		return
	}
	if !requireFields(c, n, n.Pos, loc, "StartAt", "States") {
		return
	}
	if s := n.Get("StartAt"); s.Kind != load.String && !c.Opaque(s) {
		c.Report(s.Pos, loc.Sub("/StartAt").Pointer(), "The field 'StartAt' must be a string, but it is %s", s.Describe())
	}
	if s := n.Get("States"); s.Kind != load.Object && !c.Opaque(s) {
		c.Report(s.Pos, loc.Sub("/States").Pointer(), "The field 'States' must be an object, but it is %s", s.Describe())
	}
}

// errorHandler is one Retrier or Catcher with the list it belongs to.
type errorHandler struct {
	State *asl.State
	Node  *load.Node
	At    asl.Locator // the *asl.Retrier or *asl.Catcher
	Index int
	Last  bool
	Kind  string // "Retrier" or "Catcher"
}

// Pointer returns the handler's location ("/States/T/Retry[0]").
func (h errorHandler) Pointer() string { return h.At.Pointer() }

// handlersOf returns the object entries of the Retry (field "Retry") or Catch lists of the states
// that may have them (Task, Parallel, Map; elsewhere field-not-supported reports the field).
func handlersOf(c *Context, field string) []errorHandler {
	var out []errorHandler
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object || !asl.FieldAllowed(st.Type, field) {
			continue
		}
		var nodes []*load.Node
		var ptrs []asl.Locator
		kind := "Retrier"
		if field == "Retry" {
			for _, r := range st.Retry {
				nodes, ptrs = append(nodes, r.Node), append(ptrs, r)
			}
		} else {
			kind = "Catcher"
			for _, r := range st.Catch {
				nodes, ptrs = append(nodes, r.Node), append(ptrs, r)
			}
		}
		for i, n := range nodes {
			if n == nil || n.Kind != load.Object || c.Opaque(n) {
				continue
			}
			out = append(out, errorHandler{State: st, Node: n, At: ptrs[i], Index: i, Last: i == len(nodes)-1, Kind: kind})
		}
	}
	return out
}

// checkHandlerList checks that a state's Retry or Catch field is an array of objects; it is the job of
// retrier-fields and catcher-fields.
func checkHandlerList(c *Context, field, kind string) {
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object || !asl.FieldAllowed(st.Type, field) {
			continue
		}
		n := st.Field(field)
		if n == nil || c.Opaque(n) {
			continue
		}
		if n.Kind != load.Array {
			c.Report(n.Pos, st.Pointer()+"/"+field, "The field '%s' must be an array of %ss, but it is %s", field, kind, n.Describe())
			continue
		}
		for i, it := range n.Items {
			if it.Kind != load.Object && !c.Opaque(it) {
				c.Report(it.Pos, st.Pointer()+"/"+field+"["+strconv.Itoa(i)+"]", "Each %s must be an object, but it is %s", kind, it.Describe())
			}
		}
	}
}
