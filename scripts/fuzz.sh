#!/usr/bin/env bash
# Runs the cargo-fuzz targets in fuzz/ one after the other, each for SECONDS (default
# 600), in one process each (one core), with a TIMEOUT per input (default 1 s; a slower
# input is a hang — on a loaded machine raise it and re-run each finding alone to
# confirm it) and a 2 GB memory limit. A finding stops that target's run, not the others. Findings land in fuzz/artifacts/<target>/; turn each into a
# regression test (tests/fuzz_regressions.rs) before fixing it.
#
# Targets:
#   front_matter       front matter split + YAML/TOML reader + every field of the model
#   metric_target      metric baseline/target/actual/unit parsing and judging
#   markdown_document  one whole document: parse, comrak + syntect, model, link, render
#
# usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain
# (`rustup toolchain install nightly`). Without nightly, RUSTC_BOOTSTRAP=1 lets the
# stable compiler accept the sanitizer flags: RUSTC_BOOTSTRAP=1 scripts/fuzz.sh.
set -uo pipefail
cd "$(dirname "$0")/../fuzz"
TIMEOUT=${TIMEOUT:-1}
SECONDS_EACH=${1:-600}
shift || true
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
  TARGETS=(front_matter metric_target markdown_document)
fi
TOOLCHAIN=+nightly
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
  TOOLCHAIN=
  export RUSTC_BOOTSTRAP=1
fi
for t in "${TARGETS[@]}"; do
  mkdir -p "corpus/$t"
  # Seed the corpus with the example site's specs, so the fuzzer starts from real input.
  if [ "$t" != metric_target ]; then
    find ../example-site -name '*.md' -exec cp -n {} "corpus/$t/" \; 2>/dev/null || true
  else
    printf '>= 2.6%%\n2.1%%\n2.8%%\n' >"corpus/$t/seed1"
    printf '+20%%\n48h\n0.5h\nh' >"corpus/$t/seed2"
    printf '2.5%%..3%%\n\n\n' >"corpus/$t/seed3"
  fi
  echo "== $t for ${SECONDS_EACH}s"
  # shellcheck disable=SC2086
  cargo $TOOLCHAIN fuzz run "$t" -- -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" \
    -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 2>&1 | grep -v '^#[0-9]*.*\(NEW\|REDUCE\|pulse\)'
  echo "== $t exit ${PIPESTATUS[0]}"
done
