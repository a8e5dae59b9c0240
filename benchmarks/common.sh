# Shared by the benchmark scripts (sourced, not run): messages, timing, wrk, the release binary, and
# stopping the server they start. Expects ROOT; sets BIN; uses SERVER_PID.

say() { printf '\n== %s\n' "$*"; }
now() { python3 -c 'import time; print(f"{time.monotonic():.3f}")'; }
since() { python3 -c "import sys; print(f'{$(now) - float(sys.argv[1]):.1f}')" "$1"; }

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
