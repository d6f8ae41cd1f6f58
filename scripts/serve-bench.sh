#!/usr/bin/env bash
# Benchmarks `specsite serve`: save-to-served latency (median and p95 over 20 edits of
# one feature file, measured from outside over HTTP) and the server's memory, on
# generated corpora of 1,000 and 10,000 documents. Two kinds of edit: a title change
# (links the same, so the server keeps its link graph) and a change of the file's links
# (the whole site is linked again). As a baseline measured in the same
# run, `specsite check` times a full load → link → render of each corpus.
#
# Usage: scripts/serve-bench.sh [SIZES...]     (default: 1000 10000)
# Needs the corpus generator: GEN=/path/to/gen_corpus.py (default ../shared/bench/).
# The machine may be shared: run it twice and compare; the figures are medians.
set -euo pipefail
cd "$(dirname "$0")/.."
GEN=${GEN:-../shared/bench/gen_corpus.py}
[ -f "$GEN" ] || GEN=/work/shared/bench/gen_corpus.py
WORK=${WORK:-/tmp/specsite-serve-bench}
EDITS=${EDITS:-20}
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

cargo build --release --quiet
bin=target/release/specsite
mkdir -p "$WORK"
for n in "${sizes[@]}"; do
  src="$WORK/c$n"
  [ -d "$src" ] || python3 "$GEN" -n "$n" --format native --out "$src" >/dev/null
  start=$(date +%s.%N)
  "$bin" check "$src" >/dev/null 2>&1 || true
  check_ms=$(echo "($(date +%s.%N) - $start) * 1000" | bc)
  for edit in title link; do
  result=$(python3 scripts/serve_bench.py "$bin" "$src" --edits "$EDITS" --edit "$edit")
  python3 - "$n" "$check_ms" "$result" <<'PY'
import json, sys
n, check_ms, r = int(sys.argv[1]), float(sys.argv[2]), json.loads(sys.argv[3])
print(f"{n:>6} docs, {r['edit']} edits: save→served median {r['median_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms "
      f"(min {r['min_ms']:.0f}, max {r['max_ms']:.0f}); full check {check_ms:.0f} ms "
      f"(median edit = {r['median_ms'] / check_ms:.1%} of it); "
      f"RSS {r['rss_mb']:.0f} MB (peak {r['peak_rss_mb']:.0f} MB); ready in {r['ready_s']} s")
print("        latencies (ms):", " ".join(f"{x:.0f}" for x in r["latencies_ms"]))
PY
  done
done
