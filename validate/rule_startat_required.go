package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "startat-required", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "the top level has StartAt, a string naming the first state (branches and processors: parallel-branches, map-processor-required)",
		Bad:     `{"States": {"A": {"Type": "Succeed"}}}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			root := c.Machine.Root.Node
			f := root.Field("StartAt")
			switch {
			case f == nil:
				c.Report(root.Pos, "/", "These fields are required: [StartAt] (the name of the first state to run)")
			case f.Value.Kind != load.String && !c.Opaque(f.Value):
				c.Report(f.Value.Pos, "/StartAt", "The field 'StartAt' must be a string naming the first state, but it is %s", f.Value.Describe())
			}
		},
	})
}
