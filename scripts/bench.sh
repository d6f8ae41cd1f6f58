#!/usr/bin/env bash
# Side-by-side benchmark of `specsite build` and Hugo on generated spec corpora.
#
#   scripts/bench.sh                 # 1k and 10k documents against Hugo, then 100k alone
#   scripts/bench.sh 1000            # chosen sizes only
#   RUNS=9 BENCH_DIR=/tmp/b scripts/bench.sh 10000
#
# For each size it prints the median wall time, CPU time and peak memory of: reading
# every file (`cat`, a floor), specsite's parse-only pass (front matter + markdown, a
# floor), `specsite build`, and `hugo` on the same documents, with the specsite / Hugo
# ratios. Runs alternate between the tools. Sizes above 10,000 run specsite alone
# (Hugo needs tens of gigabytes there). Needs python3; installs Hugo from Debian's
# packages when it is missing. Corpora come from gen_corpus.py (GEN_CORPUS to override)
# and are kept in BENCH_DIR between runs.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
BENCH_DIR=${BENCH_DIR:-/tmp/specsite-bench}
GEN_CORPUS=${GEN_CORPUS:-../shared/bench/gen_corpus.py}
[ -f "$GEN_CORPUS" ] || GEN_CORPUS=/work/shared/bench/gen_corpus.py
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000 100000)

if [ ! -f "$GEN_CORPUS" ]; then
    echo "bench: corpus generator not found; set GEN_CORPUS=path/to/gen_corpus.py" >&2
    exit 2
fi
if ! command -v hugo >/dev/null; then
    echo "bench: installing Hugo from Debian's packages" >&2
    if [ "$(id -u)" = 0 ]; then apt-get install -y hugo >/dev/null; else sudo apt-get install -y hugo >/dev/null; fi
fi

cargo build --release --quiet --bin specsite --example parse_only
mkdir -p "$BENCH_DIR"

for n in "${SIZES[@]}"; do
    label=$n
    [ $((n % 1000)) -eq 0 ] && label="$((n / 1000))k"
    formats=(native)
    [ "$n" -le 10000 ] && formats+=(hugo)
    for format in "${formats[@]}"; do
        dir="$BENCH_DIR/$format-$label"
        if [ ! -f "$dir.done" ]; then
            echo "bench: generating $n documents ($format) in $dir" >&2
            rm -rf "$dir"
            python3 "$GEN_CORPUS" -n "$n" --format "$format" --out "$dir" >/dev/null
            touch "$dir.done"
        fi
    done
done

echo "specsite $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(hugo version | cut -d' ' -f1-2), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 scripts/bench.py --specsite target/release/specsite \
    --parse-only target/release/examples/parse_only \
    --hugo "$(command -v hugo)" --work "$BENCH_DIR" --runs "$RUNS" "${SIZES[@]}"
