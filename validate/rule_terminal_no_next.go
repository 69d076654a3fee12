package validate

import "github.com/sfn-tool/sfn/pkg/load"

// terminalNoNextWhy says, per state type, why Next / End do not belong there.
var terminalNoNextWhy = map[string]string{
	"Succeed": "a Succeed state always ends its state machine or branch",
	"Fail":    "a Fail state always ends the execution with an error",
	"Choice":  "a Choice state picks the next state with its Choices and Default, and cannot be an End state",
}

func init() {
	register(&Rule{
		ID: "terminal-no-next", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "Succeed, Fail and Choice states have neither Next nor End",
		Bad: `{"StartAt": "C", "States": {"C": {"Type": "Choice", "End": true, ` +
			`"Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "S"}], "Default": "S"}, "S": {"Type": "Succeed"}}}`,
		Good: `{"StartAt": "C", "States": {"C": {"Type": "Choice", ` +
			`"Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "S"}], "Default": "S"}, "S": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			for _, st := range c.Machine.All {
				why, ok := terminalNoNextWhy[st.Type]
				if !ok || st.Node == nil || st.Node.Kind != load.Object {
					continue
				}
				for _, name := range []string{"Next", "End"} {
					if f := st.Node.Field(name); f != nil {
						c.Report(f.KeyPos, st.Pointer(), "Field '%s' is not supported: %s", name, why)
					}
				}
			}
		},
	})
}
