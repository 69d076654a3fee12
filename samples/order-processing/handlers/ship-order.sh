#!/bin/sh
# Ship Order (arn:aws:states:::sqs:sendMessage): answer as SQS SendMessage does.
# stdin: {"MessageBody": {...}, "QueueUrl": ...}
. ./handlers/lib.sh
input=$(cat)
printf '{"MD5OfMessageBody": "00000000000000000000000000000000", "MessageId": "msg-%s"}\n' "$(field orderId)"
