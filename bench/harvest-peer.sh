#!/usr/bin/env bash
# Peer harvest benchmark (used by `make bench`, after bench/run.sh has filled the store):
# serves the 30,000-resource store with one `voreg serve` on 127.0.0.1 and harvests it with
# `voreg harvest` into a second, fresh store: a full harvest (end to end: HTTP, parsing,
# RegTAP mapping, store) with the query indexes live, the same with --bulk (indexes dropped
# and rebuilt: a first load), then incremental harvests with no changes — with the default
# one-day overlap (which re-sends every record stamped in the last day: here, all of them)
# and with the overlap set to zero.
#   VOREG      voreg binary      (default .build/release/voreg)
#   BENCH_OUT  output directory  (default bench/out)
#   PORT       port on 127.0.0.1 (default: a free one)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. bench/lib.sh
use_bench_store bench/harvest-peer.sh
SRC="$DB"
DST="$OUT/harvest-peer.sqlite"

start_voreg "$SRC" "$OUT/harvest-peer-serve.log"
PORT=$SERVER_PORT
URL="http://127.0.0.1:$PORT/oai"
rm -f "$DST" "$DST-wal" "$DST-shm"

summary() {  # summary REPORT.json -> one line
    python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
c = r["counts"]
print(f'{r["mode"]}: {c["pages"]} pages, {c["added"] + c["updated"] + c["unchanged"] + c["deleted"] + c["rejected"] + c["conflicts"]} records '
      f'(added {c["added"]}, unchanged {c["unchanged"]}, deleted {c["deleted"]}, rejected {c["rejected"]}) '
      f'in {r["seconds"]:.2f} s = {r["records_per_second"]:.0f} records/s'
      + ("" if r["succeeded"] else f' FAILED: {r.get("error")}'))
PY
}
run() {  # run NAME STORE ARGS...
    local name=$1 db=$2; shift 2
    /usr/bin/time -v -o "$OUT/harvest-peer-$name.time" \
        "$VOREG" harvest --database "$db" --json "$@" "$URL" > "$OUT/harvest-peer-$name.json" 2> "$OUT/harvest-peer-$name.err"
}
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$OUT/harvest-peer-$1.time"; }
rss() { awk -F': ' '/Maximum resident/ { printf "%d", $2 / 1024 }' "$OUT/harvest-peer-$1.time"; }

run full "$OUT/harvest-peer-live.sqlite"
rm -f "$OUT/harvest-peer-live.sqlite"*
run full-bulk "$DST" --bulk
run incremental "$DST"
run incremental-no-overlap "$DST" --overlap 0
stop_voreg
trap - EXIT
{
    echo "=================== VORegistry peer harvest benchmark (voreg harvest) ==================="
    echo "source: $SRC served by voreg serve on 127.0.0.1; target: fresh $DST"
    echo "full harvest, live indexes:          $(summary "$OUT/harvest-peer-full.json")"
    echo "                                     process wall $(wall full), peak RSS $(rss full) MB (goal >= 1,500 records/s)"
    echo "full harvest, --bulk:                $(summary "$OUT/harvest-peer-full-bulk.json")"
    echo "                                     process wall $(wall full-bulk), peak RSS $(rss full-bulk) MB (goal >= 1,500 records/s)"
    echo "incremental, no changes, overlap 1d: $(summary "$OUT/harvest-peer-incremental.json"), wall $(wall incremental)"
    echo "incremental, no changes, overlap 0:  $(summary "$OUT/harvest-peer-incremental-no-overlap.json"), wall $(wall incremental-no-overlap) (goal <= 1 s)"
    echo "store: $(du -m "$DST" | cut -f1) MB"
    echo "========================================================================================="
} | tee "$OUT/harvest-peer.txt"
