#!/usr/bin/env bash
# Load run (issue 9, used by `make bench` after bench/run.sh has built the store): `voreg serve`
# on the 30,000-resource store, and 64 concurrent clients for 60 s on loopback — four `wrk`
# instances of 16 connections, one per request type, at the same time: OAI-PMH ListRecords
# pages (following resumption tokens), TAP sync keyword queries (pyvo's), /api/search and
# resource pages. Reports per type: requests, rate, p50/p90/p99 latency, non-2xx answers and
# socket errors; the server's 5xx count (its /metrics) and its RSS, sampled every 0.5 s.
#   VOREG             voreg binary (default .build/release/voreg)
#   BENCH_OUT         directory of run.sh's output (default bench/out)
#   LOAD_SECONDS      duration (default 60)
#   LOAD_CONNECTIONS  connections per request type (default 16, four types: 64 clients)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
use_bench_store bench/load.sh
SECONDS_RUN="${LOAD_SECONDS:-60}"
CONNS="${LOAD_CONNECTIONS:-16}"
bash scripts/ensure-tools.sh wrk

# identifiers for the resource pages: 2,000 public active records
"$PY" - "$DB" "$OUT/load-ivoids.txt" <<'PY'
import random, sqlite3, sys
con = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
ids = [r[0] for r in con.execute(
    "SELECT ivoid FROM records WHERE status = 'active' AND visibility = 'public'")]
random.seed(9)
open(sys.argv[2], "w").write("\n".join(random.sample(ids, min(2000, len(ids)))) + "\n")
PY

start_voreg "$DB" "$OUT/load-serve.log"
BASE="http://127.0.0.1:$SERVER_PORT"
echo "== load: 4 x $CONNS connections for $SECONDS_RUN s on $DB (voreg serve pid $SERVER_PID)"

( while kill -0 "$SERVER_PID" 2>/dev/null; do
      awk '/^VmRSS:/ {t=$2} /^RssAnon:/ {a=$2} /^RssFile:/ {f=$2} END {if (t) print t, a, f}' \
          "/proc/$SERVER_PID/status" 2>/dev/null || true
      sleep 0.5
  done ) > "$OUT/load-rss.txt" &
SAMPLER=$!

export LOAD_LUA_DIR="$ROOT/bench/load" LOAD_IVOIDS="$OUT/load-ivoids.txt"
pids=()
for kind in oai tap search pages; do
    wrk -t1 -c"$CONNS" -d"${SECONDS_RUN}s" --timeout 30s --latency -s "bench/load/$kind.lua" "$BASE" \
        > "$OUT/load-$kind.txt" 2>&1 &
    pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
curl -s "$BASE/metrics" > "$OUT/load-metrics.txt"
kill "$SAMPLER" 2>/dev/null || true
stop_voreg
"$PY" bench/load_report.py "$OUT" "$SERVER_EXIT" | tee "$OUT/load.txt"
