package handler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/sfn-tool/sfn/pkg/asl"
)

// awsService is how one AWS service is called and how Step Functions names its errors.
type awsService struct {
	ID        string // the AWS SDK's service id: aws-sdk:<ID>:action, --endpoint <ID>=URL
	Optimized string // the optimised integration's service (arn:aws:states:::<Optimized>:action), "" without one
	Signing   string // SigV4 signing name
	Protocol  string // "json1.0", "json1.1" or "query"
	Target    string // X-Amz-Target prefix (JSON) or API version (query)
	// Camel: the service's wire member names start lower-case (stateMachineArn) where Step
	// Functions' AWS SDK integrations write them capitalised (StateMachineArn).
	Camel bool
	// V1 names the optimised integration's errors (AWS SDK for Java 1.x): the prefix
	// ("DynamoDB"), the exception of errors the service does not model, and the service in the cause.
	V1, V1Generic, V1Service string
	// V2 names the AWS SDK integration's errors (AWS SDK for Java 2.x): the prefix ("DynamoDb");
	// unmodelled errors are <V2>Exception.
	V2 string
}

// awsServices are the services an aws: handler or --endpoint can call. The error names follow
// what Step Functions reports (../shared/conformance recordings: DynamoDB.ResourceNotFoundException,
// DynamoDB.AmazonDynamoDBException, DynamoDb.DynamoDbException, SNS.InvalidParameterException,
// SQS.AmazonSQSException, SecretsManager.SecretsManagerException, Sfn.InvalidTokenException).
var awsServices = []awsService{
	{ID: "dynamodb", Optimized: "dynamodb", Signing: "dynamodb", Protocol: "json1.0", Target: "DynamoDB_20120810",
		V1: "DynamoDB", V1Generic: "AmazonDynamoDBException", V1Service: "AmazonDynamoDBv2", V2: "DynamoDb"},
	{ID: "sqs", Optimized: "sqs", Signing: "sqs", Protocol: "json1.0", Target: "AmazonSQS",
		V1: "SQS", V1Generic: "AmazonSQSException", V1Service: "AmazonSQS", V2: "Sqs"},
	{ID: "sns", Optimized: "sns", Signing: "sns", Protocol: "query", Target: "2010-03-31",
		V1: "SNS", V1Generic: "AmazonSNSException", V1Service: "AmazonSNS", V2: "Sns"},
	{ID: "eventbridge", Optimized: "events", Signing: "events", Protocol: "json1.1", Target: "AWSEvents",
		V1: "EventBridge", V1Generic: "AmazonEventBridgeException", V1Service: "AmazonEventBridge", V2: "EventBridge"},
	{ID: "kinesis", Signing: "kinesis", Protocol: "json1.1", Target: "Kinesis_20131202", V2: "Kinesis"},
	{ID: "secretsmanager", Signing: "secretsmanager", Protocol: "json1.1", Target: "secretsmanager", V2: "SecretsManager"},
	{ID: "ssm", Signing: "ssm", Protocol: "json1.1", Target: "AmazonSSM", V2: "Ssm"},
	{ID: "sfn", Signing: "states", Protocol: "json1.0", Target: "AWSStepFunctions", Camel: true, V2: "Sfn"},
}

// serviceAliases are other names --endpoint accepts for a service.
var serviceAliases = map[string]string{"events": "eventbridge", "stepfunctions": "sfn", "states": "sfn"}

// genericErrors are the error codes AWS's common errors use, which the services' models do not
// declare: the Java SDKs raise them as the service's generic exception
// (DynamoDB.AmazonDynamoDBException, DynamoDb.DynamoDbException).
var genericErrors = []string{
	"ValidationException", "ValidationError", "SerializationException", "MissingParameter",
	"MissingAction", "InvalidAction", "InvalidQueryParameter", "MalformedQueryString",
	"IncompleteSignature", "InvalidClientTokenId", "InvalidSignatureException",
	"MissingAuthenticationToken", "UnrecognizedClientException", "RequestExpired", "InternalFailure",
}

// AWSServiceNames lists the services an aws: handler or --endpoint supports.
func AWSServiceNames() []string {
	names := make([]string, len(awsServices))
	for i, s := range awsServices {
		names[i] = s.ID
	}
	return names
}

// findService returns the service named id (an SDK id or an alias).
func findService(id string) (*awsService, bool) {
	if a, ok := serviceAliases[id]; ok {
		id = a
	}
	for i := range awsServices {
		if awsServices[i].ID == id {
			return &awsServices[i], true
		}
	}
	return nil, false
}

// awsCall is the service and action a Task's Resource calls.
type awsCall struct {
	svc       *awsService
	action    string // the API action: PutItem
	optimized bool   // arn:aws:states:::dynamodb:putItem (not aws-sdk:dynamodb:putItem)
	resource  string // Step Functions' name of the action: putItem
}

// awsCallOf takes a Task's Resource apart: arn:aws:states:::SERVICE:action or
// arn:aws:states:::aws-sdk:SERVICE:action, request-response only.
func awsCallOf(res string) (awsCall, error) {
	in := asl.ParseResource(res)
	unsupported := func(why string) error {
		return fmt.Errorf("%q %s; an AWS endpoint serves the request-response integrations of %s (arn:aws:states:::SERVICE:action or arn:aws:states:::aws-sdk:SERVICE:action)",
			clip(res, 200), why, strings.Join(AWSServiceNames(), ", "))
	}
	if in.Kind != asl.ServiceIntegration {
		return awsCall{}, unsupported("is not a service integration")
	}
	if in.Pattern != "" {
		return awsCall{}, unsupported("waits for its job (" + in.Pattern + ")")
	}
	var c awsCall
	if id, ok := strings.CutPrefix(in.Service, "aws-sdk:"); ok {
		svc, ok := findService(id)
		if !ok || id != svc.ID {
			return awsCall{}, unsupported("calls a service sfn cannot send to an endpoint")
		}
		c.svc = svc
	} else {
		i := slices.IndexFunc(awsServices, func(s awsService) bool { return s.Optimized == in.Service })
		if i < 0 {
			return awsCall{}, unsupported("calls a service sfn cannot send to an endpoint")
		}
		c.svc, c.optimized = &awsServices[i], true
	}
	if !validAction(in.Action) {
		return awsCall{}, unsupported("has no valid action")
	}
	c.resource = in.Action
	c.action = strings.ToUpper(in.Action[:1]) + in.Action[1:]
	return c, nil
}

// validAction reports whether a is an API action name: letters and digits, at most 128.
func validAction(a string) bool {
	if a == "" || len(a) > 128 {
		return false
	}
	for _, c := range a {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// errorName is the task error Step Functions reports for the service's error code.
func (c awsCall) errorName(code string) string {
	generic := code == "" || slices.Contains(genericErrors, code)
	if !generic && !strings.HasSuffix(code, "Exception") {
		code += "Exception"
	}
	switch {
	case c.optimized && generic:
		return c.svc.V1 + "." + c.svc.V1Generic
	case c.optimized:
		return c.svc.V1 + "." + code
	case generic:
		return c.svc.V2 + "." + c.svc.V2 + "Exception"
	}
	return c.svc.V2 + "." + code
}

// errorCause is the cause Step Functions reports: the message and the SDK's summary of the call.
func (c awsCall) errorCause(msg, code string, status int, requestID string) string {
	if c.optimized {
		return fmt.Sprintf("%s (Service: %s; Status Code: %d; Error Code: %s; Request ID: %s; Proxy: null)", msg, c.svc.V1Service, status, code, requestID)
	}
	return fmt.Sprintf("%s (Service: %s, Status Code: %d, Request ID: %s)", msg, c.svc.V2, status, requestID)
}

// prefix is the error prefix of the integration: DynamoDB (optimised) or DynamoDb (AWS SDK).
func (c awsCall) prefix() string {
	if c.optimized {
		return c.svc.V1
	}
	return c.svc.V2
}
