#!/bin/sh
# Resize: the first call of the run finds the resizer busy (a ResizerBusy error, which the state
# retries with backoff); later calls answer with the thumbnail's key.
# stdin: {"bucket": ..., "key": ..., "width": ...}; stdout: {"thumbnail": ...}
. ./handlers/lib.sh
input=$(cat)
if [ "$SFN_ATTEMPT" = 0 ]; then
  printf '{"errorType": "ResizerBusy", "errorMessage": "the resizer is busy, try again"}\n'
  exit 1
fi
key=$(field key)
printf '{"thumbnail": "thumbnails/%s-%s.%s"}\n' "${key%.*}" "$(field width)" "${key##*.}"
