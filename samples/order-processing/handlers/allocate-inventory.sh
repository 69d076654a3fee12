#!/bin/sh
# Allocate Inventory: reserve the items in the warehouse.
# stdin: {"items": [...], "orderId": ..., "warehouse": ...}; stdout: {"allocationId": ..., "warehouse": ...}
. ./handlers/lib.sh
input=$(cat)
printf '{"allocationId": "alloc-%s", "warehouse": "%s"}\n' "$(field orderId)" "$(field warehouse)"
