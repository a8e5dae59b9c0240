# Shared by the benchmark scripts (sourced, not run): messages, timing, the places file, wrk and the release binary,
# a fresh SQLite workspace with a served binary, and stopping it. Expects ROOT; sets PLACES_CSV, BIN, WORK, PORT, BASE;
# uses SERVER_PID. Sourcing only defines; each script calls what it needs.

say() { printf '\n== %s\n' "$*"; }
now() { python3 -c 'import time; print(f"{time.monotonic():.3f}")'; }
since() { python3 -c "import sys; print(f'{$(now) - float(sys.argv[1]):.1f}')" "$1"; }

# PLACES_CSV, or european-places.csv of ../shared/data beside the checkout. With "required", a missing file stops.
find_places_csv() {
    PLACES_CSV="${PLACES_CSV:-}"
    if [[ -z "$PLACES_CSV" ]]; then
        for candidate in "$ROOT/../shared/data/european-places.csv" "/work/shared/data/european-places.csv"; do
            if [[ -f "$candidate" ]]; then PLACES_CSV="$candidate"; break; fi
        done
    fi
    if [[ "${1:-}" == "required" && ! -f "${PLACES_CSV:-}" ]]; then
        echo "error: european-places.csv not found; set PLACES_CSV" >&2; exit 2
    fi
}

# wrk, and BIN: the release build of livingtogether (LT_BIN: a binary built elsewhere; SKIP_BUILD=1: as built).
use_release_binary() {
    if ! command -v wrk >/dev/null; then
        say "installing wrk"
        apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
    fi

    cd "$ROOT"
    if [[ -n "${LT_BIN:-}" ]]; then
        BIN="$LT_BIN"  # a binary built elsewhere (for trying a script out; the figures are the release build's)
    else
        if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
            say "building the release binary (swift build -c release)"
            swift build -c release --product livingtogether
        fi
        BIN="$(swift build -c release --show-bin-path)/livingtogether"
    fi
    [[ -x "$BIN" ]] || { echo "error: $BIN is missing: build it first" >&2; exit 2; }
}

SERVER_PID=""
# Stops the server gracefully (SIGINT), then forcibly after ten seconds.
stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -INT "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

# A fresh workspace for a served benchmark: WORK (kept with KEEP=1), its SQLite database, no demo content and no
# PostgreSQL, a free PORT and BASE; the server is stopped and the folder removed on exit.
prepare_workspace() {  # $1: a name for the temporary folder
    WORK="$(mktemp -d -t "lt-$1-XXXXXX")"
    trap cleanup_workspace EXIT
    export DATABASE_PATH="$WORK/bench.sqlite"
    export DEMO_CONTENT=0
    unset DATABASE_URL
    cd "$WORK"
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    BASE="http://127.0.0.1:$PORT"
}

cleanup_workspace() {
    stop_server
    if [[ "${KEEP:-0}" == "1" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}

start_server() {  # serve the release binary in production; wait for /healthz
    "$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >>"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 600); do
        if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then return 0; fi
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: the server exited:" >&2; cat "$WORK/server.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "error: the server did not answer /healthz" >&2; cat "$WORK/server.log" >&2; exit 1
}

# Imports the places into the workspace's database, then serves once so that the app stores its shipped content
# ($1: what, for the message; $2: the pattern of the server's log line that says so); demo content must not load.
import_places_and_store() {
    say "importing $(($(wc -l <"$PLACES_CSV") - 1)) rows of $(basename "$PLACES_CSV") into a fresh SQLite file ($DATABASE_PATH)"
    local started
    started="$(now)"
    "$BIN" import municipalities "$PLACES_CSV" --quiet 2>&1 | { grep -v '\[Migrator\]' || true; }
    echo "import: $(since "$started") s"
    "$BIN" migrate 2>&1 | { grep -v '\[Migrator\]' || true; }
    say "starting serve once so that it stores the $1"
    start_server
    stop_server
    grep -E "$2" "$WORK/server.log" || true
    if grep -q "Demo content loaded" "$WORK/server.log"; then echo "error: demo content was loaded into the benchmark database" >&2; exit 1; fi
}
