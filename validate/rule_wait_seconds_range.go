package validate

import (
	"math/big"

	"github.com/sfn-tool/sfn/pkg/asl"
)

// maxWaitSeconds is the largest Seconds AWS documents for a Wait state ("an integer value from 0
// up to 99999999"; the Wait workflow state page).
const maxWaitSeconds = 99999999

func init() {
	register(&Rule{
		ID: "wait-seconds-range", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "a Wait state's Seconds is an integer from 0 to 99999999 (JSONata: or a {% %} expression)",
		Bad:     `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1000000000000, "End": true}}}`,
		Good:    `{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 0, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Wait", func(st *asl.State) {
				n := st.Field("Seconds")
				checkInt(c, st, "Seconds", n, 0)
				if v, ok := intValue(n); ok && !skipValue(c, st, n) && v.Cmp(big.NewInt(maxWaitSeconds)) > 0 {
					c.Report(n.Pos, st.Pointer()+"/Seconds", "Maximum value is %d, but 'Seconds' is %s", maxWaitSeconds, n.Text)
				}
			})
		},
	})
}
