#!/bin/sh
# Prepare Shipment: pick a carrier and a tracking number.
# stdin: {"address": ..., "allocationId": ..., "orderId": ...}; stdout: {"carrier": ..., "trackingNumber": ...}
. ./handlers/lib.sh
input=$(cat)
printf '{"carrier": "UPS", "trackingNumber": "1Z-%s"}\n' "$(field orderId)"
