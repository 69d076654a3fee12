// Package handler supplies the task handlers of sfn run: mocks (AWS Step Functions Local's
// MockConfigFile format), stubs and shell-free commands configured in sfn.yaml, Lambda Invoke
// and AWS service endpoints (lambda:, aws:), and the resolver that picks one handler per Task
// state.
//
// Resolution order, first match wins:
//
//  1. --mock-config with --test-case: the state is listed in the test case;
//  2. sfn.yaml "tasks": an entry with the state's name;
//  3. sfn.yaml "resources": the first entry whose "match" glob matches the state's Resource;
//  4. --endpoint SERVICE=URL (Config.Endpoints): a request-response integration of SERVICE
//     is sent to that AWS service endpoint (AWSEndpoint);
//  5. --answer-tokens (Options.Answer): a .waitForTaskToken task's token is answered on
//     standard input (Answerer; its Waiter is also sfn serve's, for SendTaskSuccess);
//  6. --stub-missing: the task succeeds with a result shaped like the integration's response
//     (StubResponse).
//
// A Task state that none of these resolves is an error before the run starts (see Resolver.Check).
//
// Results of commands and stubs for arn:aws:states:::lambda:invoke are wrapped as AWS wraps a
// Lambda response (Payload, StatusCode, SdkHttpMetadata, ...); plain Lambda function ARNs get
// the result as is. Mocked responses are raw service responses and are never wrapped.
package handler
