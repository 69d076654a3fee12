package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "fail-error-xor-path", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Fail state has at most one of Error and ErrorPath",
		Bad:     `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "E", "ErrorPath": "$.error"}}}`,
		Good:    `{"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.error"}}}`,
		Check: func(c *Context) {
			eachState(c, "Fail", func(st *asl.State) {
				if !isJSONataState(st) { // in JSONata ErrorPath itself is field-not-supported
					xorStateFields(c, st, "Error", "ErrorPath")
				}
			})
		},
	})
}
