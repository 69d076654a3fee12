#!/bin/sh
# Check Inventory: every item is in stock in the east warehouse, except SKUs starting with OOS-.
# stdin: {"items": [...], "orderId": ...}; stdout: {"available": ..., "warehouse": ...}
input=$(cat)
case "$input" in
  *'"sku":"OOS-'*) printf '{"available": false, "warehouse": null}\n' ;;
  *) printf '{"available": true, "warehouse": "us-east-1a"}\n' ;;
esac
