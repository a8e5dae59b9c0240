#!/usr/bin/env bash
# The directory at full size: import all of Europe's places, then measure the directory pages against
# plain text (/livez) in the same run, with the release build in the production environment.
#
#   benchmarks/directory.sh            # prints the figures and whether the goals hold
#   benchmarks/directory.sh --strict   # ... and exits 1 when a goal is missed
#
# Goals: the import of 100,518 places in under 30 s; each directory page's p99 latency under 50 ms and
# its throughput at least a quarter of /livez's (wrk, 32 connections, 2 threads).
#
# Settings (environment): PLACES_CSV (default ../shared/data/european-places.csv beside the checkout),
# BENCH_DURATION (20s), BENCH_WARMUP (3s), BENCH_CONNECTIONS (32), BENCH_THREADS (2), SKIP_BUILD=1 (use the release binary as built),
# LT_BIN (use this binary instead of building).
set -euo pipefail

STRICT=0
[[ "${1:-}" == "--strict" ]] && STRICT=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-3s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
PAGES=("/directory?q=sint" "/directory?q=malmo" "/directory?country=BE&band=m&page=3")

source "$ROOT/benchmarks/common.sh"
find_places_csv required
use_release_binary

WORK="$(mktemp -d -t lt-bench-XXXXXX)"
cleanup() {
    stop_server
    rm -rf "$WORK"
}
trap cleanup EXIT
export DATABASE_PATH="$WORK/bench.sqlite"
unset DATABASE_URL
cd "$WORK"

count_rows() {
    python3 - "$DATABASE_PATH" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM organisations").fetchone()[0])
PY
}

import_once() {  # prints "seconds" on stdout; the command's own report goes to stderr
    local started finished status=0
    started="$(now)"
    "$BIN" import municipalities "$PLACES_CSV" --quiet 2>&1 | { grep -v '\[Migrator\]' || true; } >&2 || status=$?
    finished="$(now)"
    if [[ $status -ne 0 ]]; then echo "error: the import exited with status $status" >&2; exit 1; fi
    python3 -c "print(f'{$finished - $started:.1f}')"
}

say "importing $(($(wc -l <"$PLACES_CSV") - 1)) rows of $(basename "$PLACES_CSV") into a fresh SQLite file ($DATABASE_PATH)"
IMPORT1_S="$(import_once)"
COUNT1="$(count_rows)"
echo "first import:  ${IMPORT1_S} s, organisations: ${COUNT1}"
IMPORT2_S="$(import_once)"
COUNT2="$(count_rows)"
echo "second import: ${IMPORT2_S} s, organisations: ${COUNT2}"
if [[ "$COUNT1" == "$COUNT2" ]]; then echo "count unchanged by the second import: yes"
else echo "count unchanged by the second import: NO ($COUNT1 -> $COUNT2)"; fi

PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
say "serving the release binary with --env production on $BASE"
"$BIN" serve --env production --hostname 127.0.0.1 --port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    if curl -fsS "$BASE/healthz" >/dev/null 2>&1; then break; fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "error: the server exited:" >&2; cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.2
done
curl -fsS "$BASE/healthz" >/dev/null || { echo "error: the server did not answer /healthz" >&2; cat "$WORK/server.log" >&2; exit 1; }
if grep -q "Demo content loaded" "$WORK/server.log"; then echo "error: demo content was loaded into the benchmark database" >&2; exit 1; fi
for page in "${PAGES[@]}"; do
    status="$(curl -s -o "$WORK/page.html" -w '%{http_code}' "$BASE$page")"
    found="$(python3 -c 'import re,sys; m=re.search(r"<p role=\"status\">([^<]*)</p>", open(sys.argv[1]).read()); print(m.group(1) if m else "?")' "$WORK/page.html")"
    echo "GET $page -> $status, $(wc -c <"$WORK/page.html") bytes, \"$found\""
    [[ "$status" == "200" ]] || { echo "error: $page answers $status" >&2; exit 1; }
done

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
measure() {
    local path="$1" out="$WORK/wrk.txt" rps p99 errors
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$BASE$path" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$BASE$path" >"$out"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p99="$(python3 - "$out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
print("nan" if not m else f"{float(m.group(1)) * {'us': 0.001, 'ms': 1.0, 's': 1000.0, 'm': 60000.0}[m.group(2)]:.2f}")
PY
)"
    errors="$(awk '/Non-2xx or 3xx responses:/ {n=$NF} /Socket errors:/ {s=$0} END {print (n==""?0:n) (s==""?"":"; " s)}' "$out")"
    printf '%s\t%s\t%s\t%s\n' "$path" "$rps" "$p99" "$errors" >>"$RESULTS"
    printf '%-40s %10s req/s   p99 %8s ms   non-2xx/3xx: %s\n' "$path" "$rps" "$p99" "$errors"
}

say "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION each after a $WARMUP warm-up"
echo "machine: $(nproc) cores, load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "/livez"
for page in "${PAGES[@]}"; do measure "$page"; done

say "results"
set +e
python3 - "$RESULTS" "$IMPORT1_S" "$COUNT1" "$COUNT2" <<'PY'
import sys
results, import_s, count1, count2 = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = [line.rstrip("\n").split("\t") for line in open(results) if line.strip()]
(_, livez_rps, livez_p99, _), pages = rows[0], rows[1:]
livez = float(livez_rps)
print(f"{'page':40} {'req/s':>10} {'p99 ms':>9} {'/ livez':>8}")
print(f"{'/livez':40} {livez:>10.0f} {float(livez_p99):>9.2f} {1.0:>8.2f}")
for path, rps, p99, _ in pages:
    print(f"{path:40} {float(rps):>10.0f} {float(p99):>9.2f} {float(rps) / livez:>8.2f}")
goals = [(f"import of {count1} rows under 30 s: {import_s:.1f} s", import_s < 30),
         (f"a second import leaves the count unchanged: {count1} -> {count2}", count1 == count2)]
for path, rps, p99, errors in pages:
    goals.append((f"{path}: p99 under 50 ms: {float(p99):.2f} ms", float(p99) < 50))
    goals.append((f"{path}: throughput at least 0.25 x /livez: {float(rps) / livez:.2f} x", float(rps) >= 0.25 * livez))
    goals.append((f"{path}: every answer 2xx/3xx: {errors}", errors == "0"))
print()
for text, ok in goals:
    print(f"  [{'holds ' if ok else 'MISSED'}] {text}")
missed = sum(1 for _, ok in goals if not ok)
print(f"\n{len(goals) - missed} of {len(goals)} goals hold")
sys.exit(1 if missed else 0)
PY
GOALS=$?
set -e
if [[ "$STRICT" == "1" && "$GOALS" != "0" ]]; then exit 1; fi
exit 0
