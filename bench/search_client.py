#!/usr/bin/env python3
"""Times /api/search: p50 and p95 per query class, sequential requests, one warm-up round."""
import statistics
import sys
import time
import urllib.parse
import urllib.request

CLASSES = {
    "one word": [{"q": w} for w in ["survey", "gaia", "photometry", "galaxies", "spectra", "quasars",
                                     "radio", "catalogue", "stars", "clusters"]],
    "three words": [{"q": q} for q in ["gaia proper motions", "infrared photometric survey",
                                        "radial velocity catalogue", "x-ray point sources",
                                        "galaxy redshift survey", "hst deep field", "variable star catalogue",
                                        "spectra of quasars", "radio continuum survey", "open cluster members"]],
    "filtered": [{"q": "survey", "servicetype": "tap"}, {"q": "catalogue", "waveband": "optical"},
                 {"q": "", "servicetype": "scs", "waveband": "infrared"}, {"q": "stars", "type": "vs:catalogservice"},
                 {"q": "gaia", "servicetype": "tap", "waveband": "optical"}, {"q": "", "servicetype": "sia"},
                 {"q": "spectra", "servicetype": "ssa"}, {"q": "galaxies", "waveband": "radio"},
                 {"q": "", "type": "vs:datacollection"}, {"q": "photometry", "servicetype": "tap"}],
    "browse (empty q)": [{"q": ""}],
}


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def main():
    base, rounds = sys.argv[1], int(sys.argv[2])
    print("==================== VORegistry /api/search benchmark ====================")
    for name, queries in CLASSES.items():
        times, totals = [], []
        for r in range(rounds + 1):
            for params in queries:
                url = base + "/api/search?" + urllib.parse.urlencode(params)
                t0 = time.perf_counter()
                with urllib.request.urlopen(url, timeout=30) as resp:
                    body = resp.read()
                    assert resp.status == 200
                dt = (time.perf_counter() - t0) * 1000
                if r > 0:
                    times.append(dt)
                    if r == 1:
                        totals.append(int(body.split(b'"total":', 1)[1].split(b",", 1)[0].split(b"}", 1)[0]))
        print(f"{name:18s} n={len(times):4d}  p50 {statistics.median(times):6.1f} ms  p95 {pct(times, 95):6.1f} ms"
              f"  (matches per query: median {int(statistics.median(totals))}, max {max(totals)})")
    print("goal: p50 <= 20 ms, p95 <= 60 ms")
    print("==========================================================================")


if __name__ == "__main__":
    main()
