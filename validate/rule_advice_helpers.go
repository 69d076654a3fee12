package validate

import (
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
	"github.com/sfn-tool/sfn/pkg/load"
)

// Helpers of the advice rules (Category CategoryAdvice): best practices from AWS's Step Functions
// developer guide, reported only with --advice (or when a rule's severity is set explicitly).

// adviceCode is the AWSCode of the advice rules: AWS's validator has no such diagnostics.
const adviceCode = "SFN_ADVICE"

// taskKind classifies a Task's Resource for the advice rules.
type taskKind int

const (
	taskOther    taskKind = iota
	taskUnknown           // a placeholder or not a string: nothing can be said
	taskActivity          // arn:aws:states:region:account:activity:name
	taskCallback          // a service integration ending in .waitForTaskToken
	taskSync              // a service integration with .sync or .sync:2
	taskLambda            // lambda:invoke (request-response) or a Lambda function ARN
)

// resourceKind returns the kind of the Task's Resource (asl.ParseResource classifies it) and its node.
func resourceKind(c *Context, st *asl.State) (taskKind, *load.Node) {
	r := st.Field("Resource")
	if r == nil || r.Kind != load.String || r.Tag != "" {
		return taskUnknown, r
	}
	in := asl.ParseResource(r.Text)
	switch in.Kind {
	case asl.NotARN:
		if asl.HasPlaceholder(r.Text) {
			return taskUnknown, r // ${WorkerArn}: could be anything
		}
	case asl.Activity:
		return taskActivity, r
	case asl.LambdaFunction:
		return taskLambda, r
	case asl.ServiceIntegration:
		switch {
		case in.Pattern == ".waitForTaskToken":
			return taskCallback, r
		case strings.HasPrefix(in.Pattern, ".sync"):
			return taskSync, r
		case in.IsLambdaInvoke():
			return taskLambda, r
		}
	}
	return taskOther, r
}

// handlerErrors returns the literal error names of a Retrier's or Catcher's ErrorEquals.
func handlerErrors(n *load.Node) []string {
	ee := n.Get("ErrorEquals")
	if ee == nil || ee.Kind != load.Array {
		return nil
	}
	var out []string
	for _, it := range ee.Items {
		if it.Kind == load.String {
			out = append(out, it.Text)
		}
	}
	return out
}

// handlerMatches reports whether a handler listing names catches error e as AWS matches errors:
// by name, States.ALL for every error, States.TaskFailed for every error but States.Timeout.
func handlerMatches(names []string, e string) bool {
	for _, n := range names {
		if n == e || n == "States.ALL" || n == "States.TaskFailed" && e != "States.Timeout" && e != "States.ALL" {
			return true
		}
	}
	return false
}

// maxAttempts returns a Retrier's literal MaxAttempts (AWS's default 3 when absent); ok is false
// when the value is not a literal integer.
func maxAttempts(n *load.Node) (v int64, ok bool) {
	m := n.Get("MaxAttempts")
	if m == nil {
		return 3, true
	}
	i, ok := intValue(m)
	if !ok || !i.IsInt64() {
		return 0, false
	}
	return i.Int64(), true
}

// retriersOf returns the object Retriers of a state (nil when Retry is a placeholder).
func retriersOf(c *Context, st *asl.State) ([]*load.Node, bool) {
	if f := st.Field("Retry"); f != nil && (f.Kind != load.Array || c.Opaque(f)) {
		return nil, false
	}
	var out []*load.Node
	for _, r := range st.Retry {
		if r.Node == nil || r.Node.Kind != load.Object || c.Opaque(r.Node) {
			return nil, false
		}
		out = append(out, r.Node)
	}
	return out, true
}

// payloadFields are the fields whose values are written into the definition as payload templates
// or literals (the advice rules on payloads look at them).
var payloadFields = []string{"Parameters", "Arguments", "Result", "ResultSelector", "ItemSelector", "Output", "Assign"}

// eachPayload calls fn for every payload field of every state (value an object, array or string).
func eachPayload(c *Context, fn func(st *asl.State, field string, n *load.Node)) {
	for _, st := range c.Machine.All {
		if st.Node == nil || st.Node.Kind != load.Object {
			continue
		}
		for _, f := range payloadFields {
			if n := st.Field(f); n != nil && !c.Opaque(n) {
				fn(st, f, n)
			}
		}
	}
}
