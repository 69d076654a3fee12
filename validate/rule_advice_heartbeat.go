package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
)

func init() {
	register(&Rule{
		ID: "heartbeat-missing", Severity: Warning, AWSCode: adviceCode, Category: CategoryAdvice,
		Summary: "advice: a .waitForTaskToken or activity Task sets HeartbeatSeconds, so that a dead worker is noticed before the task timeout",
		Bad:     `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 86400, "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}`,
		Good:    `{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "TimeoutSeconds": 86400, "HeartbeatSeconds": 600, "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": true}}}`,
		Check: func(c *Context) {
			eachState(c, "Task", func(st *asl.State) {
				if st.Has("HeartbeatSeconds") || st.Has("HeartbeatSecondsPath") {
					return
				}
				kind, r := resourceKind(c, st)
				what := ""
				switch kind {
				case taskActivity:
					what = "an activity worker"
				case taskCallback:
					if humanCallback(st, r.Text) {
						return // a person answers: nobody sends heartbeats
					}
					what = "a task token"
				default:
					return
				}
				c.Report(r.Pos, st.Pointer()+"/Resource",
					"Task %q waits for %s without HeartbeatSeconds: a worker that dies is noticed only at the task timeout; set HeartbeatSeconds below TimeoutSeconds and send SendTaskHeartbeat (https://docs.aws.amazon.com/step-functions/latest/dg/sfn-stuck-execution.html)",
					st.Name, what)
			})
		},
	})
}

// humanCallback reports whether a callback Task waits for a person, who sends no heartbeats: the
// token goes out by notification (SNS, SES, Pinpoint), or the state's name or Comment speaks of an
// approval or a human.
func humanCallback(st *asl.State, resource string) bool {
	for _, svc := range []string{":::sns:", ":::ses:", ":::aws-sdk:ses:", ":::aws-sdk:sesv2:", ":::aws-sdk:pinpoint:"} {
		if strings.Contains(resource, svc) {
			return true
		}
	}
	text := strings.ToLower(st.Name)
	if cm := st.Field("Comment"); cm.IsString() {
		text += " " + strings.ToLower(cm.Text)
	}
	for _, w := range []string{"approv", "human", "manual", "review"} {
		if strings.Contains(text, w) {
			return true
		}
	}
	return false
}
