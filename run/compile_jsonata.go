package run

import (
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
)

// jv is a compiled value of a JSONata state's field: a literal, a "{% %}" expression (parsed once by
// pkg/asl, evaluated by pkg/jsonata), or an object / array holding some.
type jv struct {
	static bool
	lit    any
	expr   *jsonata.Expr
	src    string // the expression as AWS quotes it (trimmed)
	// ctx: the expression reads $states.context (or the whole $states), which is then built.
	ctx    bool
	field  string // "Output", "Output/result", "Assign/x", ...
	keys   []string
	fields []*jv
	items  []*jv
	obj    bool
}

// jsonataInfo holds the compiled fields of a JSONata state.
type jsonataInfo struct {
	arguments, output, assign                    *jv
	items, itemSelector                          *jv
	maxConcurrency, toleratedCount, toleratedPct *jv
	timeout, heartbeat                           *jv
	credentials                                  *jv
	seconds, timestamp                           *jv
	errorV, cause                                *jv
}

func (c *compiler) jvalue(st *asl.State, n *load.Node, field string) *jv {
	if n == nil {
		return nil
	}
	switch n.Kind {
	case load.String:
		if _, ok := jsonata.Template(n.Text); ok {
			e := c.exprs[n]
			if e == nil || e.Err != nil || e.JSONata == nil {
				if e != nil && e.Err != nil {
					c.errf(st, "%s: %v", field, e.Err)
				} else {
					c.errf(st, "%s: %q is not a parsed expression", field, n.Text)
				}
				return &jv{static: true}
			}
			v := &jv{expr: e.JSONata, src: strings.TrimSpace(e.JSONata.Source), field: field}
			for _, r := range e.JSONata.Variables() {
				if r.Name == "states" && (r.Field == "context" || r.Field == "") {
					v.ctx = true
				}
			}
			return v
		}
	case load.Object:
		v := &jv{obj: true, static: true, field: field}
		for i := range n.Fields {
			f := &n.Fields[i]
			fv := c.jvalue(st, f.Value, field+"/"+f.Key)
			v.keys = append(v.keys, f.Key)
			v.fields = append(v.fields, fv)
			if !fv.static {
				v.static = false
			}
		}
		if v.static {
			v.lit = nodeValue(n)
		}
		return v
	case load.Array:
		v := &jv{static: true, field: field}
		for i, it := range n.Items {
			iv := c.jvalue(st, it, field+"["+strconv.Itoa(i)+"]")
			v.items = append(v.items, iv)
			if !iv.static {
				v.static = false
			}
		}
		if v.static {
			v.lit = nodeValue(n)
		}
		return v
	}
	return &jv{static: true, lit: nodeValue(n), field: field}
}

func (c *compiler) jfield(st *asl.State, obj *load.Node, name string) *jv {
	if n := obj.Get(name); n != nil {
		return c.jvalue(st, n, name)
	}
	return nil
}

// jsonataState compiles the fields of a JSONata state (the rest of stateInfo — Next, retriers,
// catchers' Next and ErrorEquals — is compiled as for JSONPath states).
func (c *compiler) jsonataState(st *asl.State, si *stateInfo) {
	n := st.Node
	j := &jsonataInfo{
		arguments: c.jfield(st, n, "Arguments"),
		output:    c.jfield(st, n, "Output"),
		assign:    c.jfield(st, n, "Assign"),
	}
	si.j = j
	switch st.Type {
	case "Task":
		j.timeout = c.jfield(st, n, "TimeoutSeconds")
		j.heartbeat = c.jfield(st, n, "HeartbeatSeconds")
		j.credentials = c.jfield(st, n, "Credentials")
	case "Wait":
		j.seconds = c.jfield(st, n, "Seconds")
		j.timestamp = c.jfield(st, n, "Timestamp")
	case "Fail":
		j.errorV = c.jfield(st, n, "Error")
		j.cause = c.jfield(st, n, "Cause")
	case "Map":
		j.items = c.jfield(st, n, "Items")
		j.itemSelector = c.jfield(st, n, "ItemSelector")
		j.maxConcurrency = c.jfield(st, n, "MaxConcurrency")
		j.toleratedCount = c.jfield(st, n, "ToleratedFailureCount")
		j.toleratedPct = c.jfield(st, n, "ToleratedFailurePercentage")
	}
}

// jsonataRule compiles a JSONata Choice rule.
func (c *compiler) jsonataRule(st *asl.State, r *asl.ChoiceRule) *rule {
	out := &rule{op: "Condition"}
	n := r.Node
	if nx := n.Get("Next"); nx != nil && nx.Kind == load.String {
		out.next = st.Scope.ByName[nx.Text]
	}
	out.jcond = c.jvalue(st, n.Get("Condition"), "Condition")
	if out.jcond == nil {
		c.errf(st, "a Choice rule has no Condition")
	}
	out.joutput = c.jvalue(st, n.Get("Output"), "Output")
	out.jassign = c.jvalue(st, n.Get("Assign"), "Assign")
	return out
}
