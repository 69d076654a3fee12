#!/bin/sh
# Convert: writes a WebP copy; an image whose key contains "corrupt" cannot be read (the
# Transform state catches the error and marks the image FAILED).
# stdin: {"bucket": ..., "format": ..., "key": ...}; stdout: {"converted": ...}
. ./handlers/lib.sh
input=$(cat)
key=$(field key)
case "$key" in
  *corrupt*)
    echo "cannot decode $key" >&2
    printf '{"errorType": "ImageCorrupt", "errorMessage": "cannot decode %s"}\n' "$key"
    exit 1
    ;;
esac
printf '{"converted": "webp/%s.%s"}\n' "${key%.*}" "$(field format)"
