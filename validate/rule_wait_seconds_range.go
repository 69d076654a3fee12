package validate

import "github.com/sfn-tool/sfn/pkg/asl"

func init() {
	register(&Rule{
		ID: "wait-seconds-range", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Wait state's Seconds is a non-negative integer (JSONata: or a {% %} expression)",
		Bad:     `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1.5, "End": true}}}`,
		Good:    `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 0, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Wait", func(st *asl.State) {
				checkInt(c, st, "Seconds", st.Field("Seconds"), 0)
			})
		},
	})
}
