package serve

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

const passDef = `{"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": true}, "End": true}}}`

func TestStateMachineLifecycle(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	arn := ts.create("Orders", passDef, "")
	if want := "arn:aws:states:us-east-1:123456789012:stateMachine:Orders"; arn != want {
		t.Fatalf("arn = %s, want %s", arn, want)
	}
	// Creating the same machine again is idempotent; another definition under the name is refused.
	if again := ts.create("Orders", passDef, ""); again != arn {
		t.Errorf("re-create = %s", again)
	}
	_, err := ts.client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("Orders"),
		Definition: aws.String(strings.Replace(passDef, "true", "false", 1)), RoleArn: aws.String(roleArn)})
	if code := apiCode(err); code != errSMAlreadyExists {
		t.Errorf("different definition: %s", code)
	}

	d, err := ts.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if *d.Name != "Orders" || *d.Definition != passDef || d.Type != "STANDARD" || d.Status != "ACTIVE" || *d.RoleArn != roleArn || d.CreationDate == nil {
		t.Errorf("describe = %+v", d)
	}

	newDef := strings.Replace(passDef, `"ok": true`, `"ok": 2`, 1)
	if _, err := ts.client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String(arn), Definition: aws.String(newDef)}); err != nil {
		t.Fatal(err)
	}
	d, _ = ts.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if *d.Definition != newDef {
		t.Errorf("after update: %s", *d.Definition)
	}

	for i := range 5 {
		ts.create(fmt.Sprintf("M%d", i), passDef, "EXPRESS")
	}
	var names []string
	var token *string
	for {
		l, err := ts.client.ListStateMachines(ctx, &sfn.ListStateMachinesInput{MaxResults: 2, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range l.StateMachines {
			names = append(names, *m.Name+":"+string(m.Type))
		}
		if token = l.NextToken; token == nil {
			break
		}
	}
	if got := strings.Join(names, ","); got != "M0:EXPRESS,M1:EXPRESS,M2:EXPRESS,M3:EXPRESS,M4:EXPRESS,Orders:STANDARD" {
		t.Errorf("listed %s", got)
	}

	if _, err := ts.client.DeleteStateMachine(ctx, &sfn.DeleteStateMachineInput{StateMachineArn: aws.String(arn)}); err != nil {
		t.Fatal(err)
	}
	_, err = ts.client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(arn)})
	if code := apiCode(err); code != errSMDoesNotExist {
		t.Errorf("after delete: %s", code)
	}
}

// Requests the API refuses, sent raw (the SDK checks required members before sending).
func TestRequestValidation(t *testing.T) {
	ts := newTestServer(t, Options{})
	smArn := ts.create("V", passDef, "")
	bigDef := `{"StartAt": "P", "Comment": "` + strings.Repeat("x", maxDefinition) + `", "States": {"P": {"Type": "Pass", "End": true}}}`
	cases := []struct {
		name, action, body, code, msg string
	}{
		{"no name", "CreateStateMachine", `{"definition": "{}", "roleArn": "` + roleArn + `"}`, errValidation, "Value null at 'name'"},
		{"bad name", "CreateStateMachine", `{"name": "a b", "definition": "{}", "roleArn": "` + roleArn + `"}`, errInvalidName, "Invalid Name: 'a b'"},
		{"long name", "CreateStateMachine", `{"name": "` + strings.Repeat("n", 81) + `", "definition": "{}", "roleArn": "` + roleArn + `"}`, errValidation, "less than or equal to 80"},
		{"bad type", "CreateStateMachine", `{"name": "x", "type": "FAST", "definition": "{}", "roleArn": "` + roleArn + `"}`, errValidation, "[STANDARD, EXPRESS]"},
		{"bad role", "CreateStateMachine", `{"name": "x", "definition": "{}", "roleArn": "role"}`, errInvalidArn, "Invalid ARN prefix"},
		{"definition not JSON", "CreateStateMachine", `{"name": "x", "definition": "{\n  \"StartAt\": ", "roleArn": "` + roleArn + `"}`, errInvalidDefinition, "(line 2, column"},
		{"definition invalid", "CreateStateMachine", `{"name": "x", "definition": "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}", "roleArn": "` + roleArn + `"}`, errInvalidDefinition, "MISSING_TRANSITION_TARGET"},
		{"definition too large", "CreateStateMachine", `{"name": "x", "definition": ` + quote(bigDef) + `, "roleArn": "` + roleArn + `"}`, errValidation, "less than or equal to 1048576"},
		{"wrong member type", "CreateStateMachine", `{"name": 7}`, errSerialization, "'name'"},
		{"body not JSON", "ListStateMachines", `{`, errSerialization, "not valid JSON"},
		{"execution ARN for a machine", "DescribeStateMachine", `{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:execution:V:e"}`, errInvalidArn, "Resource type not valid in this context: execution"},
		{"not an ARN", "DescribeStateMachine", `{"stateMachineArn": "V"}`, errInvalidArn, "Invalid Arn: 'V'"},
		{"unknown machine", "StartExecution", `{"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Nope"}`, errSMDoesNotExist, "State Machine Does Not Exist"},
		{"input not JSON", "StartExecution", `{"stateMachineArn": "` + smArn + `", "input": "{'a'}"}`, errInvalidExecInput, "Invalid State Machine Execution Input: '1:2"},
		{"input too large", "StartExecution", `{"stateMachineArn": "` + smArn + `", "input": "\"` + strings.Repeat("i", maxInput) + `\""}`, errValidation, "less than or equal to 262144"},
		{"test case without mocks", "StartExecution", `{"stateMachineArn": "` + smArn + `#Happy"}`, errValidation, "without a mock config"},
		{"unknown execution", "DescribeExecution", `{"executionArn": "arn:aws:states:us-east-1:123456789012:execution:V:nope"}`, errExecDoesNotExist, "Execution Does Not Exist"},
		{"bad page token", "ListStateMachines", `{"nextToken": "garbage"}`, errInvalidToken, "Invalid Token"},
		{"maxResults too large", "ListStateMachines", `{"maxResults": 1001}`, errValidation, "less than or equal to 1000"},
		{"sync on standard", "StartSyncExecution", `{"stateMachineArn": "` + smArn + `"}`, errSMTypeNotSupported, "only supported for Express"},
		{"unknown action", "CreateStateMachineAlias", `{}`, errUnknownOperation, "AWSStepFunctions.CreateStateMachineAlias"},
		{"no target", "", `{}`, errMissingAction, "X-Amz-Target"},
		{"garbage token", "SendTaskSuccess", `{"taskToken": "xyz", "output": "{}"}`, errInvalidToken, "Invalid Token"},
		{"output not JSON", "SendTaskSuccess", `{"taskToken": "xyz", "output": "{"}`, errInvalidOutput, "Invalid Output"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := ts.post(c.action, c.body)
			if status != 400 || out["__type"] != c.code || !strings.Contains(fmt.Sprint(out["message"]), c.msg) {
				t.Errorf("%d %v, want 400 %s containing %q", status, out, c.code, c.msg)
			}
		})
	}
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func TestBodyTooLarge(t *testing.T) {
	ts := newTestServer(t, Options{})
	status, out := ts.post("CreateStateMachine", `{"definition": "`+strings.Repeat("x", maxBody)+`"}`)
	if status != 413 || out["__type"] != errRequestEntityTooLarge {
		t.Errorf("%d %v", status, out)
	}
}

func TestValidateStateMachineDefinition(t *testing.T) {
	ts := newTestServer(t, Options{})
	ctx := context.Background()
	out, err := ts.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(passDef)})
	if err != nil || out.Result != "OK" || len(out.Diagnostics) != 0 {
		t.Fatalf("%+v %v", out, err)
	}
	bad := "{\"StartAt\": \"A\",\n \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}}}"
	out, err = ts.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(bad)})
	if err != nil || out.Result != "FAIL" || len(out.Diagnostics) == 0 {
		t.Fatalf("%+v %v", out, err)
	}
	var d types.ValidateStateMachineDefinitionDiagnostic
	for _, x := range out.Diagnostics {
		if *x.Code == "MISSING_TRANSITION_TARGET" {
			d = x
		}
	}
	if d.Code == nil {
		t.Fatalf("no MISSING_TRANSITION_TARGET in %+v", out.Diagnostics)
	}
	if d.Severity != "ERROR" || *d.Code != "MISSING_TRANSITION_TARGET" || *d.Location != "/States/A/Next" || !strings.Contains(*d.Message, "(line 2, column") {
		t.Errorf("diagnostic %s %s %s %s", d.Severity, *d.Code, *d.Location, *d.Message)
	}
	out, err = ts.client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(bad), MaxResults: 1})
	if err != nil || len(out.Diagnostics) != 1 {
		t.Fatalf("%+v %v", out, err)
	}
}

// Generated hostile inputs: nesting past the parser's depth, a definition of deep Parallels, and
// control characters in names are refused with AWS's errors, not a crash.
func TestHostileRequests(t *testing.T) {
	ts := newTestServer(t, Options{})
	smArn := ts.create("H", passDef, "")
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	status, out := ts.postJSON("StartExecution", map[string]any{"stateMachineArn": smArn, "input": deep})
	if status != 400 || out["__type"] != errInvalidExecInput {
		t.Errorf("deep input: %d %v", status, out)
	}
	var def strings.Builder
	for range 3000 {
		def.WriteString(`{"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [`)
	}
	status, out = ts.postJSON("CreateStateMachine", map[string]any{"name": "deep", "roleArn": roleArn, "definition": def.String()})
	if status != 400 || out["__type"] != errInvalidDefinition {
		t.Errorf("deep definition: %d %v", status, out)
	}
	status, out = ts.postJSON("CreateStateMachine", map[string]any{"name": "a\u0085b", "roleArn": roleArn, "definition": passDef})
	if status != 400 || out["__type"] != errInvalidName {
		t.Errorf("control character: %d %v", status, out)
	}
	status, out = ts.postJSON("StartExecution", map[string]any{"stateMachineArn": smArn, "name": "e\u202e"})
	if status != 200 {
		t.Errorf("bidi character in an execution name (AWS allows it): %d %v", status, out)
	}
}
