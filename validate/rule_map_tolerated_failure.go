package validate

import (
	"math/big"

	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "map-tolerated-failure", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED",
		Summary: "ToleratedFailureCount is an integer >= 0, ToleratedFailurePercentage a number from 0 to 100, each not combined with its ...Path",
		Bad:     `{"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailurePercentage": 101, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Good:    `{"StartAt": "M", "States": {"M": {"Type": "Map", "ToleratedFailurePercentage": 100, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}, "End": true}}}`,
		Check:   checkMapToleratedFailure,
	})
}

// checkMapToleratedFailure checks the tolerated-failure thresholds of every Map.
func checkMapToleratedFailure(c *Context) {
	for _, st := range statesOfType(c, "Map") {
		checkIntRange(c, st, st.Field("ToleratedFailureCount"), asl.At(st, "/ToleratedFailureCount"), "ToleratedFailureCount", 0, -1)
		if n := st.Field("ToleratedFailurePercentage"); n != nil && !dynamic(c, st, n) {
			loc := asl.At(st, "/ToleratedFailurePercentage")
			v, ok := numValue(n)
			switch {
			case !ok:
				c.Report(n.Pos, loc.Pointer(), "The value of 'ToleratedFailurePercentage' must be a number from 0 to 100, but it is %s", n.Describe())
			case v.Sign() < 0:
				c.Report(n.Pos, loc.Pointer(), "Minimum value is 0.0: 'ToleratedFailurePercentage' is %s", n.Text)
			case v.Cmp(big.NewRat(100, 1)) > 0:
				c.Report(n.Pos, loc.Pointer(), "Maximum value is 100.0: 'ToleratedFailurePercentage' is %s", n.Text)
			}
		}
		if st.QueryLanguage == asl.JSONPath {
			xorFields(c, st.Node, asl.At(st, ""), "ToleratedFailureCount", "ToleratedFailureCountPath")
			xorFields(c, st.Node, asl.At(st, ""), "ToleratedFailurePercentage", "ToleratedFailurePercentagePath")
		}
	}
}
