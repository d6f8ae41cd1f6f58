#!/usr/bin/env bash
# Builds every real-world corpus in CORPORA (default: ../shared/corpora next to the
# repository) with its configuration from tests/corpora/<name>.toml, and prints per
# corpus: documents, statuses found (as written, compared with the counts of the
# corpora's MANIFEST.md when it has them), diagnostics by rule and the build time.
#
#   scripts/corpora.sh [--detect] [CORPORA]   # SPECSITE=path/to/binary to skip the build
#
# Builds use --keep-going: real repos have real broken links, which are reported as
# diagnostics while the rest of the site is written. Output goes to a temp folder; the
# corpora are only read.
#
# --detect: adopts every folder of CORPORA as a newcomer would instead: writes its
# configuration with `specsite init --detect` (into the temp folder), builds with that
# configuration unedited and without --keep-going (the build must exit 0), and prints
# how many of the statuses the MANIFEST counts were found exactly (statuses the MANIFEST
# calls implicit are not stated in the files, so they are shown but not counted).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
detect=0
if [[ "${1:-}" == "--detect" ]]; then
    detect=1
    shift
fi
corpora="${1:-$repo/../shared/corpora}"
corpora="$(cd "$corpora" && pwd)"
if [[ -z "${SPECSITE:-}" ]]; then
    cargo build --release --quiet --manifest-path "$repo/Cargo.toml"
    SPECSITE="$repo/target/release/specsite"
fi
out="$(mktemp -d "${TMPDIR:-/tmp}/specsite-corpora.XXXXXX")"
trap 'rm -rf "$out"' EXIT
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-1795392000}"

if [[ $detect == 1 ]]; then
    names=()
    for dir in "$corpora"/*/; do
        [[ -d "$dir" && "$(basename "$dir")" != history ]] && names+=("$(basename "$dir")")
    done
else
    names=()
    for config in "$repo"/tests/corpora/*.toml; do
        names+=("$(basename "$config" .toml)")
    done
fi

for name in "${names[@]}"; do
    src="$corpora/$name"
    if [[ ! -d "$src" ]]; then
        echo "== $name: no folder $src, skipped"
        continue
    fi
    if [[ $detect == 1 ]]; then
        config="$out/$name.toml"
        "$SPECSITE" init --detect "$src" --config "$config" >/dev/null 2>"$out/$name.detect" \
            || { echo "== $name: init --detect failed"; cat "$out/$name.detect"; continue; }
        keep_going=()
    else
        config="$repo/tests/corpora/$name.toml"
        keep_going=(--keep-going)
    fi
    start=$(date +%s.%N)
    set +e
    "$SPECSITE" build "$src" --config "$config" --out "$out/$name" "${keep_going[@]}" \
        --format json >"$out/$name.diagnostics" 2>"$out/$name.stderr"
    code=$?
    set -e
    end=$(date +%s.%N)
    python3 - "$name" "$out/$name/api/specs.json" "$out/$name.diagnostics" \
        "$corpora/MANIFEST.md" "$start" "$end" "$code" "$out/$name.stderr" "$detect" "$config" <<'PY'
import collections, json, re, sys
name, specs, diags, manifest, start, end, code, stderr, detect, config = sys.argv[1:]
print(f"== {name}")
try:
    docs = json.load(open(specs))["documents"]
except OSError:
    print(f"   NO SITE WRITTEN (exit {code})")
    print("   " + open(stderr).read().strip().replace("\n", "\n   "))
    sys.exit(0)
print(f"   documents: {len(docs)}   build: {float(end) - float(start):.2f} s   exit: {code}")

raw = collections.Counter(d["status_raw"] or "(none)" for d in docs)
mapped = collections.Counter(d["status"] or "(none)" for d in docs)
print("   statuses: " + " · ".join(f"{s} {n}" for s, n in mapped.most_common()))

# The MANIFEST's "Status counts" lines of this corpus's section (with the indented
# lines that continue them). It counts statuses as written, or mapped for some logs.
expected = collections.Counter()
implicit = set()
section, lines = None, []
for line in open(manifest, encoding="utf-8"):
    m = re.match(r"## \d+\. (\S+)", line)
    if m:
        section = m.group(1)
    elif section == name and "Status counts" in line:
        lines.append(line.strip())
    elif section == name and lines and line.startswith("  ") and not line.lstrip().startswith("*"):
        lines[-1] += " " + line.strip()
for text in lines:
    body = re.sub(r".*Status counts[^:]*:\**\s*(\([^)]*\):\s*)?", "", text)
    for part in body.split("·"):
        m = re.match(r"\s*(.+?)\s+(\d+)\b", part)
        if m:
            key = re.sub(r"^\(none[^)]*\)", "(none)", m.group(1).strip().lower())
            if key.startswith("(implicit)"):
                implicit.add(re.sub(r"^\(implicit\)\s*", "", key))
            key = re.sub(r"^\(implicit\)\s*", "", key)
            expected[key] += int(m.group(2))
if expected:
    found_raw = collections.Counter()
    for s, n in raw.items():
        found_raw[s.lower()] += n
    found_mapped = collections.Counter()
    for s, n in mapped.items():
        found_mapped[s.lower().replace("-", " ")] += n
    def found(key):
        for alt in key.split("/"):
            if alt in found_raw:
                return found_raw[alt]
            if alt.replace("-", " ") in found_mapped:
                return found_mapped[alt.replace("-", " ")]
        return 0
    rows = [f"{k} {found(k)}{'=' if found(k) == n else '≠'}{n}" for k, n in expected.most_common()]
    print("   MANIFEST (found=/≠expected): " + " · ".join(rows))
    if detect == "1":
        # Exact: per status the MANIFEST counts, the documents found with it, up to its
        # count. Implicit statuses are written nowhere in the files, so not counted.
        # Files the config ignores (templates, folder index pages) are not documents,
        # and files left out of the corpus (the MANIFEST's preamble says how many) are
        # not there: neither can be found, so neither is counted.
        import tomllib
        ignored = len(tomllib.load(open(config, "rb")).get("ignore", []))
        preamble = open(manifest, encoding="utf-8").read().split("## Summary")[0]
        left_out = sum(int(n) for n, c in re.findall(r"(\d+) of ([\w-]+)", preamble) if c == name)
        stated = {k: n for k, n in expected.items() if k not in implicit}
        total = sum(stated.values()) - ignored - left_out
        exact = sum(min(found(k), n) for k, n in stated.items())
        notes = [f"{ignored} ignored as templates or index pages"] if ignored else []
        notes += [f"{left_out} left out of the corpus"] if left_out else []
        notes += [f"implicit, not counted: {', '.join(sorted(implicit))}"] if implicit else []
        if total > 0:
            print(f"   exact: {exact}/{total} = {100 * exact / total:.1f}%"
                  + (f" ({'; '.join(notes)})" if notes else ""))
        else:
            print("   exact: no stated statuses in the MANIFEST")
    print("   as written: " + " · ".join(f"{s} {n}" for s, n in raw.most_common()))
else:
    print("   as written: " + " · ".join(f"{s} {n}" for s, n in raw.most_common()))

rules = collections.Counter()
for line in open(diags):
    line = line.strip()
    if line.startswith("{"):
        d = json.loads(line)
        rules[(d["level"], d["rule"])] += 1
if rules:
    print("   diagnostics: " + ", ".join(f"{r} {n} ({lvl})" for (lvl, r), n in sorted(rules.items())))
else:
    print("   diagnostics: none")
PY
done
