#!/usr/bin/env bash
# Checks .goreleaser.yaml: `goreleaser check`, then a snapshot build for this platform only
# (FULL=1 also builds every release archive, without publishing).
# Building goreleaser itself takes minutes (it is a large module), so CI runs this script only when
# .goreleaser.yaml, scripts/gen-docs or this script changed since the last recorded check (.ci/run compares
# them with .ci/goreleaser.sha256; after a change, run this script and record the new sums as .ci/run says).
# In a pull-request workflow the same test is:
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
if [ "${FULL:-}" = 1 ]; then
  # every archive (6 targets, about 2 minutes), not published
  echo "== goreleaser release --snapshot (FULL=1)"
  goreleaser release --snapshot --clean --skip=publish,sign,sbom
  ls -l dist/*.tar.gz dist/*.zip dist/checksums.txt
  tar tzf dist/sfn_*_linux_amd64.tar.gz
fi
echo "goreleaser OK"
