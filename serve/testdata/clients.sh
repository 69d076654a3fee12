#!/usr/bin/env bash
# A Step Functions Local-style flow with the AWS CLI v2 against sfn serve (run by
# TestAWSCLIAndBoto3 with AWS=the CLI, ENDPOINT=the server's URL, SAMPLES=samples/order-processing):
# create a machine, start "<arn>#<TestCase>" with the server's MockConfigFile, poll
# DescribeExecution, read the history (the CLI follows nextToken), and check AWS's error shapes.
set -euo pipefail
AWS=${AWS:-$1}
sfn() { "$AWS" --endpoint-url "$ENDPOINT" --region us-east-1 stepfunctions "$@"; }

arn=$(sfn create-state-machine --name OrderProcessing --definition "file://$SAMPLES/order-processing.asl.json" \
  --role-arn arn:aws:iam::123456789012:role/StepFunctionsRole --query stateMachineArn --output text)
[ "$arn" = arn:aws:states:us-east-1:123456789012:stateMachine:OrderProcessing ] || { echo "arn $arn"; exit 1; }

exec=$(sfn start-execution --state-machine-arn "$arn#HappyPath" --name cli-happy \
  --input "file://$SAMPLES/input.json" --query executionArn --output text)
status=RUNNING
for _ in $(seq 1 100); do
  status=$(sfn describe-execution --execution-arn "$exec" --query status --output text)
  [ "$status" != RUNNING ] && break
  sleep 0.1
done
[ "$status" = SUCCEEDED ] || { echo "status $status"; exit 1; }

# The history read in one page and 10 events at a time (the CLI follows nextToken).
whole=$(sfn get-execution-history --execution-arn "$exec" --output json | grep -c '"timestamp"')
paged=$(sfn get-execution-history --execution-arn "$exec" --page-size 10 --output json | grep -c '"timestamp"')
[ "$whole" -gt 20 ] && [ "$whole" = "$paged" ] || { echo "events: $whole in one page, $paged in pages of 10"; exit 1; }
last=$(sfn get-execution-history --execution-arn "$exec" --reverse-order --max-results 1 --no-paginate --query 'events[0].type' --output text)
[ "$last" = ExecutionSucceeded ] || { echo "last $last"; exit 1; }

listed=$(sfn list-executions --state-machine-arn "$arn" --status-filter SUCCEEDED --query 'executions[0].name' --output text)
[ "$listed" = cli-happy ] || { echo "listed $listed"; exit 1; }

# AWS's error shape: the CLI names the error code.
if sfn describe-execution --execution-arn arn:aws:states:us-east-1:123456789012:execution:OrderProcessing:nope 2>err.txt; then
  echo "describe of a missing execution succeeded"; exit 1
fi
grep -q ExecutionDoesNotExist err.txt || { cat err.txt; exit 1; }
echo "aws cli: ok"
