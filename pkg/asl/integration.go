package asl

import "strings"

// ResourceKind says what a Task's Resource calls, as Step Functions reads it.
type ResourceKind int

// The kinds of Task Resource.
const (
	// NotARN is a Resource that is no ARN: another URI, a name, or a placeholder standing for the
	// whole ARN (${FunctionArn}).
	NotARN ResourceKind = iota
	// ServiceIntegration is arn:PARTITION:states:::SERVICE:ACTION[.PATTERN] (lambda:invoke,
	// sqs:sendMessage.waitForTaskToken, aws-sdk:s3:getObject, states:startExecution.sync:2).
	ServiceIntegration
	// LambdaFunction is a Lambda function ARN, called directly
	// (arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]).
	LambdaFunction
	// Activity is an activity ARN (arn:PARTITION:states:REGION:ACCOUNT:activity:NAME).
	Activity
	// OtherARN is an ARN of none of the kinds above.
	OtherARN
)

// Integration is a Task Resource taken apart. Parts may hold placeholders (${AWS::Partition},
// ${Partition}, #{AWS::Region}): they are kept as written.
type Integration struct {
	Kind      ResourceKind
	Partition string // aws, aws-cn, aws-us-gov, aws-iso, ... or a placeholder
	// Service is the integration's service: "lambda", "sqs", "aws-sdk:s3" (ServiceIntegration).
	Service string
	// Action is the API action without the pattern: "invoke", "getObject" (ServiceIntegration).
	Action string
	// Pattern is the integration pattern suffix: "", ".sync", ".sync:2" or ".waitForTaskToken".
	Pattern string
	// Name is the function's name with its qualifier (LambdaFunction), the activity's name (Activity).
	Name string
}

// ParseResource takes a Task Resource apart. It never fails: what is not an ARN of a kind it
// knows is NotARN or OtherARN.
func ParseResource(res string) Integration {
	parts, n := splitARN(res)
	if n < 6 || parts[0] != "arn" || parts[1] == "" || parts[2] == "" {
		return Integration{Kind: NotARN}
	}
	in := Integration{Kind: OtherARN, Partition: parts[1]}
	service, rest := parts[2], parts[5]
	switch {
	case service == "lambda" && strings.HasPrefix(rest, "function:") && len(rest) > len("function:"):
		in.Kind, in.Name = LambdaFunction, rest[len("function:"):]
	case service == "states" && strings.HasPrefix(rest, "activity:") && len(rest) > len("activity:"):
		in.Kind, in.Name = Activity, rest[len("activity:"):]
	case service == "states" && !strings.HasPrefix(rest, "stateMachine:") && !strings.HasPrefix(rest, "execution:"):
		svc, action, ok := splitServiceAction(rest)
		if !ok {
			return in
		}
		in.Kind, in.Service = ServiceIntegration, svc
		in.Action, in.Pattern = splitPattern(action)
	}
	return in
}

// Is reports whether the integration is the service integration service:action, whatever its
// partition and pattern: Is("lambda", "invoke").
func (in Integration) Is(service, action string) bool {
	return in.Kind == ServiceIntegration && in.Service == service && in.Action == action
}

// IsLambdaInvoke reports whether the Resource is the optimised Lambda integration
// (arn:PARTITION:states:::lambda:invoke), with any pattern.
func (in Integration) IsLambdaInvoke() bool { return in.Is("lambda", "invoke") }

// ResourceType and ResourceName are the "resourceType" and "resource" members AWS records in a
// Task event of a service integration: ("lambda", "invoke"), ("aws-sdk:s3", "getObject"),
// ("states", "startExecution.sync:2").
func (in Integration) ResourceType() string { return in.Service }

// ResourceName is the action with its pattern (see ResourceType).
func (in Integration) ResourceName() string { return in.Action + in.Pattern }

// Short is the Resource as people read it in a graph or a table: "lambda:invoke",
// "s3:getObject" (aws-sdk), "lambda:NAME", "activity:NAME"; other ARNs as service:resource;
// anything else ("" for NotARN) is left to the caller.
func (in Integration) Short(res string) string {
	switch in.Kind {
	case ServiceIntegration:
		return strings.TrimPrefix(in.Service, "aws-sdk:") + ":" + in.Action + in.Pattern
	case LambdaFunction:
		return "lambda:" + in.Name
	case Activity:
		return "activity:" + in.Name
	case OtherARN:
		parts, _ := splitARN(res)
		return parts[2] + ":" + parts[5]
	}
	return ""
}

// splitServiceAction splits "sqs:sendMessage" and "aws-sdk:s3:getObject" into service and action.
func splitServiceAction(s string) (service, action string, ok bool) {
	service, action, ok = strings.Cut(s, ":")
	if !ok || service == "" || action == "" {
		return "", "", false
	}
	if service == "aws-sdk" {
		sdk, act, ok := strings.Cut(action, ":")
		if !ok || sdk == "" || act == "" {
			return "", "", false
		}
		return "aws-sdk:" + sdk, act, true
	}
	return service, action, true
}

// splitPattern splits the integration pattern (.sync, .sync:2, .waitForTaskToken) off an action.
func splitPattern(action string) (name, pattern string) {
	if i := strings.IndexByte(action, '.'); i > 0 {
		return action[:i], action[i:]
	}
	return action, ""
}

// splitARN splits res at its first five colons (arn, partition, service, region, account,
// resource; n of them), not counting colons inside ${...} or #{...} placeholders (${AWS::Partition}).
func splitARN(res string) (parts [6]string, n int) {
	start, depth := 0, 0
	for i := 0; i < len(res) && n < 5; i++ {
		switch c := res[i]; {
		case (c == '$' || c == '#') && i+1 < len(res) && res[i+1] == '{':
			depth++
			i++
		case c == '}' && depth > 0:
			depth--
		case c == ':' && depth == 0:
			parts[n] = res[start:i]
			n++
			start = i + 1
		}
	}
	parts[n] = res[start:]
	return parts, n + 1
}
