package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "wait-exactly-one", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Wait state has exactly one of Seconds, SecondsPath, Timestamp, TimestampPath (JSONata: Seconds, Timestamp)",
		Bad:     `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "Timestamp": "2016-03-14T01:59:00Z", "End": true}}}`,
		Good:    `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 5, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Wait", func(st *asl.State) {
				fields := []string{"Seconds", "SecondsPath", "Timestamp", "TimestampPath"}
				if isJSONataState(st) {
					fields = []string{"Seconds", "Timestamp"}
				}
				var present []string
				for _, f := range fields {
					if st.Has(f) {
						present = append(present, f)
					}
				}
				switch {
				case len(present) == 0:
					c.Report(st.NamePos, st.Pointer(), "Exactly one of the following fields is required: [%s]", strings.Join(fields, ", "))
				case len(present) > 1:
					c.Report(st.Node.Field(present[1]).KeyPos, st.Pointer(), "There should only be one of the following fields: [%s]", strings.Join(present, ", "))
				}
			})
		},
	})
}
