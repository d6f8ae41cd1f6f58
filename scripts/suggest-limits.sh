#!/usr/bin/env bash
# Time of `specsite check` on sites full of broken links, each against a clean site of
# the same size, to show that "did you mean" suggestions stay bounded (see
# src/model/suggest.rs):
#
# - anchors-20k: one spec with 2,000 headings and 20,000 links to anchors that do not
#   exist (clean: the same links to anchors that do);
# - wiki-1mb: 5,000 documents and one 1 MB spec of wiki links to ids that do not exist
#   (clean: the same links to ids that do).
#
# Before the bounds these took 73 s and 126 s; the target is a ratio near 1 (a broken
# link costs a diagnostic more than a clean one, not a pass over every candidate).
# Each site is checked RUNS times, alternating; the table shows medians.
#
# usage: scripts/suggest-limits.sh [RUNS]   (default 3; SPECSITE_BIN to time another
#        binary, else a release build is made)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
WORK=${LIMITS_DIR:-$(mktemp -d /tmp/specsite-suggest.XXXXXX)}
if [[ -z "${SPECSITE_BIN:-}" ]]; then
  cargo build --release --quiet
  SPECSITE_BIN=$PWD/target/release/specsite
fi

python3 - "$WORK" <<'PY'
import os, sys
work = sys.argv[1]
def write(site, path, text):
    p = os.path.join(work, site, path)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    with open(p, "w") as f:
        f.write(text)

headings = "".join(f"## Part {i}\n\nText.\n\n" for i in range(2000))
# Broken: 20,000 distinct anchors, each one letter away from a heading's (the worst
# case: no candidate can be skipped by its length).
for site, broken in (("anchors-20k", True), ("anchors-20k-clean", False)):
    links = "".join(f"- [see](#part-{i % 2000}{chr(97 + i // 2000) if broken else ''})\n"
                    for i in range(20_000))
    write(site, "features/spec.md", f"---\nid: SPEC-1\nstatus: draft\n---\n\n{headings}{links}")

for site, broken in (("wiki-1mb", True), ("wiki-1mb-clean", False)):
    for i in range(5000):
        write(site, f"features/f{i}.md", f"---\nid: FEAT-{i}\nstatus: draft\n---\n\nText.\n")
    out, n, i = [], 0, 0
    while n < 1000 * 1024:  # just under the render limit (1 MiB)
        line = f"- see [[FEAT-{i % 5000}{'x' * (1 + i % 7) if broken else ''}]]\n"
        out.append(line); n += len(line); i += 1
    write(site, "guides/links.md", "# Links\n\n" + "".join(out))
PY

SITES=(anchors-20k anchors-20k-clean wiki-1mb wiki-1mb-clean)
for s in "${SITES[@]}"; do : >"$WORK/$s.times"; done
for ((r = 1; r <= RUNS; r++)); do
  for s in "${SITES[@]}"; do
    /usr/bin/time -f "%e" -o "$WORK/$s.one" \
      "$SPECSITE_BIN" check "$WORK/$s" --format json >"$WORK/$s.out" 2>&1 || true
    cat "$WORK/$s.one" >>"$WORK/$s.times"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
printf '%-20s %10s %12s %10s\n' site median_s diagnostics x_clean
for s in "${SITES[@]}"; do
  t=$(median <"$WORK/$s.times")
  clean=$(median <"$WORK/${s%-clean}-clean.times")
  n=$(grep -c '^{' "$WORK/$s.out" || true)
  awk -v s="$s" -v t="$t" -v c="$clean" -v n="$n" \
    'BEGIN { printf "%-20s %10.2f %12d %10.2f\n", s, t, n, (c > 0 ? t / c : 0) }'
done
echo "runs per site: $RUNS (alternating); inputs in $WORK"
