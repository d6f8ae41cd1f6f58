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
# EIP headers: `status:` as in the EIP process, `author:` as owners.
cat >"$work/on.toml" <<'TOML'
title = "EIPs"
repository = "https://github.com/ethereum/EIPs"
branch = "master"
[folders]
"EIPS" = "feature"
[[statuses.feature]]
name = "Draft"
phase = "draft"
[[statuses.feature]]
name = "Review"
phase = "draft"
[[statuses.feature]]
name = "Last Call"
phase = "planned"
[[statuses.feature]]
name = "Final"
phase = "done"
aliases = ["Accepted", "Active"]
[[statuses.feature]]
name = "Stagnant"
phase = "closed"
aliases = ["Deferred", "Abandoned"]
[[statuses.feature]]
name = "Withdrawn"
phase = "closed"
aliases = ["Rejected", "Superseded", "Replaced", "Obsolete"]
[[statuses.feature]]
name = "Living"
phase = "active"
[rules]
unknown-field = "off"
unknown-status = "off"
broken-link = "off"
missing-anchor = "off"
unknown-owner = "off"
missing-metrics = "off"
invalid-field = "off"
invalid-date = "off"
TOML
{ cat "$work/on.toml"; printf '[history]\nenabled = false\n'; } >"$work/off.toml"

time_build() { # config → seconds
  local start end
  start=$(date +%s.%N)
  "$bin" build "$src" --out "$work/out-$1" --config "$work/$1.toml" --keep-going >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  echo "$end - $start" | bc
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

time_build on >/dev/null # warm the page cache and git's object cache
on=() off=()
for ((i = 0; i < runs; i++)); do
  off+=("$(time_build off)")
  on+=("$(time_build on)")
done
mon=$(printf '%s\n' "${on[@]}" | median)
moff=$(printf '%s\n' "${off[@]}" | median)
echo "runs each: $runs (alternating)"
echo "without history: ${off[*]} -> median ${moff} s"
echo "with history:    ${on[*]} -> median ${mon} s"
printf 'added by history: %.2f s (median difference)\n' "$(echo "$mon - $moff" | bc)"
