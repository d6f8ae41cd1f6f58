#!/usr/bin/env bash
# Time and peak memory of `specsite build` on the big inputs the bad-input suite covers
# (a 20 MB spec and a 100,000-row table, over the render limit; a spec and a line of
# emphasis just under it; lists and block quotes nested 10,000 deep; a 1 MB line; a
# heading repeated 1,000 times; a code block too large to highlight), each in a site of
# its own, against a baseline site of one small spec measured in the same run.
#
# The target is at most one second per file beyond the baseline, and memory bounded
# whatever the input (a few hundred MB). Each site is built RUNS times, alternating
# between sites so that load on a shared machine hits all of them alike; the table shows
# medians.
#
# usage: scripts/limits.sh [RUNS]     (default 5; needs python3 and GNU time)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
WORK=${LIMITS_DIR:-$(mktemp -d /tmp/specsite-limits.XXXXXX)}
cargo build --release --quiet
BIN=$PWD/target/release/specsite

python3 - "$WORK" <<'PY'
import os, sys
work = sys.argv[1]
def site(name, body, fid):
    d = os.path.join(work, name, "features")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "spec.md"), "w") as f:
        f.write(f"---\nid: {fid}\ntitle: {name}\nstatus: draft\n---\n\n{body}")

site("baseline", "A small spec.\n\n## Goals\n\n- one\n", "BASE-1")
def parts(size):
    out, n, i = [], 0, 0
    while True:
        i += 1
        p = (f"## Part {i}\n\nSome *text* with a [link](https://example.com/{i}) and `code`.\n\n"
             f"- item one\n- item two\n\n```rust\nfn f{i}() -> u32 {{ {i} }}\n```\n\n"
             f"| a | b |\n|---|---|\n| {i} | x |\n\n")
        if n + len(p) > size:
            return "".join(out)
        out.append(p); n += len(p)
site("spec-20mb", parts(20 * 1024 * 1024), "BIG-1")
# Just under the default render limit (markdown.max_render_bytes, 1 MiB): the largest
# bodies rendered in full, a dense spec and the slowest markdown per byte known (every
# other character opens or closes emphasis, so each is a node of its own).
limit = 1024 * 1024 - 64
site("spec-at-limit", parts(limit), "LIMIT-1")
site("emphasis-at-limit", ("a" + "*a" * limit)[:limit] + "\n", "EM-1")
site("table-100k", "| id | name | value |\n|---|---|---|\n"
     + "".join(f"| {i} | row {i} | {i*7} |\n" for i in range(100_000)), "TABLE-1")
# `- - - x` opens a list inside a list item on one line: 10,000 levels in 20 KB.
site("lists-10k-deep", "- " * 10_000 + "deepest\n\n" + "1. " * 10_000 + "numbered\n", "L-1")
site("quotes-10k-deep", ">" * 10_000 + " deep\n", "Q-1")
site("line-1mb", "word " * 200_000 + "\n", "LINE-1")
site("heading-x1000", "## Same heading\n\ntext\n\n" * 1000, "H-1")
site("code-500kb", "```rust\n" + "let x = 1;\n" * 50_000 + "```\n", "C-1")
PY

SITES=(baseline spec-20mb spec-at-limit emphasis-at-limit table-100k lists-10k-deep quotes-10k-deep line-1mb heading-x1000 code-500kb)
for s in "${SITES[@]}"; do : >"$WORK/$s.times"; done
for ((r = 1; r <= RUNS; r++)); do
  for s in "${SITES[@]}"; do
    # GNU time: elapsed seconds and peak resident set in KiB.
    /usr/bin/time -f "%e %M" -o "$WORK/$s.one" \
      "$BIN" build "$WORK/$s" --out "$WORK/out-$s" --format json >/dev/null 2>"$WORK/$s.err" || true
    cat "$WORK/$s.one" >>"$WORK/$s.times"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
base_t=$(cut -d' ' -f1 "$WORK/baseline.times" | median)
base_m=$(cut -d' ' -f2 "$WORK/baseline.times" | median)
printf '%-18s %10s %10s %12s %12s %10s\n' site input_MB median_s "s_over_base" peak_MB "x_base_mem"
for s in "${SITES[@]}"; do
  t=$(cut -d' ' -f1 "$WORK/$s.times" | median)
  m=$(cut -d' ' -f2 "$WORK/$s.times" | median)
  size=$(du -sm "$WORK/$s/features/spec.md" | cut -f1)
  awk -v s="$s" -v t="$t" -v m="$m" -v bt="$base_t" -v bm="$base_m" -v size="$size" \
    'BEGIN { printf "%-18s %10s %10.2f %12.2f %12.1f %10.1f\n", s, size, t, t - bt, m / 1024, m / bm }'
done
echo "runs per site: $RUNS (alternating); inputs and outputs in $WORK"
