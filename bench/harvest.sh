#!/usr/bin/env bash
# OAI-PMH harvest benchmark (used by `make bench`, after bench/run.sh has filled the store):
# starts `voreg serve` on the benchmark store, harvests every record with
# bench/harvest_client.py (following resumption tokens), and reports records/s and the
# server's resident memory before and after (VmRSS / VmHWM from /proc).
#   VOREG      voreg binary      (default .build/release/voreg)
#   BENCH_OUT  output directory  (default bench/out)
#   PORT       port on 127.0.0.1 (default 18080)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VOREG="${VOREG:-.build/release/voreg}"
OUT="${BENCH_OUT:-bench/out}"
PORT="${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}"
DB="$OUT/bench.sqlite"
[ -x "$VOREG" ] || { echo "harvest: voreg not built: run swift build -c release" >&2; exit 2; }
[ -f "$DB" ] || { echo "harvest: $DB missing: run bench/run.sh first" >&2; exit 2; }

"$VOREG" serve --database "$DB" --listen "127.0.0.1:$PORT" > "$OUT/serve.log" 2>&1 &
PID=$!
trap 'kill -TERM $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    python3 - "$PORT" <<'PY' && break
import socket, sys
s = socket.socket(); s.settimeout(0.2)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
    sleep 0.1
done
rss() { awk -v k="$1" '$1 == k":" { print int($2 / 1024) }' "/proc/$PID/status"; }
before=$(rss VmRSS)
line=$(python3 bench/harvest_client.py "http://127.0.0.1:$PORT/oai")
peak=$(rss VmHWM)
kill -TERM "$PID"
wait "$PID" && stopped="exit 0" || stopped="exit $?"
trap - EXIT
{
    echo "==================== VORegistry OAI-PMH harvest benchmark ===================="
    echo "$line"
    echo "server RSS: ${before} MB before, peak ${peak} MB, growth $((peak - before)) MB (goal < 100 MB)"
    echo "server stop on SIGTERM: $stopped"
    echo "=============================================================================="
} | tee "$OUT/harvest.txt"
