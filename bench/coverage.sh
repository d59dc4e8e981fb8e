#!/usr/bin/env bash
# Position search benchmark (used by `make bench`, after bench/run.sh has built the store):
# serves bench/out/bench.sqlite and times pyvo registry.Spatial searches end to end.
#   VOREG      voreg binary (default .build/release/voreg)
#   BENCH_OUT  directory of run.sh's output (default bench/out)
#   BENCH_RUNS runs per case (default 50)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
use_bench_store bench/coverage.sh
start_voreg "$DB" "$OUT/coverage-serve.log"
PORT=$SERVER_PORT
echo "== Position search latency (pyvo Spatial, end to end, ${BENCH_RUNS:-50} runs per case) on $DB"
"$PY" bench/coverage_latency.py "http://127.0.0.1:$PORT/tap" "${BENCH_RUNS:-50}" "$OUT/coverage.json" | tee "$OUT/coverage.txt"
