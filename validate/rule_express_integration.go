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
				if r == nil || r.Kind != load.String || c.Opaque(r) && !knownIntegration(r.Text) {
					return
				}
				if msg := expressProblem(r.Text); msg != "" {
					c.Report(r.Pos, st.Pointer()+"/Resource", "%s (allowed only in STANDARD state machines)", msg)
				}
			})
		},
	})
}

// knownIntegration reports whether a Resource with placeholders is still known to be a service
// integration or an activity: the placeholders are only in its partition, region or account
// (arn:${AWS::Partition}:states:::sqs:sendMessage.waitForTaskToken).
func knownIntegration(res string) bool {
	in := asl.ParseResource(res)
	switch in.Kind {
	case asl.ServiceIntegration:
		return !asl.HasPlaceholder(in.Service + ":" + in.Action + in.Pattern)
	case asl.Activity:
		return true
	}
	return false
}

// expressProblem returns AWS's message for a resource an Express machine cannot use, or "".
func expressProblem(res string) string {
	in := asl.ParseResource(res)
	switch {
	case in.Kind == asl.Activity:
		return "Express state machine does not support Activity ARN"
	case in.Kind != asl.ServiceIntegration:
		return "" // only service integrations (arn:…:states:::service:action) have suffixes
	case in.Pattern == ".waitForTaskToken":
		return "Express state machine does not support '.waitForTaskToken' service integration"
	case strings.HasPrefix(in.Pattern, ".sync"):
		return "Express state machine does not support '.sync' service integration"
	}
	return ""
}
