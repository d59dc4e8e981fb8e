#!/usr/bin/env bash
# An expensive ADQL query (a cross join of rr.table_column, 1.7 million rows, with itself)
# ends at the synchronous time limit with a TAP error while pyvo keyword searches keep their
# latency (used by `make bench`, after bench/run.sh has built the store).
#   VOREG             voreg binary (default .build/release/voreg)
#   BENCH_OUT         directory of run.sh's output (default bench/out)
#   TAP_SYNC_TIMEOUT  the server's limit in seconds (default 30, the server's default)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
use_bench_store bench/contention.sh
start_voreg "$DB" "$OUT/contention-serve.log" --tap-sync-timeout "${TAP_SYNC_TIMEOUT:-30}"
echo "== expensive ADQL next to keyword searches on $DB (time limit ${TAP_SYNC_TIMEOUT:-30} s)"
"$PY" bench/contention.py "http://127.0.0.1:$SERVER_PORT/tap" "${BENCH_RUNS:-40}" | tee "$OUT/contention.txt"
stop_voreg
