#!/bin/sh
# Validate Order: an order needs an orderId, at least one item and a positive total.
# stdin: the order (the Payload sent to the Lambda function); stdout: {"valid": ..., "reason": ...}
. ./handlers/lib.sh
input=$(cat)
order_id=$(field orderId)
total=$(field total)
reason=
case "$input" in
  *'"items":[{'*) ;;
  *) reason="the order has no items" ;;
esac
case "$total" in
  '' | 0 | 0.0 | -*) reason=${reason:-"the total must be positive"} ;;
esac
[ -n "$order_id" ] || reason="the order has no orderId"
if [ -n "$reason" ]; then
  printf '{"valid": false, "reason": "%s"}\n' "$reason"
else
  printf '{"valid": true, "reason": null}\n'
fi
