#!/usr/bin/env bash
# The mentoring benchmark: city-to-city suggestions among every place of the directory, and the optimal
# assignment of a round against scipy.optimize.linear_sum_assignment on the same cost matrices, timed in the
# same run. Domain only (no server, no database): the release build of the `matching-bench` executable.
#
#   benchmarks/matching.sh            # prints the figures and whether the goals hold
#   benchmarks/matching.sh --strict   # ... and exits 1 when a goal is missed or a total cost differs
#
# Goals: suggestions for one mentee among the 100,518 places of european-places.csv, each with a generated
# city-for-all profile, under 50 ms (median and p99 of RUNS runs); an optimal assignment of 2,000 × 2,000 under
# 2 s, with the same total cost as scipy (relative difference at most 1e-6). 500 × 500 and 1,000 × 1,000 are
# timed too, to show how the cost grows. Each matrix is seeded random uniform in [0, 100), written as raw
# float64 to a temporary folder, solved by matching-bench and by benchmarks/matching_reference.py.
#
# Settings (environment): PLACES_CSV (default ../shared/data/european-places.csv beside the checkout; without it
# 100,518 places are generated), COUNTRIES_CSV (its neighbour european-countries.csv), SIZES ("500 1000 2000"),
# RUNS (200 suggestion runs), SOLVE_RUNS (3: median of that many solves, for both solvers), SEED (7),
# SKIP_BUILD=1 (use the release binary as built), KEEP=1 (keep the matrices).
set -euo pipefail

STRICT=0
[[ "${1:-}" == "--strict" ]] && STRICT=1

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/benchmarks/common.sh"
find_places_csv
COUNTRIES_CSV="${COUNTRIES_CSV:-$(dirname "${PLACES_CSV:-.}")/european-countries.csv}"
SIZES="${SIZES:-500 1000 2000}"
RUNS="${RUNS:-200}"
SOLVE_RUNS="${SOLVE_RUNS:-3}"
SEED="${SEED:-7}"

field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<"$2"; }

cd "$ROOT"
if [[ "${SKIP_BUILD:-0}" != "1" ]]; then
    say "building the benchmark (swift build -c release --product matching-bench)"
    swift build -c release --product matching-bench
fi
BIN="$(swift build -c release --show-bin-path)/matching-bench"
[[ -x "$BIN" ]] || { echo "error: $BIN is missing: build it first" >&2; exit 2; }

if ! python3 -c 'import numpy, scipy' 2>/dev/null; then
    say "installing scipy (python3 -m pip install scipy)"
    python3 -m pip install --quiet scipy
fi
SCIPY_VERSION="$(python3 -c 'import scipy; print(scipy.__version__)')"

WORK="$(mktemp -d -t lt-matching-XXXXXX)"
cleanup() { if [[ "${KEEP:-0}" == "1" ]]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

MISSED=0

say "suggestions for one city-to-city mentee (goal: under 50 ms)"
if [[ -f "${PLACES_CSV:-}" ]]; then
    PLACE_ARGS=(--places "$PLACES_CSV")
    [[ -f "$COUNTRIES_CSV" ]] && PLACE_ARGS+=(--countries "$COUNTRIES_CSV")
    echo "candidates: every place of $PLACES_CSV (GeoNames, CC BY 4.0), with generated profiles"
else
    PLACE_ARGS=()
    echo "candidates: 100,518 generated places (european-places.csv not found; set PLACES_CSV)"
fi
OUT="$("$BIN" suggestions "${PLACE_ARGS[@]}" --runs "$RUNS" --seed "$SEED")"
echo "$OUT"
LINE="$(head -n1 <<<"$OUT")"
MEDIAN="$(field median_ms "$LINE")"; P99="$(field p99_ms "$LINE")"
if python3 -c "import sys; sys.exit(0 if float('$P99') < 50 else 1)"; then
    echo "ok: median $MEDIAN ms, p99 $P99 ms among $(field candidates "$LINE") candidates"
else
    echo "MISSED: p99 $P99 ms is not under 50 ms"; MISSED=1
fi

say "optimal assignment against scipy $SCIPY_VERSION linear_sum_assignment (goal: 2000 × 2000 under 2 s, equal totals)"
printf '%-12s %12s %12s %8s %22s %22s %s\n' "size" "swift s" "scipy s" "ratio" "swift total" "scipy total" "equal"
for n in $SIZES; do
    FILE="$WORK/costs-$n.f64"
    MINE="$("$BIN" assign --size "$n" --seed "$SEED" --out "$FILE" --runs "$SOLVE_RUNS")"
    REF="$(python3 "$ROOT/benchmarks/matching_reference.py" "$FILE" "$n" --runs "$SOLVE_RUNS")"
    read -r T1 C1 T2 C2 <<<"$(field seconds "$MINE") $(field total "$MINE") $(field seconds "$REF") $(field total "$REF")"
    VERDICT="$(python3 - "$T1" "$C1" "$T2" "$C2" <<'PY'
import sys
t1, c1, t2, c2 = map(float, sys.argv[1:])
equal = abs(c1 - c2) <= 1e-6 * max(1.0, abs(c2))
print(f"{t1 / t2:.2f} {'yes' if equal else 'NO'}")
PY
)"
    read -r RATIO EQUAL <<<"$VERDICT"
    printf '%-12s %12s %12s %8s %22s %22s %s\n' "$n × $n" "$T1" "$T2" "$RATIO" "$C1" "$C2" "$EQUAL"
    [[ "$EQUAL" == "yes" ]] || MISSED=1
    if [[ "$n" == "2000" ]] && ! python3 -c "import sys; sys.exit(0 if float('$T1') < 2 else 1)"; then
        echo "MISSED: 2000 × 2000 took $T1 s"; MISSED=1
    fi
done
echo "(ratio = swift time / scipy time; median of $SOLVE_RUNS solves each, solver only, same matrix)"

say "a round with capacity slots and forbidden pairs (2,000 mentees, 1,000 mentors with 1–3 places, 10 % forbidden)"
"$BIN" round --mentees 2000 --mentors 1000 --seed "$SEED"

if [[ "$MISSED" == "0" ]]; then
    say "every goal holds"
else
    say "a goal was missed (see above)"
    [[ "$STRICT" == "1" ]] && exit 1
fi
exit 0
