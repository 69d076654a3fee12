package validate

import (
	"math/big"
	"strings"

	suggestpkg "github.com/sfn-tool/sfn/internal/suggest"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Shared helpers for rules that inspect raw nodes.

// intValue returns the value of an integer number node (no fraction, no exponent beyond an integer value).
func intValue(n *load.Node) (*big.Int, bool) {
	if n == nil || n.Kind != load.Number {
		return nil, false
	}
	r, ok := new(big.Rat).SetString(n.Text)
	if !ok || !r.IsInt() {
		return nil, false
	}
	return r.Num(), true
}

// numValue returns the exact value of a number node.
func numValue(n *load.Node) (*big.Rat, bool) {
	if n == nil || n.Kind != load.Number {
		return nil, false
	}
	return new(big.Rat).SetString(n.Text)
}

// quoteList formats names as 'a', 'b' and 'c'.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "'" + n + "'"
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// editDistance is internal/suggest's distance (for "did you mean").
func editDistance(a, b string) int { return suggestpkg.Distance(a, b) }

// isTemplate reports whether n is a "{% ... %}" JSONata string (pkg/jsonata decides what is one).
func isTemplate(n *load.Node) bool {
	if n == nil || n.Kind != load.String {
		return false
	}
	_, ok := jsonata.Template(n.Text)
	return ok
}

// dynamic reports whether a value stands for something computed later: a deploy-time placeholder,
// or (in a JSONata state) a "{% ... %}" expression. Rules checking literal values skip it.
func dynamic(c *Context, st *asl.State, n *load.Node) bool {
	return c.Opaque(n) || (st.QueryLanguage == asl.JSONata && isTemplate(n))
}

// statesOfType returns the states of type typ whose node is an object, across all scopes.
func statesOfType(c *Context, typ string) []*asl.State {
	var out []*asl.State
	for _, st := range c.Machine.All {
		if st.Type == typ && st.Node != nil && st.Node.Kind == load.Object {
			out = append(out, st)
		}
	}
	return out
}
