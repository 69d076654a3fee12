#!/bin/sh
# Process Payment: test card numbers decide the outcome, as with a payment provider's sandbox.
#   ...0002  declined             -> {"status": "DECLINED"}
#   ...0119  gateway error        -> a Lambda-style error on stdout and exit 1 (the task fails)
#   anything else                 -> {"status": "APPROVED", "transactionId": ...}
# stdin: {"amount": ..., "card": ..., "orderId": ...}
. ./handlers/lib.sh
input=$(cat)
card=$(field card)
order_id=$(field orderId)
echo "charging card ending ${card#????????????} for order $order_id" >&2
case "$card" in
  *0002) printf '{"status": "DECLINED", "transactionId": null}\n' ;;
  *0119)
    printf '{"errorType": "PaymentGatewayError", "errorMessage": "the payment gateway did not answer"}\n'
    exit 1
    ;;
  *) printf '{"status": "APPROVED", "transactionId": "txn-%s"}\n' "$order_id" ;;
esac
