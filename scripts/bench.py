#!/usr/bin/env python3
"""Times specsite against Hugo on generated corpora; driven by scripts/bench.sh.

Every command runs as a child process and is measured with os.wait4, which gives that
child's own CPU time and peak resident memory (its children included). Tools run in
alternation (specsite, Hugo, specsite, ...) so that background load on a shared machine
falls on both alike, and the medians are reported.

Each size is measured twice:
- first build: each run writes a folder that does not exist yet, as CI does on a clean
  checkout. The folders are deleted only after the last size's runs. Deleting the output
  right before each run instead would time the filesystem more than the tools: on an
  ext4 volume without a journal (as on the machine these figures come from), creating
  files within minutes of deleting many makes the kernel skip each recently freed
  inode in turn, a cost that grows faster than the number of files (set
  BENCH_DELETE_FIRST=1 to measure that way anyway). For the same reason, run the
  benchmark at least five minutes after deleting a large folder on the same volume;
- rebuild: the output of the tool's previous run is kept, as when an author builds
  again, and as Hugo's default is.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time


def measure(argv, cwd=None):
    """Runs argv with output discarded; returns (wall s, cpu s, peak MB, exit code)."""
    start = time.monotonic()
    proc = subprocess.Popen(
        argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, usage.ru_maxrss / 1024, proc.returncode


DELETE_FIRST = os.environ.get("BENCH_DELETE_FIRST") == "1"


class Tool:
    """A command to time; `argv(out)` builds its arguments for an output folder."""

    def __init__(self, name, argv, out=None):
        self.name, self.argv, self.out = name, argv, out
        self.runs = []
        self.outputs = []

    def run(self, fresh=True):
        out = self.out
        if out and fresh:
            if DELETE_FIRST:
                shutil.rmtree(out, ignore_errors=True)
            else:
                out = f"{self.out}-{len(self.outputs)}"
                shutil.rmtree(out, ignore_errors=True)
                self.outputs.append(out)
        # Earlier runs' output is written back first (untimed), so no run waits on
        # another's gigabytes reaching the disk.
        os.sync()
        argv = self.argv(out) if out else self.argv
        wall, cpu, mb, code = measure(argv)
        if code not in (0, 1):
            sys.exit(f"{self.name} failed with exit code {code}: {' '.join(argv)}")
        self.runs.append((wall, cpu, mb))

    def clean(self):
        for out in self.outputs + ([self.out] if self.out else []):
            shutil.rmtree(out, ignore_errors=True)
        self.outputs = []

    def median(self, i):
        return statistics.median(r[i] for r in self.runs)


WIDTH = 31


def row(label, wall, cpu, mb):
    return f"  {label:<{WIDTH}} {wall:>9.2f} {cpu:>9.2f} {mb:>10.0f}"


def report(title, tools, runs, against=()):
    """Prints the medians of `tools`, then the ratio of each pair in `against`."""
    print(f"\n{title} ({runs} alternating runs each; medians)")
    print(f"  {'':<{WIDTH}} {'wall s':>9} {'cpu s':>9} {'peak MB':>10}")
    for t in tools:
        print(row(t.name, t.median(0), t.median(1), t.median(2)))
    for a, b in against:
        ratio = [a.median(i) / b.median(i) for i in range(3)]
        label = f"{a.name} / {b.name}"
        print(f"  {label:<{WIDTH}} {ratio[0]:>8.2f}x {ratio[1]:>8.2f}x {ratio[2]:>9.2f}x")
    sys.stdout.flush()


def no_search_config(work, source):
    """A specsite.toml for `source` with the search index off (`--config` replaces the
    source's own, so that one's settings are carried over)."""
    own = os.path.join(source, "specsite.toml")
    text = open(own).read() if os.path.exists(own) else ""
    path = os.path.join(work, f"no-search-{os.path.basename(source)}.toml")
    with open(path, "w") as f:
        f.write(text + "\n[search]\nenabled = false\n")
    return path


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--specsite", required=True)
    p.add_argument("--parse-only", required=True)
    p.add_argument("--hugo")
    p.add_argument("--work", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("sizes", nargs="+", type=int)
    a = p.parse_args()

    medians = {}
    rebuild_medians = {}
    used = []
    for n in a.sizes:
        label = f"{n // 1000}k" if n % 1000 == 0 else str(n)
        native = os.path.join(a.work, f"native-{label}")
        hugo_src = os.path.join(a.work, f"hugo-{label}")
        with_hugo = a.hugo and os.path.isdir(hugo_src)
        cat = Tool(
            "cat every file (floor)",
            ["sh", "-c", f"find '{native}' -type f -name '*.md' -print0 | xargs -0 cat"],
        )
        parse = Tool("parse only (floor)", [a.parse_only, native])
        spec_out = os.path.join(a.work, f"out-specsite-{label}")
        spec = Tool(
            "specsite build", lambda out: [a.specsite, "build", native, "--out", out], spec_out
        )
        tools = [cat, parse, spec]
        against = []
        if with_hugo:
            # Hugo's generated site has no search: the same build without the search
            # index is the like-for-like figure, and the difference is what search costs.
            bare_config = no_search_config(a.work, native)
            bare = Tool(
                "specsite build, no search",
                lambda out: [a.specsite, "build", native, "--config", bare_config, "--out", out],
                os.path.join(a.work, f"out-specsite-nosearch-{label}"),
            )
            hugo_out = os.path.join(a.work, f"out-hugo-{label}")
            hugo = Tool(
                "hugo", lambda out: [a.hugo, "--quiet", "-s", hugo_src, "-d", out], hugo_out
            )
            tools += [bare, hugo]
            against = [(spec, hugo), (bare, hugo)]
        # Without Hugo (100k: it would need tens of gigabytes) specsite runs alone, at
        # most three times: each first build keeps a folder of about 3 GB until the end.
        runs = a.runs if with_hugo else min(a.runs, 3)
        for _ in range(runs):
            for t in tools:
                t.run()
        first = "output deleted right before" if DELETE_FIRST else "first build into a new folder"
        report(f"{label} documents, {first}", tools, runs, against)
        medians[n] = spec.median(0), spec.median(1)
        builders = [t for t in tools if t.out]
        for t in builders:
            t.runs = []
            # The output a rebuild starts from (not timed).
            measure(t.argv(t.out))
        for _ in range(runs):
            for t in builders:
                t.run(fresh=False)
        report(
            f"{label} documents, rebuild over the previous output",
            builders,
            runs,
            against,
        )
        rebuild_medians[n] = spec.median(0), spec.median(1)
        used.extend(builders)

    for t in used:
        t.clean()

    sizes = sorted(medians)
    for name, m in (("first build", medians), ("rebuild", rebuild_medians)):
        for small, big in zip(sizes, sizes[1:]):
            w = m[big][0] / m[small][0]
            c = m[big][1] / m[small][1]
            print(
                f"\ngrowth {small} -> {big} documents ({big / small:.0f}x), {name}: "
                f"wall {w:.1f}x, cpu {c:.1f}x"
            )


if __name__ == "__main__":
    main()
