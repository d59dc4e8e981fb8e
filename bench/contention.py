"""An expensive ADQL query next to keyword searches (issue 9; used by bench/contention.sh).

Usage: contention.py TAP_URL [RUNS]
Measures pyvo keyword searches (registry.search(keywords=["xmm"])) on an idle server, then
while `SELECT COUNT(*)` over a cross join of rr.table_column with itself runs (it ends at the
server's synchronous time limit with a TAP error), in alternating phases; prints both p50s,
their ratio, and how and when the cross join ended.
"""
import statistics
import sys
import threading
import time

import requests
from pyvo import registry

url = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 40
registry.choose_RegTAP_service(url)
CROSS_JOIN = ("SELECT COUNT(*) FROM rr.table_column AS a CROSS JOIN rr.table_column AS b "
              "WHERE a.name || b.name = 'never-there'")


def keyword() -> float:
    t0 = time.perf_counter()
    registry.search(keywords=["xmm"])
    return time.perf_counter() - t0


ended: list[tuple[float, int, str]] = []


def expensive(stop: threading.Event):
    while not stop.is_set():
        t0 = time.perf_counter()
        r = requests.post(url + "/sync", data={"REQUEST": "doQuery", "LANG": "ADQL", "QUERY": CROSS_JOIN},
                          timeout=600)
        ended.append((time.perf_counter() - t0, r.status_code, r.text))


for _ in range(5):
    keyword()
idle, busy = [], []
for _ in range(2):
    idle += [keyword() for _ in range(runs // 2)]
    stop = threading.Event()
    t = threading.Thread(target=expensive, args=(stop,))
    t.start()
    time.sleep(0.5)
    busy += [keyword() for _ in range(runs // 2)]
    stop.set()
    t.join()

p_idle, p_busy = statistics.median(idle), statistics.median(busy)
seconds, status, text = ended[0]
message = text.split('name="QUERY_STATUS" value="ERROR">', 1)[-1].split("<", 1)[0].strip()
print(f"keyword search (pyvo, keywords=['xmm']) p50: idle {p_idle * 1000:.1f} ms, "
      f"during the cross join {p_busy * 1000:.1f} ms (ratio {p_busy / p_idle:.2f}; goal <= 2)")
print(f"cross join of rr.table_column with itself: HTTP {status} after {seconds:.1f} s: {message[:160]}")
sys.exit(0 if status >= 400 and p_busy <= 2 * p_idle else 1)
