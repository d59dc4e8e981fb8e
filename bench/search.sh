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
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VOREG="${VOREG:-.build/release/voreg}"
OUT="${BENCH_OUT:-bench/out}"
ROUNDS="${ROUNDS:-20}"
DB="$OUT/bench.sqlite"
[ -x "$VOREG" ] || { echo "search: voreg not built: run swift build -c release" >&2; exit 2; }
[ -f "$DB" ] || { echo "search: $DB missing: run bench/run.sh first" >&2; exit 2; }

. bench/lib.sh
start_voreg "$DB" "$OUT/search-serve.log"
PORT=$SERVER_PORT
python3 bench/search_client.py "http://127.0.0.1:$PORT" "$ROUNDS" | tee "$OUT/search.txt"
stop_voreg
trap - EXIT
