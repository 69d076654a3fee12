package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/intrinsic"
	"github.com/sfn-tool/sfn/pkg/path"
)

func init() {
	register(&Rule{
		ID: "context-object-path", Severity: Warning, AWSCode: "SFN_LINT",
		Summary: "$$ paths name fields the Context Object has ($$.Execution.Id, $$.State.EnteredTime, $$.Task.Token, …); $$.Map.* only in a Map state's ItemSelector",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "$$.Executon.Id"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"id.$": "$$.Execution.Id"}, "End": true}}}`,
		Check: func(c *Context) {
			exprEach(c, func(e *asl.Expr) {
				if e.Path != nil {
					ctxCheck(c, e, e.Path, 0)
				}
				exprCalls(e.Call, func(call *intrinsic.Call) {
					for _, a := range call.Args {
						if a.Kind == intrinsic.ArgPath {
							ctxCheck(c, e, a.Path, a.Offset)
						}
					}
				})
			})
		},
	})
}

// ctxFields are the Context Object's fields below each top-level field; nil means any.
var ctxFields = map[string][]string{
	"Execution":    {"Id", "Input", "Name", "RoleArn", "StartTime", "RedriveCount", "RedriveTime"},
	"State":        {"EnteredTime", "Name", "RetryCount"},
	"StateMachine": {"Id", "Name"},
	"Task":         {"Token"},
	"Map":          {"Item"},
}

// ctxCheck reports a $$ path p (at byte offset base of e's value) that names an unknown Context
// Object field, or reads $$.Map outside a Map state's ItemSelector.
func ctxCheck(c *Context, e *asl.Expr, p *path.Path, base int) {
	if p.Root != path.RootContext || len(p.Segments) == 0 || p.Segments[0].Kind != path.Field {
		return
	}
	top := p.Segments[0]
	known, ok := ctxFields[top.Name]
	if !ok {
		c.Report(exprPosAt(c, e.Node, base+top.Offset), exprLocation(e), "The Context Object has no field '%s' (in '%s'); its fields are Execution, State, StateMachine, Task and Map", top.Name, p.Source)
		return
	}
	if len(p.Segments) > 1 && p.Segments[1].Kind == path.Field && !ctxContains(known, p.Segments[1].Name) {
		sub := p.Segments[1]
		c.Report(exprPosAt(c, e.Node, base+sub.Offset), exprLocation(e), "The Context Object has no field '%s.%s' (in '%s'); $$.%s has %s", top.Name, sub.Name, p.Source, top.Name, strings.Join(known, ", "))
		return
	}
	if top.Name == "Map" && !(e.State.Type == "Map" && (e.Field == "ItemSelector" || e.Field == "Parameters")) {
		c.Report(exprPosAt(c, e.Node, base+top.Offset), exprLocation(e), "'%s' reads $$.Map, which is only set in a Map state's ItemSelector", p.Source)
	}
}

func ctxContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
