#!/usr/bin/env python3
"""Measures `specsite serve` from outside the process: how long from saving a feature
file until the page served over HTTP shows the change, and the server's memory.

Usage: serve_bench.py BINARY SOURCE [--edits 20] [--edit title|link]

Starts `BINARY serve SOURCE --port 0`, waits until it listens, picks the first feature
of /api/specs.json, then edits that file EDITS times, polling the page over one
keep-alive HTTP connection until the edit's marker appears. `--edit title` puts a new
marker in the title (an edit that links the same: the server keeps its link graph);
`--edit link` appends a paragraph with the marker that alternately adds and drops a
link to another feature (the whole site is linked again on every edit).
Prints one JSON object: latencies (ms), median, p95, RSS (MB, from /proc) after the
edits and at the peak, and the start-up time.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time


def rss_mb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("source")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--edit", choices=["title", "link"], default="title")
    args = ap.parse_args()

    started = time.monotonic()
    proc = subprocess.Popen(
        [args.binary, "serve", args.source, "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    port = None
    for line in proc.stderr:
        m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        if m:
            port = int(m.group(1))
            break
    if port is None:
        sys.exit("the server did not start")
    ready_s = time.monotonic() - started
    # Keep draining the server's output so it never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(path):
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.read()

    try:
        status, body = get("/api/specs.json")
        docs = json.loads(body)["documents"]
        features = [d for d in docs if d["kind"] == "feature"]
        feature, other = features[0], features[-1]
        path = os.path.join(args.source, feature["source"])
        url = "/" + feature["url"].lstrip("/")
        with open(path, encoding="utf-8") as f:
            original = f.read()
        title = feature["title"]
        get(url)  # warm: the first render of the page

        latencies = []
        try:
            for i in range(args.edits):
                marker = f"bench{os.getpid()}x{i}"
                if args.edit == "title":
                    text = original.replace(f"title: {title}", f"title: {title} {marker}", 1)
                    assert text != original, "could not find the title line"
                elif i % 2 == 0:
                    text = original + f"\n\nSee also [[{other['id']}]] {marker}.\n"
                else:
                    text = original + f"\n\nSee also {marker}.\n"
                t0 = time.monotonic()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                while True:
                    status, body = get(url)
                    if marker.encode() in body:
                        break
                    if time.monotonic() - t0 > 60:
                        sys.exit(f"edit {i} never showed up")
                latencies.append((time.monotonic() - t0) * 1000)
                # Let the watcher settle so edits are measured one at a time.
                time.sleep(0.3)
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(original)
        time.sleep(0.5)
        rss = rss_mb(proc.pid, "VmRSS")
        peak = rss_mb(proc.pid, "VmHWM")
    finally:
        proc.terminate()
        proc.wait()

    lat = sorted(latencies)
    p95 = lat[min(len(lat) - 1, round(0.95 * (len(lat) - 1)))]
    print(
        json.dumps(
            {
                "source": args.source,
                "edit": args.edit,
                "documents": len(docs),
                "ready_s": round(ready_s, 2),
                "edits": len(lat),
                "median_ms": round(statistics.median(lat), 1),
                "p95_ms": round(p95, 1),
                "min_ms": round(lat[0], 1),
                "max_ms": round(lat[-1], 1),
                "rss_mb": round(rss, 1),
                "peak_rss_mb": round(peak, 1),
                "latencies_ms": [round(x, 1) for x in latencies],
            }
        )
    )


if __name__ == "__main__":
    main()
