#!/usr/bin/env bash
# Browser tests: the default theme and search in headless Debian Chromium, driven by
# playwright-core (tests/browser/). Installs what they need, builds the example site,
# runs the tests and prints "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if [ ! -x /usr/bin/chromium ] || ! command -v npm >/dev/null; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core nodejs npm >/dev/null
fi

(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)

cargo build --quiet
bin="${CARGO_TARGET_DIR:-target}/debug/specsite"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
SOURCE_DATE_EPOCH=1790000000 "$bin" build example-site --out "$work/site" >/dev/null

export SPECSITE_SITE_DIR="$work/site"
export SPECSITE_SCREENSHOT_DIR="$PWD/target/browser-screenshots"
status=0
(cd tests/browser && node --test --test-concurrency=1 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$work/tap" ./*.test.mjs) || status=$?
passed=$(sed -n 's/^# pass //p' "$work/tap")
failed=$(sed -n 's/^# fail //p' "$work/tap")
echo "browser tests: ${passed:-0} passed, ${failed:-0} failed (screenshots in $SPECSITE_SCREENSHOT_DIR)"
if [ "$status" -ne 0 ] || [ "${failed:-1}" != 0 ] || [ "${passed:-0}" = 0 ]; then
  exit 1
fi
