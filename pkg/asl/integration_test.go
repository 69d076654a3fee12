package asl

import "testing"

func TestParseResource(t *testing.T) {
	tests := []struct {
		res                         string
		kind                        ResourceKind
		partition, service, action  string
		pattern, name, short, rtype string
		rname                       string
		lambdaInvoke                bool
	}{
		{res: "arn:aws:states:::lambda:invoke", kind: ServiceIntegration, partition: "aws", service: "lambda", action: "invoke", short: "lambda:invoke", rtype: "lambda", rname: "invoke", lambdaInvoke: true},
		{res: "arn:aws-cn:states:::lambda:invoke", kind: ServiceIntegration, partition: "aws-cn", service: "lambda", action: "invoke", short: "lambda:invoke", rtype: "lambda", rname: "invoke", lambdaInvoke: true},
		{res: "arn:aws-us-gov:states:::lambda:invoke", kind: ServiceIntegration, partition: "aws-us-gov", service: "lambda", action: "invoke", short: "lambda:invoke", rtype: "lambda", rname: "invoke", lambdaInvoke: true},
		{res: "arn:aws-iso-b:states:::lambda:invoke", kind: ServiceIntegration, partition: "aws-iso-b", service: "lambda", action: "invoke", short: "lambda:invoke", rtype: "lambda", rname: "invoke", lambdaInvoke: true},
		{res: "arn:${AWS::Partition}:states:::lambda:invoke", kind: ServiceIntegration, partition: "${AWS::Partition}", service: "lambda", action: "invoke", short: "lambda:invoke", rtype: "lambda", rname: "invoke", lambdaInvoke: true},
		{res: "arn:${Partition}:states:::lambda:invoke.waitForTaskToken", kind: ServiceIntegration, partition: "${Partition}", service: "lambda", action: "invoke", pattern: ".waitForTaskToken", short: "lambda:invoke.waitForTaskToken", rtype: "lambda", rname: "invoke.waitForTaskToken", lambdaInvoke: true},
		{res: "arn:#{AWS::Partition}:states:::sqs:sendMessage", kind: ServiceIntegration, partition: "#{AWS::Partition}", service: "sqs", action: "sendMessage", short: "sqs:sendMessage", rtype: "sqs", rname: "sendMessage"},
		{res: "arn:aws:states:::aws-sdk:s3:getObject", kind: ServiceIntegration, partition: "aws", service: "aws-sdk:s3", action: "getObject", short: "s3:getObject", rtype: "aws-sdk:s3", rname: "getObject"},
		{res: "arn:aws:states:::states:startExecution.sync:2", kind: ServiceIntegration, partition: "aws", service: "states", action: "startExecution", pattern: ".sync:2", short: "states:startExecution.sync:2", rtype: "states", rname: "startExecution.sync:2"},
		{res: "arn:${AWS::Partition}:states:${AWS::Region}:${AWS::AccountId}:athena:startQueryExecution.sync", kind: ServiceIntegration, partition: "${AWS::Partition}", service: "athena", action: "startQueryExecution", pattern: ".sync", short: "athena:startQueryExecution.sync", rtype: "athena", rname: "startQueryExecution.sync"},
		{res: "arn:aws:lambda:us-east-1:111122223333:function:f:$LATEST", kind: LambdaFunction, partition: "aws", name: "f:$LATEST", short: "lambda:f:$LATEST"},
		{res: "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${Fn}", kind: LambdaFunction, partition: "${AWS::Partition}", name: "${Fn}", short: "lambda:${Fn}"},
		{res: "arn:aws:states:us-east-1:111122223333:activity:a", kind: Activity, partition: "aws", name: "a", short: "activity:a"},
		{res: "arn:aws:sns:us-east-1:111122223333:topic", kind: OtherARN, partition: "aws", short: "sns:topic"},
		{res: "arn:aws:states:::lambda", kind: OtherARN, partition: "aws", short: "states:lambda"},
		{res: "arn:aws:states:::aws-sdk:s3", kind: OtherARN, partition: "aws", short: "states:aws-sdk:s3"},
		{res: "${FunctionArn}", kind: NotARN},
		{res: "MainSFNActivity", kind: NotARN},
		{res: "foo:bar", kind: NotARN},
		{res: "", kind: NotARN},
		{res: "arn:${AWS::Partition:states:::lambda:invoke", kind: NotARN}, // unclosed placeholder
		{res: "arn::states:::lambda:invoke", kind: NotARN},
	}
	for _, tc := range tests {
		in := ParseResource(tc.res)
		got := []any{in.Kind, in.Partition, in.Service, in.Action, in.Pattern, in.Name, in.Short(tc.res), in.ResourceType(), in.IsLambdaInvoke()}
		want := []any{tc.kind, tc.partition, tc.service, tc.action, tc.pattern, tc.name, tc.short, tc.rtype, tc.lambdaInvoke}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%q: field %d = %v, want %v (%+v)", tc.res, i, got[i], want[i], in)
			}
		}
		if in.Kind == ServiceIntegration && in.ResourceName() != tc.rname {
			t.Errorf("%q: ResourceName %q, want %q", tc.res, in.ResourceName(), tc.rname)
		}
	}
}

// FuzzParseResource: any text is taken apart without a panic, and a service integration's
// parts put together give back the Resource's service and action.
func FuzzParseResource(f *testing.F) {
	for _, s := range []string{"arn:aws:states:::lambda:invoke", "arn:${AWS::Partition}:states:::aws-sdk:s3:getObject.sync:2", "arn:a:lambda:r:1:function:x", "${", "#{:}:", "arn:::::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, res string) {
		in := ParseResource(res)
		_ = in.Short(res)
		if in.Kind == ServiceIntegration && (in.Service == "" || in.Action == "") {
			t.Fatalf("%q: service integration without service or action: %+v", res, in)
		}
	})
}
