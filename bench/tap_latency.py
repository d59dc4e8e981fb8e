"""End-to-end RegTAP latency with pyvo, as an astronomer's script sees it (used by bench/tap.sh).

Usage: tap_latency.py TAP_URL [RUNS] [OUT_JSON]
Cases (issue 8): a one-word keyword search, a servicetype=tap search, the pyvo#571 case
(keywords quasar + UCD src.redshift%), and get_tables on a service with >= 500 columns.
"""
import json
import statistics
import sys
import time

from pyvo import registry
from pyvo.dal import TAPService

url = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
out = sys.argv[3] if len(sys.argv) > 3 else None
registry.choose_RegTAP_service(url)
tap = TAPService(url)

big = tap.run_sync(
    "SELECT TOP 1 ivoid, COUNT(*) AS n FROM rr.table_column GROUP BY ivoid HAVING COUNT(*) >= 500 ORDER BY n")
big_ivoid = str(big["ivoid"][0]) if len(big) else None
big_res = registry.search(ivoid=big_ivoid)[0] if big_ivoid else None

cases = [
    ("keyword search (1 word, selective)", lambda: registry.search(keywords=["xmm"])),
    ("keyword search (1 word, 454 matches)", lambda: registry.search(keywords=["nebula"])),
    ("keyword search (1 word, 4,366 matches)", lambda: registry.search(keywords=["galaxies"])),
    ("servicetype=tap", lambda: registry.search(servicetype="tap")),
    ("keywords=quasar + ucd=src.redshift% (pyvo#571)",
     lambda: registry.search(keywords=["quasar"], ucd=["src.redshift%"])),
]
if big_res is not None:
    cases.append((f"get_tables ({int(big['n'][0])} columns)", lambda: big_res.get_tables()))

results = {}
for name, fn in cases:
    n = len(fn())  # warm-up, and the result size
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    r = {"rows": n, "p50_ms": round(statistics.median(times), 1),
         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1), "runs": runs}
    results[name] = r
    print(f"{name:50s} rows={n:6d}  p50={r['p50_ms']:7.1f} ms  p95={r['p95_ms']:7.1f} ms  max={r['max_ms']:7.1f} ms")
if out:
    with open(out, "w") as f:
        json.dump(results, f, indent=2)
