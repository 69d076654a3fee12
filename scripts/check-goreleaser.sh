#!/usr/bin/env bash
# Checks .goreleaser.yaml: `goreleaser check`, then a snapshot build for this platform only.
# Building goreleaser itself takes minutes (it is a large module), so CI runs this script only when
# .goreleaser.yaml, scripts/gen-docs or this script changed:
#
#   git diff --name-only origin/main... | grep -qE '^(\.goreleaser\.yaml|scripts/(gen-docs/|check-goreleaser\.sh))' \
#     && scripts/check-goreleaser.sh
#
# GORELEASER_VERSION picks the goreleaser to install when none is on PATH. v2.14.0 is the newest
# that builds with Go 1.26 from the Go module proxy alone (v2.15+ need newer Go or modules the
# proxy does not serve).
set -euo pipefail
cd "$(dirname "$0")/.."
version=${GORELEASER_VERSION:-v2.14.0}
if ! command -v goreleaser >/dev/null; then
  echo "== installing goreleaser $version (go install; this takes a few minutes)"
  go install "github.com/goreleaser/goreleaser/v2@$version"
  export PATH="$(go env GOPATH)/bin:$PATH"
fi
echo "== goreleaser check"
goreleaser check
echo "== goreleaser build --snapshot --single-target"
goreleaser build --snapshot --clean --single-target
bin=$(find dist -type f -name 'sfn' -perm -u+x | head -n 1)
echo "== $bin version"
"$bin" version
echo "== release archive contents (snapshot, this platform)"
goreleaser release --snapshot --clean --skip=publish,sign,sbom --single-target >/dev/null 2>&1 || true
for a in dist/*.tar.gz dist/*.zip; do
  [ -e "$a" ] || continue
  echo "$a"
  case "$a" in
    *.zip) unzip -l "$a" ;;
    *) tar tzf "$a" ;;
  esac
done
echo "goreleaser OK"
