package validate

import "github.com/sfn-tool/sfn/pkg/intrinsic"

func init() {
	register(&Rule{
		ID: "intrinsic-nesting", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "intrinsic function calls are nested at most 10 deep in one field",
		Bad:     `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(1)))))))))))"}, "End": true}}}`,
		Good:    `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": "States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(States.Array(1))))))))))"}, "End": true}}}`,
		Check:   func(c *Context) { exprProblems(c, intrinsic.CategoryNesting) },
	})
}
