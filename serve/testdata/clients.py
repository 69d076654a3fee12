"""A callback workflow with boto3 against sfn serve (run by TestAWSCLIAndBoto3 with ENDPOINT):
a .waitForTaskToken task completed by send_task_success from this client, a synchronous Express
execution, and AWS's error codes as botocore parses them."""
import json
import os
import sys
import time

import boto3
import botocore.config
from botocore.exceptions import ClientError

endpoint = os.environ["ENDPOINT"]
# StartSyncExecution's host is prefixed with "sync-" unless told otherwise.
config = botocore.config.Config(inject_host_prefix=False, retries={"max_attempts": 1})
sfn = boto3.client("stepfunctions", endpoint_url=endpoint, region_name="us-east-1",
                   aws_access_key_id="local", aws_secret_access_key="local", config=config)
role = "arn:aws:iam::123456789012:role/StepFunctionsRole"

callback = {
    "StartAt": "Ask",
    "States": {"Ask": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                       "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "End": True}},
}
arn = sfn.create_state_machine(name="Callback", definition=json.dumps(callback), roleArn=role)["stateMachineArn"]
execution = sfn.start_execution(stateMachineArn=arn, input='{"order": 1}')["executionArn"]

token = None
for _ in range(200):
    for ev in sfn.get_execution_history(executionArn=execution)["events"]:
        if ev["type"] == "TaskScheduled":
            token = json.loads(ev["taskScheduledEventDetails"]["parameters"])["MessageBody"]["token"]
    if token:
        break
    time.sleep(0.05)
assert token, "no TaskScheduled event"
sfn.send_task_success(taskToken=token, output='{"approved": true}')
for _ in range(200):
    d = sfn.describe_execution(executionArn=execution)
    if d["status"] != "RUNNING":
        break
    time.sleep(0.05)
assert d["status"] == "SUCCEEDED", d
assert json.loads(d["output"]) == {"approved": True}, d["output"]
assert d["startDate"] <= d["stopDate"]

try:
    sfn.send_task_success(taskToken=token, output="{}")
    sys.exit("a spent token was accepted")
except ClientError as e:
    assert e.response["Error"]["Code"] == "TaskTimedOut", e.response

express = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"n.$": "States.MathAdd($.n, 1)"}, "End": True}}}
arn = sfn.create_state_machine(name="Fast", definition=json.dumps(express), roleArn=role, type="EXPRESS")["stateMachineArn"]
r = sfn.start_sync_execution(stateMachineArn=arn, input='{"n": 1}')
assert r["status"] == "SUCCEEDED" and json.loads(r["output"]) == {"n": 2}, r

try:
    sfn.create_state_machine(name="Bad", definition='{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}', roleArn=role)
    sys.exit("an invalid definition was accepted")
except ClientError as e:
    assert e.response["Error"]["Code"] == "InvalidDefinition", e.response
    assert "MISSING_TRANSITION_TARGET" in e.response["Error"]["Message"], e.response
print("boto3: ok")
