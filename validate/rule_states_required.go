package validate

import "github.com/sfn-tool/sfn/pkg/load"

func init() {
	register(&Rule{
		ID: "states-required", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "the top level has States, an object of named states (branches and processors: parallel-branches, map-processor-required)",
		Bad:     `{"StartAt": "A"}`,
		Good:    `{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}`,
		Check: func(c *Context) {
			root := c.Machine.Root.Node
			f := root.Field("States")
			switch {
			case f == nil:
				c.Report(root.Pos, "/", "These fields are required: [States] (an object mapping state names to states)")
			case f.Value.Kind != load.Object && !c.Opaque(f.Value):
				c.Report(f.Value.Pos, "/States", "The field 'States' must be an object mapping state names to states, but it is %s", f.Value.Describe())
			}
		},
	})
}
