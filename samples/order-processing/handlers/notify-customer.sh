#!/bin/sh
# Notify Customer (arn:aws:states:::sns:publish): answer as SNS Publish does, and show the message.
# stdin: {"Message": ..., "MessageAttributes": {...}, "TopicArn": ...}
. ./handlers/lib.sh
input=$(cat)
echo "would publish: $(field Message)" >&2
printf '{"MessageId": "sns-%s"}\n' "$(printf '%s' "$SFN_EXECUTION_ARN" | sed 's/.*://')"
