#!/usr/bin/env bash
# The coordinator's view at full size (issue #4): a generated region of 300 Flemish municipalities that have
# taken up actions from the 24 of the shipped Plan Living Together catalogue, with 10 indicators each and five
# years of quarterly values; then the coordinator's overview page, signed in, measured against plain text
# (/livez) in the same run, with the release build in the production environment.
#
#   benchmarks/plans.sh            # prints the figures and whether the goals hold
#   benchmarks/plans.sh --strict   # ... and exits 1 when a goal is missed
#
# Goals: the overview page's p99 latency under 100 ms at 32 connections (wrk, 2 threads) on 127.0.0.1, and
# every answer a 200 (a lost session would answer redirects, which wrk counts as successes: the server's
# /metrics tell); its throughput as a share of /livez's is printed. The same figures and goals are given for
# GET /api/v1/catalogues/:id/overview (the coordinator's bearer token) when the build has that route.
# Before measuring, the page and the JSON are checked against the generator's figures (uptake per action,
# quiet municipalities, ended funding, regional indicator totals), and the first, uncached build of the
# overview after the start is timed. The overview is as of today (UTC): values run from 2021 to 2025, so the
# catalogue's funding (2022-2025) has ended and municipalities that stopped reporting show as quiet.
#
# Steps: build (swift build -c release); a fresh temporary folder with a SQLite file (DATABASE_PATH);
# `livingtogether import municipalities` of the whole CSV; `livingtogether migrate`; `serve` once so that its
# start stores the shipped catalogue (a draft nobody publishes); `create-admin` makes the coordinator's account
# (so that the app hashes its password); benchmarks/generate_plans.py publishes the catalogue as the
# association's, makes the account an ordinary editor of the association with an API token, inserts the
# region's requests, plans, indicators and values, and bumps `plans_generation`; `serve` again, sign in with
# curl (the sign-in form with its CSRF cookie and field), check the page, measure with wrk (session cookie).
#
# Settings (environment): PLACES_CSV (default ../shared/data/european-places.csv beside the checkout),
# MUNICIPALITIES (300), INDICATORS (10 per municipality), YEARS (5 years of quarterly values), FIRST_YEAR (2021),
# SEED (2025), BENCH_DURATION (20s), BENCH_WARMUP (3s), BENCH_CONNECTIONS (32), BENCH_THREADS (2),
# SKIP_BUILD=1 (use the release binary as built), LT_BIN (use this binary instead of building),
# KEEP=1 (keep the temporary folder, for a look at the database, the page and the server's log).
set -euo pipefail

STRICT=0
[[ "${1:-}" == "--strict" ]] && STRICT=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MUNICIPALITIES="${MUNICIPALITIES:-300}"
INDICATORS="${INDICATORS:-10}"
YEARS="${YEARS:-5}"
FIRST_YEAR="${FIRST_YEAR:-2021}"
SEED="${SEED:-2025}"
DURATION="${BENCH_DURATION:-20s}"
WARMUP="${BENCH_WARMUP:-3s}"
CONNECTIONS="${BENCH_CONNECTIONS:-32}"
THREADS="${BENCH_THREADS:-2}"
P99_GOAL_MS=100

source "$ROOT/benchmarks/common.sh"
find_places_csv required
use_release_binary

prepare_workspace plans
import_places_and_store "shipped catalogue" "action catalogue loaded"

# The coordinator's account is made by the app so that its password is hashed as the app hashes (bcrypt);
# create-admin makes a platform administrator, and the generator makes it an ordinary editor of the association.
EMAIL="coordinator@benchmark.example"
PASSWORD="$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
ADMIN_PASSWORD="$PASSWORD" "$BIN" create-admin --email "$EMAIL" --name "Benchmark coordinator" </dev/null 2>&1 | { grep -v '\[Migrator\]' || true; }

say "generating $MUNICIPALITIES municipalities' plans, $INDICATORS indicators each, $YEARS years of values (benchmarks/generate_plans.py, seed $SEED)"
started="$(now)"
python3 "$ROOT/benchmarks/generate_plans.py" "$DATABASE_PATH" --municipalities "$MUNICIPALITIES" --indicators "$INDICATORS" \
    --years "$YEARS" --first-year "$FIRST_YEAR" --seed "$SEED" --coordinator-email "$EMAIL" --summary "$WORK/summary.json"
echo "generator wall time (with Python's start): $(since "$started") s"
summary() {  # a value of the generator's summary: summary KEY [KEY ...]
    python3 - "$WORK/summary.json" "$@" <<'PY'
import json, sys
value = json.load(open(sys.argv[1]))
for key in sys.argv[2:]:
    value = value[key]
print(value)
PY
}
CATALOGUE_ID="$(summary catalogue id)"
TOKEN="$(summary api_token)"
PAGE="/plans/catalogues/$CATALOGUE_ID/overview"
API="/api/v1/catalogues/$CATALOGUE_ID/overview"

say "serving the release binary with --env production on $BASE"
start_server

# Sign in as the coordinator through the form: the CSRF token is a cookie and the same value in the field.
CSRF="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
status="$(curl -s -o /dev/null -w '%{http_code}' -c "$WORK/cookies.txt" -b "lt_csrf=$CSRF" \
    --data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$CSRF" "$BASE/sign-in")"
SESSION="$(awk '$6 == "lt_session" {print $7}' "$WORK/cookies.txt" | tail -1)"
echo "POST /sign-in as $EMAIL -> $status$([[ -n "$SESSION" ]] && echo ", session cookie received")"
[[ "$status" == "303" && -n "$SESSION" ]] || { echo "error: signing in failed (status $status, no lt_session cookie)" >&2; exit 1; }
COOKIE="Cookie: lt_session=$SESSION"

# The first overview after the start builds it from the database (then it is cached until plans change).
curl -s -o /dev/null -H "$COOKIE" -w "first GET $PAGE (builds the overview): %{http_code} in %{time_total} s\n" "$BASE$PAGE"
status="$(curl -s -o "$WORK/page.html" -H "$COOKIE" -w '%{http_code}' "$BASE$PAGE")"
echo "GET $PAGE signed in -> $status, $(wc -c <"$WORK/page.html") bytes"
[[ "$status" == "200" ]] || { echo "error: the coordinator's overview answers $status to its coordinator" >&2; exit 1; }
status="$(curl -s -o /dev/null -w '%{http_code}' "$BASE$PAGE")"
echo "GET $PAGE signed out -> $status (not for visitors)"
[[ "$status" != "200" ]] || { echo "error: the coordinator's overview answers 200 to a visitor who is not signed in" >&2; exit 1; }
api_status="$(curl -s -o "$WORK/overview.json" -H "Authorization: Bearer $TOKEN" -w '%{http_code}' "$BASE$API")"
echo "GET $API with the coordinator's token -> $api_status, $(wc -c <"$WORK/overview.json") bytes"
if [[ "$api_status" == "404" ]] && ! grep -q "$API\|catalogues/{" <(curl -s "$BASE/api/v1/openapi.json"); then
    echo "  (this build has no such route: the API is not measured)"
    api_status=""
elif [[ "$api_status" != "200" ]]; then
    echo "error: the overview's JSON answers $api_status" >&2; exit 1
fi
# The page must show what is measured: the uptake table (every action of the catalogue, with the generator's
# count of approvals for the most taken-up one) and the region's size; the JSON, when there is one, the
# generator's figures: uptake per action, quiet municipalities, ended funding and the regional indicator totals.
python3 - "$WORK/page.html" "$WORK/summary.json" "${api_status:+$WORK/overview.json}" <<'PY'
import html, json, re, sys
page = html.unescape(re.sub(r"\s+", " ", open(sys.argv[1]).read()))
summary = json.load(open(sys.argv[2]))
expected = summary["expected_overview"]
problems = []
def need(ok, text):
    print(f"  [{'ok' if ok else 'NO'}] {text}")
    if not ok: problems.append(text)
most = expected["most_taken_up"]
need('id="uptake"' in page, 'the page has the uptake section (id="uptake")')
row = re.search(re.escape(most["title"]) + r"\s*</th>\s*<td>\s*(\d+)\s*</td>", page)
need(row is not None and int(row.group(1)) == most["approved"],
     f'the uptake table shows {most["approved"]} approvals of "{most["title"]}": {row.group(1) if row else "no such row"}')
titles = expected["action_titles"]
missing = [t for t in titles if t not in page]
need(not missing, f"the page names all {len(titles)} actions" + (f" (missing: {', '.join(missing)})" if missing else ""))
need(re.search(r"\b" + str(expected["municipalities"]) + r"\b", page) is not None,
     f"the page shows the number {expected['municipalities']} (municipalities in the region)")
if len(sys.argv) > 3 and sys.argv[3]:
    data = json.load(open(sys.argv[3]))
    need(data.get("municipality_count") == expected["municipalities"],
         f"the JSON's municipality_count is {expected['municipalities']}: {data.get('municipality_count')}")
    need(data.get("as_of") == expected["as_of"], f"the JSON's as_of is {expected['as_of']} (the generator's day): {data.get('as_of')}")
    keys = {"approved": "approved", "pending": "pending", "changes_requested": "changes_requested", "declined": "declined"}
    got = {u["action_id"]: {k: len(u.get(v) or []) for k, v in keys.items()} for u in data.get("uptake", [])}
    want = {a: {k: counts.get(k, 0) for k in keys} for a, counts in expected["uptake"].items()}
    need(got == want, f"the JSON's uptake per action is the generator's ({len(want)} actions, "
         f"{sum(c['approved'] for c in want.values())} approvals)")
    need(len(data.get("quiet", [])) == expected["quiet"], f"the JSON lists {expected['quiet']} quiet municipalities: {len(data.get('quiet', []))}")
    ended = data.get("funding_ended", [])
    with_plan = sum(1 for f in ended if f.get("has_continuation"))
    want_ended = expected["funding_ended"]
    need((len(ended) - with_plan, with_plan) == (want_ended.get("without continuation", 0), want_ended.get("with continuation", 0)),
         f"the JSON lists ended funding as the generator: {len(ended) - with_plan} without and {with_plan} with a continuation "
         f"(expected {want_ended})")
    got = {f"{i['action_id']}/{i['indicator_id']}": i for i in data.get("indicators", []) if i.get("municipalities")}
    diffs = [k for k, e in expected["indicators"].items()
             if k not in got or (got[k]["municipalities"], got[k]["reporting"], got[k]["reached_target"]) != (e["municipalities"], e["reporting"], e["reached_target"])
             or abs(got[k]["total"] - e["total"]) > 1e-6]
    need(not diffs and len(got) == len(expected["indicators"]),
         f"the JSON's {len(expected['indicators'])} regional indicator totals are the generator's" + (f" (differ: {', '.join(diffs[:5])})" if diffs else ""))
sys.exit(1 if problems else 0)
PY

metrics_snapshot() { curl -s "$BASE/metrics" | grep '^http_requests_total{' || true; }
# Prints the answers other than 200 between two snapshots of /metrics ("none" when every answer was a 200).
not_ok_between() {
    python3 - "$1" "$2" <<'PY'
import re, sys
def read(path):
    out = {}
    for line in open(path):
        m = re.match(r'http_requests_total\{(.*)\} (\d+)', line)
        if m: out[m.group(1)] = int(m.group(2))
    return out
before, after = read(sys.argv[1]), read(sys.argv[2])
bad = []
for labels, n in after.items():
    delta = n - before.get(labels, 0)
    status = re.search(r'status="(\d+)"', labels).group(1)
    route = re.search(r'route="([^"]*)"', labels).group(1)
    if delta and status != "200" and route != "/metrics":
        bad.append(f"{delta} x {status} on {route}")
print("; ".join(bad) if bad else "none")
PY
}

RESULTS="$WORK/results.tsv"
: >"$RESULTS"
measure() {  # name path [header]
    local name="$1" path="$2" out="$WORK/wrk.txt" rps p99 errors others
    local args=(-t"$THREADS" -c"$CONNECTIONS")
    [[ -n "${3:-}" ]] && args+=(-H "$3")
    metrics_snapshot >"$WORK/metrics.before"
    wrk "${args[@]}" -d"$WARMUP" "$BASE$path" >/dev/null
    wrk "${args[@]}" -d"$DURATION" --latency "$BASE$path" >"$out"
    metrics_snapshot >"$WORK/metrics.after"
    others="$(not_ok_between "$WORK/metrics.before" "$WORK/metrics.after")"
    rps="$(awk '/^Requests\/sec:/ {print $2}' "$out")"
    p99="$(python3 - "$out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
m = re.search(r"^\s*99%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
print("nan" if not m else f"{float(m.group(1)) * {'us': 0.001, 'ms': 1.0, 's': 1000.0, 'm': 60000.0}[m.group(2)]:.2f}")
PY
)"
    errors="$(awk '/Non-2xx or 3xx responses:/ {n=$NF} /Socket errors:/ {s=$0} END {print (n==""?0:n) (s==""?"":"; " s)}' "$out")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$path" "$rps" "$p99" "$errors" "$others" >>"$RESULTS"
    printf '%-14s %-40s %10s req/s   p99 %8s ms   non-2xx/3xx: %s   not 200 (server): %s\n' "$name" "$path" "$rps" "$p99" "$errors" "$others"
}

say "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION each after a $WARMUP warm-up"
echo "machine: $(nproc) cores, load average before measuring: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "livez" "/livez"
measure "overview page" "$PAGE" "$COOKIE"
if [[ -n "$api_status" ]]; then measure "overview JSON" "$API" "Authorization: Bearer $TOKEN"; fi
echo "load average after measuring: $(cut -d' ' -f1-3 /proc/loadavg)"

say "results"
set +e
python3 - "$RESULTS" "$P99_GOAL_MS" <<'PY'
import sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1]) if line.strip()]
goal_ms = float(sys.argv[2])
(_, _, livez_rps, livez_p99, _, _), others = rows[0], rows[1:]
livez = float(livez_rps)
print(f"{'':14} {'path':40} {'req/s':>10} {'p99 ms':>9} {'/ livez':>8}")
print(f"{'livez':14} {'/livez':40} {livez:>10.0f} {float(livez_p99):>9.2f} {1.0:>8.2f}")
for name, path, rps, p99, _, _ in others:
    print(f"{name:14} {path:40} {float(rps):>10.0f} {float(p99):>9.2f} {float(rps) / livez:>8.2f}")
goals = []
for name, path, rps, p99, errors, not_ok in others:
    goals.append((f"{name}: p99 under {goal_ms:.0f} ms: {float(p99):.2f} ms", float(p99) < goal_ms))
    goals.append((f"{name}: every answer a 200: wrk non-2xx/3xx {errors}, server's other statuses {not_ok}", errors == "0" and not_ok == "none"))
print()
for text, ok in goals:
    print(f"  [{'holds ' if ok else 'MISSED'}] {text}")
for name, path, rps, p99, _, _ in others:
    print(f"  [info  ] {name}: throughput {float(rps) / livez:.2f} x /livez's")
missed = sum(1 for _, ok in goals if not ok)
print(f"\n{len(goals) - missed} of {len(goals)} goals hold")
sys.exit(1 if missed else 0)
PY
GOALS=$?
set -e
if [[ "$STRICT" == "1" && "$GOALS" != "0" ]]; then exit 1; fi
exit 0
