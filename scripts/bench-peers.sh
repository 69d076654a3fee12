#!/usr/bin/env bash
# Side-by-side whole-process timings of `sfn validate` and the npm validators, with hyperfine.
# Needs: hyperfine (apt-get install hyperfine), Node.js, and ../shared beside the repository.
#   npm install --prefix /tmp/peers asl-validator @wmfs/statelint
#   PEERS=/tmp/peers/node_modules/.bin scripts/bench-peers.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${SHARED:-../shared}
PEERS=${PEERS:-/tmp/peers/node_modules/.bin}
OUT=${OUT:-/tmp/sfn-bench-peers}
mkdir -p "$OUT"
go build -trimpath -o "$OUT/sfn" ./cmd/sfn
SFN="$OUT/sfn"
SMALL="$SHARED/validation/asl-validator/valid-hello-world.json"
BIG="$SHARED/bench/big.asl.json"

# The labelled corpus: every file for sfn; the JSON files for statelint (it reads only JSON).
python3 - "$SHARED/validation" "$OUT" <<'PY'
import json, sys, os
d, out = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(d, "manifest.json")))
with open(os.path.join(out, "all.txt"), "w") as f:
    for e in m: f.write(os.path.join(d, e["file"]) + "\n")
with open(os.path.join(out, "json.txt"), "w") as f:
    for e in m:
        if e["format"] == "json": f.write(os.path.join(d, e["file"]) + "\n")
PY
mapfile -t ALL < "$OUT/all.txt"
mapfile -t JSONS < "$OUT/json.txt"
printf '%s\n' "${ALL[@]}" > "$OUT/all.args"

echo "== one small file"
hyperfine -N -i --warmup 2 --export-markdown "$OUT/small.md" \
  -n "sfn validate" "$SFN validate $SMALL" \
  -n "asl-validator" "$PEERS/asl-validator --json-path $SMALL" \
  -n "statelint" "$PEERS/statelint $SMALL"

echo "== big.asl.json (5,505 states)"
hyperfine -N -i --warmup 1 --export-markdown "$OUT/big.md" \
  -n "sfn validate" "$SFN validate $BIG" \
  -n "asl-validator" "$PEERS/asl-validator --json-path $BIG" \
  -n "statelint" "$PEERS/statelint $BIG"

echo "== labelled corpus in one invocation (${#ALL[@]} files for sfn, ${#JSONS[@]} JSON files for statelint)"
hyperfine -i --warmup 1 --export-markdown "$OUT/corpus.md" \
  -n "sfn validate (${#ALL[@]} files)" "xargs -a $OUT/all.args $SFN validate --no-config --format json >/dev/null" \
  -n "statelint (${#JSONS[@]} JSON files)" "$PEERS/statelint ${JSONS[*]} >/dev/null"
cat "$OUT"/small.md "$OUT"/big.md "$OUT"/corpus.md
