package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "fail-cause-xor-path", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Fail state has at most one of Cause and CausePath",
		Bad:     `{"StartAt": "F", "States": {"F": {"Type": "Fail", "Cause": "C", "CausePath": "$.cause"}}}`,
		Good:    `{"StartAt": "F", "States": {"F": {"Type": "Fail", "CausePath": "$.cause"}}}`,
		Check: func(c *Context) {
			eachState(c, "Fail", func(st *asl.State) {
				if !isJSONataState(st) { // in JSONata CausePath itself is field-not-supported
					xorStateFields(c, st, "Cause", "CausePath")
				}
			})
		},
	})
}
