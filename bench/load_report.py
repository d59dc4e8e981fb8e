"""Summarises bench/load.sh: per request type, wrk's counts and latency percentiles; the
server's 5xx answers (from its /metrics) and its peak RSS. Exit 1 when a goal is missed
(0 server errors, 0 failed connections, RSS <= 300 MB)."""

import re
import sys
from pathlib import Path

out, server_exit = Path(sys.argv[1]), sys.argv[2]
KINDS = {"oai": "OAI-PMH ListRecords page", "tap": "TAP sync keyword query (pyvo)",
         "search": "/api/search", "pages": "resource page (HTML)"}


def ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


ok = True
rows = []
for kind, label in KINDS.items():
    text = (out / f"load-{kind}.txt").read_text()
    pct = {int(p): ms(v, u) for p, v, u in re.findall(r"^\s+(\d+)%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)}
    req = re.search(r"(\d+) requests in ([\d.]+)(s|m)", text)
    n, secs = int(req.group(1)), float(req.group(2)) * (60 if req.group(3) == "m" else 1)
    non2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", text) or [0, 0])[1])
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    errors = sum(map(int, sock.groups())) if sock else 0
    ok &= non2xx == 0 and errors == 0
    rows.append((label, n, n / secs, pct.get(50), pct.get(90), pct.get(99), non2xx, errors))

metrics = (out / "load-metrics.txt").read_text()
server_5xx = sum(float(v) for v in re.findall(r'voreg_http_requests_total\{[^}]*status="5\d\d"\} ([\d.e+]+)', metrics))
# samples: VmRSS RssAnon RssFile (kB); file-backed pages are the store's mapped pages
samples = [tuple(map(int, line.split())) for line in (out / "load-rss.txt").read_text().splitlines()
           if len(line.split()) == 3]
rss = [s[0] for s in samples]
peak = max(rss) / 1024 if rss else float("nan")
peak_anon = max(s[1] for s in samples) / 1024 if samples else float("nan")
peak_file = max(s[2] for s in samples) / 1024 if samples else float("nan")
ok &= server_5xx == 0 and peak <= 300

print(f"{'request type':34} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'sock err':>8}")
for label, n, rate, p50, p90, p99, non2xx, errors in rows:
    print(f"{label:34} {n:9d} {rate:8.1f} {p50:8.1f} {p90:8.1f} {p99:8.1f} {non2xx:8d} {errors:8d}")
total = sum(r[1] for r in rows)
print(f"total requests {total}; server 5xx answers (metrics) {int(server_5xx)}; "
      f"server RSS peak {peak:.0f} MB (anonymous {peak_anon:.0f} MB, file-backed {peak_file:.0f} MB) over "
      f"{len(rss)} samples (start {rss[0] / 1024 if rss else 0:.0f} MB); "
      f"server stop: {server_exit}")
print("goals (0 server errors, 0 failed connections, RSS <= 300 MB):", "met" if ok else "MISSED")
sys.exit(0 if ok else 1)
