package validate

import (
	"strconv"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/jsonata"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "jsonata-delimiters", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "in a JSONata state, a string that starts with \"{%\" ends with \"%}\" and vice versa (otherwise it is a literal string, not an expression)",
		Bad:     `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input.x", "End": true}}}`,
		Good:    `{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input.x %}", "End": true}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				if st.Node == nil || st.Node.Kind != load.Object || st.QueryLanguage != asl.JSONata {
					continue
				}
				for _, f := range jsonataFields(st) {
					checkDelimiters(c, f.Value, f.At)
				}
			}
		},
	})
}

// pointedField is a field value with its location.
type pointedField struct {
	Value *load.Node
	At    asl.Loc
}

// Pointer returns the location of the value.
func (f pointedField) Pointer() string { return f.At.Pointer() }

// jsonataFields returns the values a JSONata state evaluates as JSONata templates: the state's fields
// (not Type, Comment, Next, Choices, ...), and the Condition/Output/Assign of choice rules and the
// Output/Assign of Catchers.
func jsonataFields(st *asl.State) []pointedField {
	var out []pointedField
	for _, f := range st.Node.Fields {
		if !asl.JSONataSkipField(f.Key) {
			out = append(out, pointedField{f.Value, asl.At(st, "/"+f.Key)})
		}
	}
	for _, r := range st.Choices {
		for _, name := range []string{"Condition", "Output", "Assign"} {
			if v := r.Node.Get(name); v != nil {
				out = append(out, pointedField{v, asl.At(r, "/"+name)})
			}
		}
	}
	for _, cc := range st.Catch {
		for _, name := range []string{"Output", "Assign"} {
			if v := cc.Node.Get(name); v != nil {
				out = append(out, pointedField{v, asl.At(cc, "/"+name)})
			}
		}
	}
	return out
}

// checkDelimiters walks a value and reports strings with only one of the two delimiters.
func checkDelimiters(c *Context, n *load.Node, pointer asl.Loc) {
	switch n.Kind {
	case load.String:
		if jsonata.HalfDelimited(n.Text) && !c.Opaque(n) {
			c.Report(n.Pos, pointer.Pointer(), "The string %s has only one of the JSONata delimiters: a JSONata expression is written \"{%% expression %%}\" (nothing before '{%%' or after '%%}'); as it is, the string is passed through literally", strconv.Quote(exprSnippet(n.Text)))
		}
	case load.Object:
		for i := range n.Fields {
			checkDelimiters(c, n.Fields[i].Value, pointer.Sub("/"+n.Fields[i].Key))
		}
	case load.Array:
		for i, it := range n.Items {
			checkDelimiters(c, it, pointer.Sub("["+strconv.Itoa(i)+"]"))
		}
	}
}
