#!/usr/bin/env bash
# RegTAP latency benchmark (used by `make bench`, after bench/run.sh has built the store):
# serves bench/out/bench.sqlite and times pyvo registry searches end to end (HTTP included).
#   VOREG      voreg binary (default .build/release/voreg)
#   BENCH_OUT  directory of run.sh's output (default bench/out)
#   BENCH_RUNS runs per case (default 50)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
use_bench_store bench/tap.sh
start_voreg "$DB" "$OUT/tap-serve.log"
PORT=$SERVER_PORT
echo "== RegTAP latency (pyvo, end to end, ${BENCH_RUNS:-50} runs per case) on $DB"
"$PY" bench/tap_latency.py "http://127.0.0.1:$PORT/tap" "${BENCH_RUNS:-50}" "$OUT/tap.json" | tee "$OUT/tap.txt"
