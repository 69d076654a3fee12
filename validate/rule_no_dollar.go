package validate

import (
	"strconv"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "no-dollar", Severity: Warning, AWSCode: "NO_DOLLAR",
		Summary: "a payload-template value that looks like a path or an intrinsic call sits under a key without the '.$' suffix, so it is passed on as a literal string",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x": "$.a"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"x.$": "$.a"}, "End": true}}}`,
		Check: func(c *Context) {
			exprTemplates(c, func(_ *asl.State, tmpl *load.Node, pointer asl.Loc) {
				ndWalk(c, tmpl, pointer)
			})
		},
	})
}

// ndWalk reports the plain-key string values of a payload template that look like paths or calls.
func ndWalk(c *Context, n *load.Node, pointer asl.Loc) {
	if c.Opaque(n) {
		return
	}
	switch n.Kind {
	case load.Object:
		for i := range n.Fields {
			f := &n.Fields[i]
			if strings.HasSuffix(f.Key, ".$") {
				continue
			}
			p := pointer.Sub("/" + f.Key)
			if f.Value.Kind == load.String && !c.Opaque(f.Value) && (exprLooksLikePath(f.Value.Text) || exprLooksLikeCall(f.Value.Text)) {
				c.Report(f.KeyPos, p.Pointer(), "The value of '%s' looks like a JSONPath or an intrinsic function call but is used as a literal string; name the field '%s.$' to evaluate it", f.Key, f.Key)
				continue
			}
			ndWalk(c, f.Value, p)
		}
	case load.Array:
		for i, it := range n.Items {
			ndWalk(c, it, pointer.Sub("["+strconv.Itoa(i)+"]"))
		}
	}
}

// exprLooksLikePath reports whether a literal string looks like a $ or $$ path ("$", "$.a", "$$.Execution.Id", "$[0]").
func exprLooksLikePath(s string) bool {
	if !strings.HasPrefix(s, "$") {
		return false
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(s, "$"), "$")
	return rest == "" || strings.HasPrefix(rest, ".") && len(rest) > 1 || strings.HasPrefix(rest, "[")
}

// exprLooksLikeCall reports whether a literal string looks like an intrinsic call ("States.Format(…)").
func exprLooksLikeCall(s string) bool {
	s = strings.TrimSpace(s)
	return intrinsic.IsCall(s) && strings.Contains(s, "(") && strings.HasSuffix(s, ")")
}

// exprTemplates calls fn for every payload template of the JSONPath states: Parameters,
// ResultSelector, ItemSelector, Assign (state, Choice rule and Catcher), Credentials, and the
// Parameters/Arguments/BatchInput of ItemReader, ItemBatcher and ResultWriter.
func exprTemplates(c *Context, fn func(st *asl.State, tmpl *load.Node, pointer asl.Loc)) {
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object || st.QueryLanguage != asl.JSONPath {
			continue
		}
		for _, name := range []string{"Parameters", "ResultSelector", "ItemSelector", "Assign", "Credentials"} {
			if n := st.Field(name); n != nil {
				fn(st, n, asl.At(st, "/"+name))
			}
		}
		for _, name := range []string{"ItemReader", "ItemBatcher", "ResultWriter"} {
			obj := st.Field(name)
			for _, sub := range []string{"Parameters", "Arguments", "BatchInput"} {
				if n := obj.Get(sub); n != nil {
					fn(st, n, asl.At(st, "/"+name+"/"+sub))
				}
			}
		}
		for _, r := range st.Choices {
			if n := r.Node.Get("Assign"); n != nil {
				fn(st, n, asl.At(r, "/Assign"))
			}
		}
		for _, cc := range st.Catch {
			if n := cc.Node.Get("Assign"); n != nil {
				fn(st, n, asl.At(cc, "/Assign"))
			}
		}
	}
}
