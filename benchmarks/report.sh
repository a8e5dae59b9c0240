#!/usr/bin/env bash
# The benchmark report at full size: all of Europe's places in the directory, 20,000 submitted assessments of
# city-for-all, then Mechelen's published report page (with the peer comparison and the chart) and its JSON
# measured against plain text (/livez) in the same run, with the release build in the production environment.
#
#   benchmarks/report.sh            # prints the figures and whether the goals hold
#   benchmarks/report.sh --strict   # ... and exits 1 when a goal is missed
#
# Goals: the report page's p99 latency under 50 ms and its throughput at least a quarter of /livez's
# (wrk, 32 connections, 2 threads); the same figures are printed for GET /api/v1/assessments/:id/report.
#
# Steps: build (swift build -c release); a fresh temporary folder with a SQLite file (DATABASE_PATH);
# `livingtogether import municipalities` of the whole CSV; `livingtogether migrate`; `serve` once so that its
# start stores the shipped frameworks; benchmarks/generate_assessments.py inserts the assessments and bumps
# `assessments_generation`; `serve` again, check the page with curl, measure with wrk.
#
# Settings (environment): PLACES_CSV (default ../shared/data/european-places.csv beside the checkout),
# ASSESSMENTS (20000), SEED (2025), BENCH_DURATION (20s), BENCH_WARMUP (3s), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), SKIP_BUILD=1 (use the release binary as built), LT_BIN (use this binary instead of building),
# KEEP=1 (keep the temporary folder, for a look at the database and the server's log).
set -euo pipefail

STRICT=0
[[ "${1:-}" == "--strict" ]] && STRICT=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ASSESSMENTS="${ASSESSMENTS:-20000}"
SEED="${SEED:-2025}"
DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-3s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"

source "$ROOT/benchmarks/common.sh"
find_places_csv required
use_release_binary

prepare_workspace report
import_places_and_store "shipped frameworks" "benchmark framework loaded"

say "generating $ASSESSMENTS submitted assessments (benchmarks/generate_assessments.py, seed $SEED)"
started="$(now)"
python3 "$ROOT/benchmarks/generate_assessments.py" "$DATABASE_PATH" --count "$ASSESSMENTS" --seed "$SEED" --summary "$WORK/summary.json"
echo "generator wall time (with Python's start): $(since "$started") s"
REPORT_ID="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["anchor"]["report_2025"])' "$WORK/summary.json")"
PAGE="/assessments/$REPORT_ID/report"
API="/api/v1/assessments/$REPORT_ID/report"

say "serving the release binary with --env production on $BASE"
start_server
# The first report after the start builds the peer index of the theme from every submitted assessment.
curl -s -o /dev/null -w "first GET $PAGE (builds the peer index): %{http_code} in %{time_total} s\n" "$BASE$PAGE"
status="$(curl -s -o "$WORK/page.html" -w '%{http_code}' "$BASE$PAGE")"
echo "GET $PAGE signed out -> $status, $(wc -c <"$WORK/page.html") bytes"
[[ "$status" == "200" ]] || { echo "error: the published report answers $status to a visitor who is not signed in" >&2; exit 1; }
status="$(curl -s -o "$WORK/report.json" -w '%{http_code}' "$BASE$API")"
echo "GET $API signed out -> $status, $(wc -c <"$WORK/report.json") bytes"
[[ "$status" == "200" ]] || { echo "error: the report's JSON answers $status" >&2; exit 1; }
# The page must show what is measured: the peer comparison, the chart and the earlier year; and the app's
# peer figures must be the ones the generator expects.
python3 - "$WORK/page.html" "$WORK/report.json" "$WORK/summary.json" <<'PY'
import json, re, sys
page, report, summary = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), json.load(open(sys.argv[3]))
expected = summary["expected_peers"]
problems = []
def need(ok, text):
    print(f"  [{'ok' if ok else 'NO'}] {text}")
    if not ok: problems.append(text)
need("Similar municipalities" in page, 'the page contains "Similar municipalities"')
need("<svg" in page, "the page contains an <svg chart")
need(re.search(r"average of\s+" + str(expected["count"]) + r"\s+municipalities", page) is not None,
     f"the page names {expected['count']} similar municipalities")
need(">2024<" in page, "the page compares with 2024 (a column headed 2024)")
need(report.get("peers_shown") is True and report.get("peers") == expected["count"],
     f"the JSON shows {expected['count']} peers: peers_shown={report.get('peers_shown')}, peers={report.get('peers')}")
need(report.get("previous_year") == 2024, f"the JSON's previous_year is 2024: {report.get('previous_year')}")
got = {r["key_factor"]: r.get("peer_average") for r in report.get("rows", [])}
diff = max((abs((got.get(k) or -99) - v) for k, v in expected["averages"].items()), default=99)
need(diff < 1e-9, f"the JSON's peer averages are the generator's (largest difference {diff:.2g})")
sys.exit(1 if problems else 0)
PY

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
measure() {
    local name="$1" path="$2" out="$WORK/wrk.txt" rps p99 errors
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
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$rps" "$p99" "$errors" >>"$RESULTS"
    printf '%-12s %-36s %10s req/s   p99 %8s ms   non-2xx/3xx: %s\n' "$name" "$path" "$rps" "$p99" "$errors"
}

say "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION each after a $WARMUP warm-up"
echo "machine: $(nproc) cores, load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "livez" "/livez"
measure "report page" "$PAGE"
measure "report JSON" "$API"
echo "load average after measuring: $(cut -d' ' -f1-3 /proc/loadavg)"

say "results"
set +e
python3 - "$RESULTS" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
(_, _, livez_rps, livez_p99, _), others = rows[0], rows[1:]
livez = float(livez_rps)
print(f"{'':12} {'path':36} {'req/s':>10} {'p99 ms':>9} {'/ livez':>8}")
print(f"{'livez':12} {'/livez':36} {livez:>10.0f} {float(livez_p99):>9.2f} {1.0:>8.2f}")
for name, path, rps, p99, _ in others:
    print(f"{name:12} {path:36} {float(rps):>10.0f} {float(p99):>9.2f} {float(rps) / livez:>8.2f}")
goals = []
for name, path, rps, p99, errors in others:
    goals.append((f"{name}: p99 under 50 ms: {float(p99):.2f} ms", float(p99) < 50))
    goals.append((f"{name}: throughput at least 0.25 x /livez: {float(rps) / livez:.2f} x", float(rps) >= 0.25 * livez))
    goals.append((f"{name}: every answer 2xx/3xx: {errors}", errors == "0"))
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
