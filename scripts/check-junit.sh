#!/usr/bin/env bash
# Checks that a real JUnit consumer reads sfn's JUnit reports: xunit-viewer (npm) parses the report
# of `sfn test --format junit` and `sfn validate --format junit`, and its counts must equal the
# report's own. Usage: XUNIT_VIEWER=/path/to/xunit-viewer scripts/check-junit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
viewer=${XUNIT_VIEWER:?set XUNIT_VIEWER to the xunit-viewer command (npm install xunit-viewer)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/sfn" ./cmd/sfn

check() { # name, report file
  local name=$1 report=$2 tests failures seen
  tests=$(grep -o '<testsuites[^>]* tests="[0-9]*"' "$report" | grep -o '[0-9]*"$' | tr -d '"')
  failures=$(grep -o '<testsuites[^>]* failures="[0-9]*"' "$report" | grep -o '[0-9]*"$' | tr -d '"')
  seen=$("$viewer" -r "$report" -c -n -C false -o "$report.html" 2>&1 | tail -3) || true
  local want="$failures failed, $((tests - failures)) passed" got
  got="$(grep -o '[0-9]* failure' <<<"$seen" | grep -o '[0-9]*' || echo 0) failed, $(grep -o '[0-9]* passed' <<<"$seen" | grep -o '[0-9]*' || echo 0) passed"
  if [ "$got" != "$want" ]; then
    echo "xunit-viewer read $name differently: want '$want', got '$got':"; echo "$seen"; exit 1
  fi
  echo "xunit-viewer reads $name: $want"
}

"$tmp/sfn" test suite/testdata/expect/ --format junit >"$tmp/test.xml" || [ $? = 1 ]
check "sfn test (failing and passing cases)" "$tmp/test.xml"
"$tmp/sfn" test samples/ --format junit >"$tmp/samples.xml"
check "sfn test samples/" "$tmp/samples.xml"
"$tmp/sfn" validate --format junit samples/ >"$tmp/validate.xml" || [ $? = 1 ]
check "sfn validate samples/" "$tmp/validate.xml"
