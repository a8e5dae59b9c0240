#!/usr/bin/env bash
# The participation finder at scale (issue #11): 50,000 generated activities across Flanders
# (benchmarks/generate_activities.py, seeded) in the Belgian places of the directory, then the finder's searches by
# place, radius, level and category measured against plain text (/livez) in the same run, with the release build
# in the production environment. Before measuring, the page's and the API's totals for each search are checked
# against the generator's own count, made in Python by the finder's rules over the rows read back from the database.
#
#   benchmarks/participation.sh            # prints the figures and whether the goals hold
#   benchmarks/participation.sh --strict   # ... and exits 1 when a goal is missed
#
# Goals: each search's p99 latency under 50 ms and its throughput at least a quarter of /livez's (wrk, 32
# connections, 2 threads), every answer a 200. The searches give their dates (today .. today + 30) so that the
# counts do not depend on the finder's default range.
#
# Steps: build (swift build -c release); a fresh temporary folder with a SQLite file (DATABASE_PATH);
# `livingtogether migrate`; `livingtogether import municipalities` of the places file's Belgian rows (copied to a
# temporary file first); benchmarks/generate_activities.py inserts the activities and bumps
# `participation_generation`; `serve`; the first search (which builds the index) is timed; check; measure.
#
# Settings (environment): PLACES_CSV (default ../shared/data/european-places.csv beside the checkout),
# ACTIVITIES (50000), SEED (2026), BENCH_DURATION (20s), BENCH_WARMUP (3s), BENCH_CONNECTIONS (32),
# BENCH_THREADS (2), SKIP_BUILD=1 (use the release binary as built), LT_BIN (use this binary instead of building),
# KEEP=1 (keep the temporary folder).
set -euo pipefail

STRICT=0
[[ "${1:-}" == "--strict" ]] && STRICT=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ACTIVITIES="${ACTIVITIES:-50000}"
SEED="${SEED:-2026}"
DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-3s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
P99_GOAL_MS=50

source "$ROOT/benchmarks/common.sh"
find_places_csv required
use_release_binary
prepare_workspace participation

"$BIN" migrate 2>&1 | { grep -v '\[Migrator\]' || true; }
PLACES_BE="$WORK/places-be.csv"
python3 - "$PLACES_CSV" "$PLACES_BE" <<'PY'
import csv, sys
with open(sys.argv[1], newline="") as source, open(sys.argv[2], "w", newline="") as out:
    rows = csv.reader(source)
    write = csv.writer(out, lineterminator="\n")
    header = next(rows)
    write.writerow(header)
    country = header.index("country")
    write.writerows(r for r in rows if len(r) > country and r[country] == "BE")
PY
say "importing the $(($(wc -l <"$PLACES_BE") - 1)) Belgian rows of $(basename "$PLACES_CSV") into a fresh SQLite file"
started="$(now)"
"$BIN" import municipalities "$PLACES_BE" --quiet 2>&1 | { grep -v '\[Migrator\]' || true; }
echo "import: $(since "$started") s"

say "generating $ACTIVITIES activities (benchmarks/generate_activities.py, seed $SEED)"
started="$(now)"
python3 "$ROOT/benchmarks/generate_activities.py" "$DATABASE_PATH" --count "$ACTIVITIES" --seed "$SEED" \
    --summary "$WORK/summary.json"
echo "generator wall time: $(since "$started") s"

# One line per search: its name, the page's path, the API's path and the expected total.
SEARCHES="$WORK/searches.tsv"
python3 - "$WORK/summary.json" >"$SEARCHES" <<'PY'
import json, sys, urllib.parse
for q in json.load(open(sys.argv[1]))["queries"]:
    params = urllib.parse.urlencode({k: q[k] for k in ("place", "radius", "level", "category", "from", "to")})
    print(f"{q['place']} {q['radius']} km\t/participation?{params}\t/api/v1/activities?{params}\t{q['expected']}")
PY

say "serving the release binary with --env production on $BASE"
start_server
if grep -q "Demo content loaded" "$WORK/server.log"; then
    echo "error: demo content was loaded into the benchmark database" >&2; exit 1
fi
FIRST_PAGE="$(sed -n 1p "$SEARCHES" | cut -f2)"
curl -s -o /dev/null -H 'Accept-Language: en' \
    -w "first search (builds the index of $ACTIVITIES activities): %{http_code} in %{time_total} s\n" \
    "$BASE$FIRST_PAGE"

say "checking each search's total on the page and in the API against the generator's count"
CHECKS=0
n=0
while IFS=$'\t' read -r name page api expected; do
    n=$((n + 1))
    page_status="$(curl -s -o "$WORK/page-$n.html" -w '%{http_code}' -H 'Accept-Language: en' "$BASE$page")"
    api_status="$(curl -s -o "$WORK/api-$n.json" -w '%{http_code}' "$BASE$api")"
    python3 - "$name" "$expected" "$page_status" "$WORK/page-$n.html" "$api_status" "$WORK/api-$n.json" \
        <<'PY' || CHECKS=1
import html, json, re, sys
name, expected, page_status, page_file, api_status, api_file = sys.argv[1:]
expected = int(expected)
page = open(page_file, encoding="utf-8", errors="replace").read()
m = re.search(r'<h2 id="results">(.*?)</h2>', page, re.S)
heading = html.unescape(re.sub(r"<[^>]+>", "", m.group(1))).strip() if m else ""
count = re.match(r"([\d,.\u00a0\u202f ]+?)\s*activit", heading)
shown = int(re.sub(r"\D", "", count.group(1))) if count else None
try:
    total = json.load(open(api_file)).get("total")
except ValueError:
    total = None
ok_page = page_status == "200" and shown == expected
ok_api = api_status == "200" and total == expected
print(f"  [{'ok' if ok_page else 'NO'}] {name}: the page ({page_status}) shows {shown} of {expected}: \"{heading}\"")
print(f"  [{'ok' if ok_api else 'NO'}] {name}: the API ({api_status}) counts {total} of {expected}")
sys.exit(0 if ok_page and ok_api else 1)
PY
done <"$SEARCHES"
if [[ "$CHECKS" != "0" ]]; then
    echo "error: a search's total differs from the generator's count: not measuring" >&2; exit 1
fi

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
measure() {  # name path
    local name="$1" path="$2" out="$WORK/wrk.txt" rps p99 errors
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H 'Accept-Language: en' "$BASE$path" >/dev/null
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -H 'Accept-Language: en' --latency "$BASE$path" >"$out"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p99="$(python3 - "$out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
print("nan" if not m else f"{float(m.group(1)) * {'us': 0.001, 'ms': 1.0, 's': 1000.0, 'm': 60000.0}[m.group(2)]:.2f}")
PY
)"
    errors="$(awk '/Non-2xx or 3xx responses:/ {n=$NF} /Socket errors:/ {s=$0}
        END {print (n==""?0:n) (s==""?"":"; " s)}' "$out")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$rps" "$p99" "$errors" >>"$RESULTS"
    printf '%-22s %10s req/s   p99 %8s ms   non-2xx/3xx: %s\n' "$name" "$rps" "$p99" "$errors"
}

say "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION each after a $WARMUP warm-up"
echo "machine: $(nproc) cores, load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "livez" "/livez"
while IFS=$'\t' read -r name page _ _; do measure "page $name" "$page"; done <"$SEARCHES"
while IFS=$'\t' read -r name _ api _; do measure "API $name" "$api"; done < <(sed -n '1p;$p' "$SEARCHES")
echo "load average after measuring: $(cut -d' ' -f1-3 /proc/loadavg)"

say "results"
set +e
python3 - "$RESULTS" "$P99_GOAL_MS" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
goal_ms = float(sys.argv[2])
(_, _, livez_rps, livez_p99, _), others = rows[0], rows[1:]
livez = float(livez_rps)
print(f"{'':22} {'req/s':>10} {'p99 ms':>9} {'/ livez':>8}")
print(f"{'livez':22} {livez:>10.0f} {float(livez_p99):>9.2f} {1.0:>8.2f}")
for name, path, rps, p99, _ in others:
    print(f"{name:22} {float(rps):>10.0f} {float(p99):>9.2f} {float(rps) / livez:>8.2f}")
print()
for name, path, *_ in others:
    print(f"  {name}: {path}")
goals = []
for name, path, rps, p99, errors in others:
    goals.append((f"{name}: p99 under {goal_ms:.0f} ms: {float(p99):.2f} ms", float(p99) < goal_ms))
    share = float(rps) / livez
    goals.append((f"{name}: at least a quarter of /livez's throughput: {share:.2f}", share >= 0.25))
    goals.append((f"{name}: every answer a 200 (wrk non-2xx/3xx: {errors})", errors == "0"))
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
