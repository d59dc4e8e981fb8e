# Shared by the bench/*.sh scripts (sourced): start `voreg serve` on a store and wait for it.
#
#   start_voreg DB LOG [serve args...]   sets SERVER_PID and SERVER_PORT ($PORT if set, else a
#                                        free port), returns once the port accepts connections;
#                                        stops the server on exit unless the caller takes over
#   stop_voreg                           SIGTERM and wait; sets SERVER_EXIT ("exit N")
#   use_bench_store SCRIPT               sets ROOT, VOREG, OUT, DB and PY for a script that runs
#                                        on the store bench/run.sh builds; exits if it is missing

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

start_voreg() {
    local db="$1" log="$2"
    shift 2
    SERVER_PORT="${PORT:-$(free_port)}"
    "$VOREG" serve --database "$db" --listen "127.0.0.1:$SERVER_PORT" "$@" > "$log" 2>&1 &
    SERVER_PID=$!
    trap 'kill -TERM $SERVER_PID 2>/dev/null; wait $SERVER_PID 2>/dev/null || true' EXIT
    local i
    for i in $(seq 1 600); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "voreg serve exited; see $log" >&2
            exit 1
        fi
        python3 - "$SERVER_PORT" <<'PY' && return 0
import socket, sys
s = socket.socket(); s.settimeout(0.2)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)
PY
        sleep 0.1
    done
    echo "voreg serve did not answer on port $SERVER_PORT; see $log" >&2
    exit 1
}

stop_voreg() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    trap - EXIT
    if wait "$SERVER_PID"; then SERVER_EXIT="exit 0"; else SERVER_EXIT="exit $?"; fi
}

use_bench_store() {
    ROOT="$PWD"
    VOREG="${VOREG:-.build/release/voreg}"
    OUT="${BENCH_OUT:-bench/out}"
    DB="$OUT/bench.sqlite"
    PY="${PYTHON:-.venv/bin/python}"
    [ -x "$VOREG" ] || { echo "$1: $VOREG not built (run swift build -c release)" >&2; exit 2; }
    [ -f "$DB" ] || { echo "$1: $DB missing (run bench/run.sh first)" >&2; exit 2; }
}
