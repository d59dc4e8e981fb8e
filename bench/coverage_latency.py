"""End-to-end latency of pyvo position searches (registry.Spatial) on the bench store
(used by bench/coverage.sh).

Usage: coverage_latency.py TAP_URL [RUNS] [OUT_JSON]
Each run searches at a different random position (so no cache of one answer helps): a point,
a 1 degree circle, and a 1 degree circle with intersect="overlaps".
"""
import json
import random
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
with_moc = tap.run_sync("SELECT COUNT(*) AS n FROM rr.stc_spatial")["n"][0]
total = tap.run_sync("SELECT COUNT(*) AS n FROM rr.resource")["n"][0]
print(f"resources: {total}, with a MOC: {with_moc}")

rng = random.Random(1)


def position():
    import math
    return rng.uniform(0, 360), math.degrees(math.asin(rng.uniform(-1, 1)))


cases = [
    ("Spatial point", lambda lon, lat: registry.search(registry.Spatial((lon, lat)))),
    ("Spatial 1 deg circle", lambda lon, lat: registry.search(registry.Spatial((lon, lat, 1)))),
    ("Spatial 1 deg circle, overlaps",
     lambda lon, lat: registry.search(registry.Spatial((lon, lat, 1), intersect="overlaps"))),
]
results = {}
for name, fn in cases:
    fn(*position())  # warm-up
    times, sizes = [], []
    for _ in range(runs):
        lon, lat = position()
        t0 = time.perf_counter()
        n = len(fn(lon, lat))
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(n)
    times.sort()
    r = {"mean_rows": round(statistics.mean(sizes), 1), "p50_ms": round(statistics.median(times), 1),
         "p95_ms": round(times[int(0.95 * (len(times) - 1))], 1), "max_ms": round(times[-1], 1), "runs": runs}
    results[name] = r
    print(f"{name:34s} rows~{r['mean_rows']:7.1f}  p50={r['p50_ms']:7.1f} ms  p95={r['p95_ms']:7.1f} ms"
          f"  max={r['max_ms']:7.1f} ms")
if out:
    with open(out, "w") as f:
        json.dump({"resources": int(total), "with_moc": int(with_moc), "cases": results}, f, indent=2)
