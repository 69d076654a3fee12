package validate

import (
	"github.com/sfn-tool/sfn/pkg/asl"
	"strconv"

	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "parallel-branches", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Parallel state has Branches: a non-empty array of objects, each with StartAt and States",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [], "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}], "End": true}}}`,
		Check:   checkParallelBranches,
	})
}

// checkParallelBranches checks the Branches field of every Parallel state.
func checkParallelBranches(c *Context) {
	for _, st := range statesOfType(c, "Parallel") {
		b := st.Field("Branches")
		loc := asl.At(st, "/Branches")
		switch {
		case b == nil:
			c.Report(st.NamePos, st.Pointer(), "The field 'Branches' is required but was missing")
		case c.Opaque(b):
		case b.Kind != load.Array:
			c.Report(b.Pos, loc.Pointer(), "The field 'Branches' must be an array of branches, but it is %s", b.Describe())
		case len(b.Items) == 0:
			c.Report(b.Pos, loc.Pointer(), "Value cannot be empty: a Parallel state needs at least one branch")
		default:
			for i, it := range b.Items {
				checkNestedScope(c, it, loc.Sub("["+strconv.Itoa(i)+"]"), "A branch")
			}
		}
	}
}
