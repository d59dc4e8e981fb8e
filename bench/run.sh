#!/usr/bin/env bash
# VORegistry ingest benchmark (used by `make bench`).
#
#   1. generate (or reuse) a synthetic VO-sized registry as OAI-PMH pages
#   2. time the parse-only floor: xmllint --stream over all pages
#   3. time `voreg import` into a fresh SQLite store (wall time, peak RSS)
#   4. time a second import of the same corpus (idempotence: must store 0)
#
# Environment knobs:
#   BENCH_RESOURCES  number of resources        (default 30000)
#   BENCH_SEED       generator seed             (default 42)
#   BENCH_PAGE_SIZE  records per OAI page       (default 500)
#   VOREG            voreg binary               (default .build/release/voreg)
#   BENCH_OUT        output directory           (default bench/out)
#
# Results: printed at the end and written to $BENCH_OUT/results.txt
# (and results.json).  See bench/README.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BENCH_RESOURCES="${BENCH_RESOURCES:-30000}"
BENCH_SEED="${BENCH_SEED:-42}"
BENCH_PAGE_SIZE="${BENCH_PAGE_SIZE:-500}"
VOREG="${VOREG:-.build/release/voreg}"
OUT="${BENCH_OUT:-bench/out}"
CORPUS="$OUT/corpus"
DB="$OUT/bench.sqlite"
STAMP="$OUT/corpus.stamp"
RESULTS="$OUT/results.txt"

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

for v in BENCH_RESOURCES BENCH_SEED BENCH_PAGE_SIZE; do
    [[ "${!v}" =~ ^[0-9]+$ ]] || die "$v must be a non-negative integer (got '${!v}')"
done

SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

apt_install() {  # apt_install PACKAGE
    command -v apt-get >/dev/null 2>&1 || die "$1 is missing and apt-get is not available; install it by hand"
    log "installing $1 (apt-get)"
    if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$1" >/dev/null; then
        $SUDO apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q "$1" >/dev/null
    fi
}

command -v python3 >/dev/null 2>&1 || die "python3 is required"
command -v xmllint >/dev/null 2>&1 || apt_install libxml2-utils
command -v xmllint >/dev/null 2>&1 || die "xmllint still missing after installing libxml2-utils"
[ -x /usr/bin/time ] || apt_install time
[ -x /usr/bin/time ] || die "/usr/bin/time still missing after installing time"

mkdir -p "$OUT"

# ---------------------------------------------------------------- corpus
GEN=bench/generate_registry.py
gen_hash="$(python3 -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest()[:16])' "$GEN")"
want_stamp="seed=$BENCH_SEED resources=$BENCH_RESOURCES page_size=$BENCH_PAGE_SIZE generator=$gen_hash"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want_stamp" ] && [ -f "$CORPUS/MANIFEST.json" ]; then
    log "corpus up to date ($want_stamp)"
else
    log "generating corpus: $want_stamp"
    rm -rf "$CORPUS" "$STAMP"
    python3 "$GEN" --seed "$BENCH_SEED" --resources "$BENCH_RESOURCES" \
        --page-size "$BENCH_PAGE_SIZE" --out "$CORPUS"
    printf '%s\n' "$want_stamp" > "$STAMP"
fi

# ---------------------------------------------------------------- parse floor
log "parse floor: xmllint --stream --noout over $CORPUS"
floor_rc=0
/usr/bin/time -v -o "$OUT/floor.time" \
    sh -c 'find "$1" -name "page-*.xml" -print0 | sort -z | xargs -0 xmllint --stream --noout' \
    sh "$CORPUS" >"$OUT/floor.log" 2>&1 || floor_rc=$?
[ "$floor_rc" = 0 ] || { tail -5 "$OUT/floor.log" >&2; die "xmllint --stream failed (rc $floor_rc): corpus not well-formed?"; }

# ---------------------------------------------------------------- import
import_status="ok"
if [ ! -x "$VOREG" ]; then
    import_status="missing"
else
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
    log "import #1: $VOREG import --database $DB $CORPUS"
    rc=0
    /usr/bin/time -v -o "$OUT/import1.time" \
        "$VOREG" import --database "$DB" --json "$CORPUS" >"$OUT/import1.out" 2>"$OUT/import1.err" || rc=$?
    if [ "$rc" != 0 ]; then
        import_status="failed"
        tail -20 "$OUT/import1.err" >&2
        printf 'voreg import failed (exit %s); see %s\n' "$rc" "$OUT/import1.err" >&2
    else
        log "import #2 (re-import, expect stored 0)"
        rc=0
        /usr/bin/time -v -o "$OUT/import2.time" \
            "$VOREG" import --database "$DB" --json "$CORPUS" >"$OUT/import2.out" 2>"$OUT/import2.err" || rc=$?
        if [ "$rc" != 0 ]; then
            import_status="reimport-failed"
            tail -20 "$OUT/import2.err" >&2
            printf 'voreg re-import failed (exit %s); see %s\n' "$rc" "$OUT/import2.err" >&2
        fi
    fi
fi

# ---------------------------------------------------------------- report
python3 - "$OUT" "$CORPUS" "$DB" "$import_status" "$RESULTS" <<'PYEOF'
import json, os, re, sqlite3, sys

out, corpus, db, status, results = sys.argv[1:6]
manifest = json.load(open(os.path.join(corpus, "MANIFEST.json")))


def gnu_time(path):
    """wall seconds and peak RSS (kB) from a /usr/bin/time -v file"""
    wall = rss = None
    try:
        text = open(path).read()
    except OSError:
        return None, None
    m = re.search(r"Elapsed \(wall clock\) time.*?: (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)", text)
    if m:
        wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    if m:
        rss = int(m.group(1))
    return wall, rss


def summary(path):
    """counts from voreg import --json, falling back to the text summary line"""
    try:
        text = open(path).read()
    except OSError:
        return None
    try:
        obj = json.loads(text)
        return {k: int(obj.get(k, 0)) for k in ("read", "stored", "unchanged", "deleted", "rejected")}
    except (ValueError, AttributeError):
        pass
    m = re.search(r"read (\d+), stored (\d+), unchanged (\d+), deleted (\d+), rejected (\d+)", text)
    if m:
        return dict(zip(("read", "stored", "unchanged", "deleted", "rejected"), map(int, m.groups())))
    return None


def db_counts(path):
    try:
        con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        res = con.execute("select count(*) from rr_resource").fetchone()[0]
        tab = con.execute("select count(*) from rr_res_table").fetchone()[0]
        col = con.execute("select count(*) from rr_table_column").fetchone()[0]
        con.close()
        return res, tab, col
    except Exception as exc:   # store layout not there (yet)
        return None


def mb(n):
    return n / 1e6


floor_wall, _ = gnu_time(os.path.join(out, "floor.time"))
lines = []
data = {"corpus": {k: manifest[k] for k in ("seed", "resources", "deleted", "records", "pages",
                                             "tables", "columns", "bytes")},
        "floor_seconds": floor_wall, "import_status": status}
lines.append("corpus: %d resources (%d inactive, +%d deleted headers) in %d pages, %d tables, %d columns, "
             "%.1f MB (seed %d)"
             % (manifest["resources"], manifest.get("inactive", 0), manifest["deleted"], manifest["pages"],
                manifest["tables"], manifest["columns"], mb(manifest["bytes"]), manifest["seed"]))
lines.append("parse floor (xmllint --stream): %.2f s = %.0f MB/s" % (floor_wall, mb(manifest["bytes"]) / floor_wall)
             if floor_wall else "parse floor (xmllint --stream): n/a")

if status == "missing":
    lines.append("ingest: not run (voreg not built: run swift build -c release)")
else:
    wall, rss = gnu_time(os.path.join(out, "import1.time"))
    s1 = summary(os.path.join(out, "import1.out"))
    if status == "failed" or wall is None:
        lines.append("ingest: FAILED (see %s)" % os.path.join(out, "import1.err"))
    else:
        stored = s1["stored"] if s1 else None
        counts = db_counts(db)
        if counts:
            n_res, n_tab, n_col = counts
            src = "in store"
        else:
            n_res, n_tab, n_col = stored, manifest["tables"], manifest["columns"]
            src = "from corpus manifest"
        rate = (stored / wall) if (stored is not None and wall > 0) else None
        lines.append("ingest: %s resources stored, %s columns (%s) in %.2f s = %s resources/s"
                     % (stored if stored is not None else "?", n_col, src, wall,
                        "%.0f" % rate if rate is not None else "?"))
        if s1:
            lines.append("  import summary: read %(read)d, stored %(stored)d, unchanged %(unchanged)d, "
                         "deleted %(deleted)d, rejected %(rejected)d" % s1)
            if s1["rejected"]:
                lines.append("  WARNING: %d records rejected (see %s)" % (s1["rejected"], os.path.join(out, "import1.out")))
        if counts:
            lines.append("  store rows: rr_resource %d, rr_res_table %d, rr_table_column %d" % counts)
            want = manifest.get("active_columns", manifest["columns"])
            if n_col != want:
                lines.append("  WARNING: corpus has %d columns in active records, store has %d" % (want, n_col))
        if floor_wall:
            ratio = wall / floor_wall
            lines.append("ratio: %.1fx (goal <= 3x) %s" % (ratio, "OK" if ratio <= 3.0 else "MISSED"))
            data["ratio"] = ratio
        size = sum(os.path.getsize(db + sfx) for sfx in ("", "-wal") if os.path.exists(db + sfx))
        lines.append("store: %.0f MB (%s%s)" % (mb(size), db, " + WAL" if os.path.exists(db + "-wal") and os.path.getsize(db + "-wal") else ""))
        lines.append("peak RSS: %.0f MB" % (rss / 1024.0) if rss else "peak RSS: n/a")
        data.update({"import_seconds": wall, "stored": stored, "resources_per_second": rate,
                     "store_bytes": size, "peak_rss_kb": rss, "import": s1,
                     "store_rows": dict(zip(("rr_resource", "rr_res_table", "rr_table_column"), counts)) if counts else None})
        wall2, rss2 = gnu_time(os.path.join(out, "import2.time"))
        s2 = summary(os.path.join(out, "import2.out"))
        if status == "reimport-failed" or wall2 is None:
            lines.append("re-import: FAILED (see %s)" % os.path.join(out, "import2.err"))
        else:
            st2 = s2["stored"] if s2 else None
            lines.append("re-import (idempotence): %.2f s, stored %s, unchanged %s%s"
                         % (wall2, st2 if st2 is not None else "?", s2["unchanged"] if s2 else "?",
                            "" if st2 == 0 else "  WARNING: expected stored 0"))
            data.update({"reimport_seconds": wall2, "reimport": s2, "reimport_peak_rss_kb": rss2})

block = "\n".join(lines)
print("\n==================== VORegistry ingest benchmark ====================")
print(block)
print("=====================================================================")
with open(results, "w") as fh:
    fh.write(block + "\n")
with open(os.path.splitext(results)[0] + ".json", "w") as fh:
    json.dump(data, fh, indent=1, sort_keys=True)
    fh.write("\n")
PYEOF

case "$import_status" in
    ok) exit 0 ;;
    missing) printf 'voreg not built: run swift build -c release (no executable at %s)\n' "$VOREG" >&2; exit 2 ;;
    *) exit 1 ;;
esac
