package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

func init() {
	register(&Rule{
		ID: "express-integration", Severity: Error, AWSCode: "SCHEMA_VALIDATION_FAILED", ExpressOnly: true,
		Summary: "an Express state machine uses no .sync or .waitForTaskToken integration and no activity",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage", "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				r := st.Field("Resource")
				if r == nil || r.Kind != load.String || c.Opaque(r) {
					return
				}
				if msg := expressProblem(r.Text); msg != "" {
					c.Report(r.Pos, st.Pointer()+"/Resource", "%s (allowed only in STANDARD state machines)", msg)
				}
			})
		},
	})
}

// expressProblem returns AWS's message for a resource an Express machine cannot use, or "".
func expressProblem(res string) string {
	parts := strings.SplitN(res, ":", 6)
	if len(parts) == 6 && parts[0] == "arn" && parts[2] == "states" && strings.HasPrefix(parts[5], "activity:") {
		return "Express state machine does not support Activity ARN"
	}
	if len(parts) < 6 || parts[0] != "arn" || parts[2] != "states" || parts[3] != "" || parts[4] != "" {
		return "" // only service integrations (arn:…:states:::service:action) have suffixes
	}
	action := parts[5]
	switch {
	case strings.HasSuffix(action, ".waitForTaskToken"):
		return "Express state machine does not support '.waitForTaskToken' service integration"
	case strings.HasSuffix(action, ".sync") || strings.Contains(action, ".sync:"):
		return "Express state machine does not support '.sync' service integration"
	}
	return ""
}
