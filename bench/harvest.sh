#!/usr/bin/env bash
# OAI-PMH harvest benchmark (used by `make bench`, after bench/run.sh has filled the store):
# starts `voreg serve` on the benchmark store, harvests every record with
# bench/harvest_client.py (following resumption tokens), and reports records/s and the
# server's resident memory before and after (VmRSS / VmHWM from /proc).
#   VOREG      voreg binary      (default .build/release/voreg)
#   BENCH_OUT  output directory  (default bench/out)
#   PORT       port on 127.0.0.1 (default: a free one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
use_bench_store bench/harvest.sh
start_voreg "$DB" "$OUT/serve.log"
PORT=$SERVER_PORT
PID=$SERVER_PID
rss() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$PID/status"; }
before=$(rss VmRSS)
line=$(python3 bench/harvest_client.py "http://127.0.0.1:$PORT/oai")
peak=$(rss VmHWM)
stop_voreg
stopped=$SERVER_EXIT
{
    echo "==================== VORegistry OAI-PMH harvest benchmark ===================="
    echo "$line"
    echo "server RSS: ${before} MB before, peak ${peak} MB, growth $((peak - before)) MB (goal < 100 MB)"
    echo "server stop on SIGTERM: $stopped"
    echo "=============================================================================="
} | tee "$OUT/harvest.txt"
