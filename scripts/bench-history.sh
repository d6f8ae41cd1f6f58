#!/usr/bin/env bash
# Times what reading the git history adds to a build of the EIPs repository: clones the
# history bundle into /tmp, then builds with history on and off, alternating, and prints
# the medians and their difference. The machine is shared and noisy: alternation and
# medians keep the comparison fair; read the figure as "added seconds on this machine".
#
#   scripts/bench-history.sh [RUNS] [BUNDLE]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
bundle=${2:-/work/shared/corpora/history/eips.bundle}
work=$(mktemp -d /tmp/specsite-bench-history.XXXXXX)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
bin=$PWD/target/release/specsite
git clone --quiet "$bundle" "$work/eips" 2>/dev/null
src=$work/eips
# The EIPs dialect from tests/corpora/eips.toml, with links to the git host.
{
  printf 'repository = "https://github.com/ethereum/EIPs"\nbranch = "master"\n'
  cat tests/corpora/eips.toml
} >"$work/on.toml"
{ cat "$work/on.toml"; printf '\n[history]\nenabled = false\n'; } >"$work/off.toml"

time_build() { # config → "wall cpu" seconds (cpu: user + system, git included)
  /usr/bin/time -f '%e %U %S' -o "$work/time" \
    "$bin" build "$src" --out "$work/out-$1" --config "$work/$1.toml" --keep-going >/dev/null 2>&1 || true
  # The last line: /usr/bin/time first notes a non-zero exit (content errors).
  tail -n 1 "$work/time" | awk '{print $1, $2 + $3}'
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

time_build on >/dev/null # warm the page cache and git's object cache
on=() off=() on_cpu=() off_cpu=()
for ((i = 0; i < runs; i++)); do
  read -r w c < <(time_build off)
  off+=("$w") off_cpu+=("$c")
  read -r w c < <(time_build on)
  on+=("$w") on_cpu+=("$c")
done
mon=$(printf '%s\n' "${on[@]}" | median)
moff=$(printf '%s\n' "${off[@]}" | median)
con=$(printf '%s\n' "${on_cpu[@]}" | median)
coff=$(printf '%s\n' "${off_cpu[@]}" | median)
echo "runs each: $runs (alternating off/on), $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "without history: wall ${off[*]} -> median ${moff} s; cpu median ${coff} s"
echo "with history:    wall ${on[*]} -> median ${mon} s; cpu median ${con} s"
printf 'added by history: %.2f s wall (median difference), %.2f s cpu; ratio %.2f\n' \
  "$(echo "$mon - $moff" | bc)" "$(echo "$con - $coff" | bc)" "$(echo "$mon / $moff" | bc -l)"
