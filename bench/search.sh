#!/usr/bin/env bash
# /api/search latency benchmark (used by `make bench`, after bench/run.sh has filled the store):
# serves the generated 30,000-resource store with `voreg serve` and measures p50/p95 of
# one-word, three-word and filtered queries with bench/search_client.py (sequential requests,
# each query list repeated; the first round warms the caches and is not counted).
#   VOREG      voreg binary      (default .build/release/voreg)
#   BENCH_OUT  output directory  (default bench/out)
#   PORT       port on 127.0.0.1 (default: a free one)
#   ROUNDS     measured rounds   (default 20)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
use_bench_store bench/search.sh
ROUNDS="${ROUNDS:-20}"

start_voreg "$DB" "$OUT/search-serve.log"
PORT=$SERVER_PORT
python3 bench/search_client.py "http://127.0.0.1:$PORT" "$ROUNDS" | tee "$OUT/search.txt"
stop_voreg
trap - EXIT
