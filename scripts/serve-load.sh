#!/usr/bin/env bash
# Load test of `specsite serve` over real HTTP on 127.0.0.1, on a copy of the example
# site:
#   1. 64 concurrent clients (keep-alive connections) fetch the site's pages for
#      DURATION seconds (default 30): every response must be 200 with a body, and the
#      server's resident memory at the end may be at most 10% above what it was after
#      a warm-up (every page once, then the 64 clients for 5 s, so connection buffers,
#      worker threads and caches exist before the baseline is taken). RSS is sampled
#      every 5 s and printed, so a plateau and a leak can be told apart.
#   2. 200 saves of one spec within one second (its title numbered 1…200): the page
#      must then show save 200, the final state; the time until it does is printed.
# Exits 1 when a target is missed. Needs python3.
#
# usage: scripts/serve-load.sh [DURATION]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30}
WORK=$(mktemp -d /tmp/specsite-serve-load.XXXXXX)
cargo build --release --quiet
BIN=$PWD/target/release/specsite
cp -r example-site "$WORK/site"
rm -rf "$WORK/site/public"
# The page list: every HTML page a build of the same site writes.
"$BIN" build "$WORK/site" --out "$WORK/built" --keep-going >/dev/null 2>&1 || true
(cd "$WORK/built" && find . -name '*.html' | sed 's|^\./||; s|index\.html$||') >"$WORK/pages"
PORT=$((20000 + RANDOM % 20000))
"$BIN" serve "$WORK/site" --port "$PORT" >"$WORK/serve.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT

python3 - "$PORT" "$SERVER" "$WORK" "$DURATION" <<'PY'
import http.client, os, sys, threading, time, re

port, pid, work, duration = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
pages = ["/" + p for p in open(os.path.join(work, "pages")).read().split()]

def rss_kb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

def get(conn, path):
    conn.request("GET", path)
    r = conn.getresponse()
    body = r.read()
    return r.status, body

# Wait for the server.
for _ in range(600):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        if get(c, "/")[0] == 200:
            break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("the server did not start")

# Warm-up: every page once, so caches are as full as they get.
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
for p in pages:
    get(c, p)

counts = {"ok": 0, "errors": 0}
errors = []
lock = threading.Lock()

def client(n):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    i, ok, bad = n, 0, 0
    while time.monotonic() < stop:
        path = pages[i % len(pages)]
        i += 7
        try:
            status, body = get(conn, path)
            if status == 200 and body:
                ok += 1
            else:
                bad += 1
                with lock:
                    errors.append(f"{path}: {status}")
        except Exception as e:  # a refused or dropped connection is an error too
            bad += 1
            with lock:
                errors.append(f"{path}: {e!r}")
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    with lock:
        counts["ok"] += ok
        counts["errors"] += bad

def run(seconds, samples=None):
    global stop
    stop = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(n,)) for n in range(64)]
    for t in threads:
        t.start()
    while samples is not None and any(t.is_alive() for t in threads):
        time.sleep(5)
        samples.append(rss_kb() / 1024)
    for t in threads:
        t.join()

run(5)
counts["ok"] = counts["errors"] = 0
rss_start = rss_kb()
samples = []
t0 = time.monotonic()
run(duration, samples)
elapsed = time.monotonic() - t0
rss_end = rss_kb()
growth = (rss_end - rss_start) / rss_start * 100
print(f"64 clients, {elapsed:.1f} s: {counts['ok']} pages ({counts['ok'] / elapsed:.0f}/s), "
      f"{counts['errors']} errors; RSS {rss_start / 1024:.1f} MB after warm-up -> "
      f"{rss_end / 1024:.1f} MB at the end ({growth:+.1f}%)")
print("  RSS every 5 s (MB):", " ".join(f"{m:.1f}" for m in samples))
for e in errors[:5]:
    print("  error:", e)

# 200 saves within one second.
spec = os.path.join(work, "site", "features", "pay-101-instant-payouts.md")
text = open(spec).read()
original_title = re.search(r"^title: .*$", text, re.M).group(0)
t0 = time.monotonic()
for n in range(1, 201):
    with open(spec, "w") as f:
        f.write(text.replace(original_title, f"title: Instant payouts save {n}", 1))
    time.sleep(max(0, t0 + n / 200 - time.monotonic()))
saved = time.monotonic() - t0
final = None
deadline = time.monotonic() + 30
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
while time.monotonic() < deadline:
    status, body = get(c, "/features/pay-101/")
    if b"Instant payouts save 200<" in body:
        final = time.monotonic() - t0 - saved
        break
    time.sleep(0.02)
shown = re.search(rb"Instant payouts save \d+", body)
print(f"200 saves in {saved:.2f} s; final state served {final:.2f} s after the last save"
      if final is not None else
      f"200 saves in {saved:.2f} s; final state NOT served after 30 s (shows {shown.group(0) if shown else None})")
failed = counts["errors"] > 0 or growth > 10 or final is None
sys.exit(1 if failed else 0)
PY
