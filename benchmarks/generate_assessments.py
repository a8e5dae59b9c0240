#!/usr/bin/env python3
"""Fills a Living Together SQLite database with submitted benchmark assessments, for benchmarks/report.sh.

    python3 benchmarks/generate_assessments.py DATABASE.sqlite [--count 20000] [--seed 2025] [--summary out.json]

Needs a database with the directory imported (`livingtogether import municipalities ...`) and the shipped
frameworks stored (`livingtogether serve` stores them at start). It inserts COUNT submitted assessments of
one framework (city-for-all by default) spread over the directory's municipalities, at most one per
municipality and year (2023-2025), then bumps `assessments_generation` in `app_state` so that running
servers rebuild their peer index.

The figures are made up but shaped like real ones, and the same for the same seed:
  * larger municipalities take part more often (sampling weight grows with the square root of the
    population), and some take part in two or three years;
  * each municipality has a maturity that depends on its size band, its country and itself; each key
    factor is a little easier or harder than the others; levels rise a little from one year to the next;
    levels are rounded and kept within the framework's scale (1-5);
  * about half the ratings grade their evidence, some carry evidence text, comments and answers to the
    guiding questions; about a third of the reports are published.
The anchor municipality (Mechelen, BE, geonames:2791537 by default) always gets a published 2025
assessment and a 2024 one, with every guiding question answered, so that its report shows the earlier
year and a full page.

The key factors, questions, context factors and the scale are read from the framework JSON stored in
`benchmark_frameworks`, not written here. Everything is inserted with executemany in one transaction.
The summary (stdout, and --summary as JSON) gives the anchor's assessment ids and the peer comparison
the report should show (count and average per key factor of the same country or size band, each
municipality's latest submitted assessment), so that the caller can check the app's figures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sqlite3
import sys
import time
from collections import Counter, defaultdict

YEARS = (2023, 2024, 2025)
# Size bands by population (lower bound inclusive): as SizeBand in LivingTogetherCore.
BANDS = (("xs", 0), ("s", 5_000), ("m", 20_000), ("l", 100_000), ("xl", 500_000))
BAND_MATURITY = {"xs": 1.9, "s": 2.3, "m": 2.7, "l": 3.0, "xl": 3.3}
EVIDENCE_KINDS = ("policy", "internal", "external")

EVIDENCE_TEXTS = (
    "Council decision on the diversity plan; annual activity report.",
    "Budget line in the multi-year plan; staff time of the integration service.",
    "Minutes of the advisory council; list of partner organisations.",
    "Survey of residents; figures from the population register.",
    "Training records of the HR department.",
    "Website pages in several languages; leaflets at the town hall.",
)
COMMENTS = (
    "Depends on one project grant that ends next year.",
    "Good cooperation with local associations, less so with schools.",
    "We want to reach newcomers earlier.",
    "Started after the last elections; to be continued.",
    "The neighbouring municipality does this better: ask them for advice.",
    "Mainly carried by volunteers.",
)
ANSWERS = (
    "Yes, through the social service and a partner organisation.",
    "Partly: only in the city centre.",
    "Not yet; planned for next year.",
    "Yes, every year since 2019.",
    "An informal arrangement, not written down.",
    "Through the library and the community centres.",
    "No.",
)
CONTEXT_NOTES = (
    "Regional government sets the civic integration programme.",
    "Unemployment above the regional average.",
    "New council since the last municipal elections.",
    "Small team: one officer part-time on this theme.",
    "Limited local figures; regional statistics only.",
)


def band_of(population: int | None) -> str | None:
    if population is None:
        return None
    name = "xs"
    for band, lower in BANDS:
        if population >= lower:
            name = band
    return name


def timestamp(day: dt.datetime) -> float:
    """Dates as the app stores them in SQLite: seconds since 1970 as a REAL."""
    return day.replace(tzinfo=dt.timezone.utc).timestamp()


def compact(value) -> str:
    """JSON as the app writes it: keys sorted, no spaces."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Generator:
    def __init__(self, framework: dict, seed: int):
        self.rng = random.Random(seed)
        self.framework = framework
        self.key_factors = [k["id"] for k in framework["keyFactors"]]
        self.questions = [(k["id"], q["id"]) for k in framework["keyFactors"] for q in k.get("questions", [])]
        self.context_ids = [c["id"] for c in framework.get("contextFactors", [])]
        values = [level["value"] for level in framework["scale"]["levels"]]
        self.low, self.high = min(values), max(values)
        # Some key factors are harder than others, everywhere.
        self.kf_offset = {k: self.rng.gauss(0, 0.35) for k in self.key_factors}
        self.country_offset: dict[str, float] = {}

    def maturity(self, country: str, band: str | None) -> float:
        if country not in self.country_offset:
            self.country_offset[country] = self.rng.gauss(0, 0.3)
        return BAND_MATURITY.get(band or "s", 2.3) + self.country_offset[country] + self.rng.gauss(0, 0.6)

    def level(self, base: float, kf: str) -> int:
        x = base + self.kf_offset[kf] + self.rng.gauss(0, 0.7)
        return max(self.low, min(self.high, int(math.floor(x + 0.5))))

    def evidence(self, level: int) -> dict:
        if self.rng.random() < 0.5:
            return {}
        span = self.high - self.low or 1
        share = (level - self.low) / span  # 0 at the bottom of the scale, 1 at the top
        out = {}
        for kind in EVIDENCE_KINDS:
            x = share + self.rng.gauss(0, 0.2) - (0.1 if kind == "external" else 0.0)
            out[kind] = "fully" if x > 0.7 else "partially" if x > 0.3 else "does-not-comply"
        return out

    def content(self, base: float, full: bool = False) -> tuple[dict, list[int]]:
        rng = self.rng
        ratings, levels = {}, []
        for kf in self.key_factors:
            level = self.level(base, kf)
            levels.append(level)
            ratings[kf] = {
                "level": level,
                "evidence": self.evidence(level) if not full else {k: "partially" for k in EVIDENCE_KINDS},
                "evidenceText": rng.choice(EVIDENCE_TEXTS) if full or rng.random() < 0.3 else "",
                "comments": rng.choice(COMMENTS) if full or rng.random() < 0.2 else "",
            }
        answers = {}
        answer_share = 1.0 if full else (rng.random() * 0.6 if rng.random() < 0.4 else 0.0)
        for kf, q in self.questions:
            if rng.random() < answer_share:
                answers[f"{kf}/{q}"] = rng.choice(ANSWERS)
        context = {c: rng.choice(CONTEXT_NOTES) for c in self.context_ids if full or rng.random() < 0.15}
        return {"answers": answers, "ratings": ratings, "context": context}, levels


def pick_years(rng: random.Random) -> list[int]:
    r = rng.random()
    if r < 0.6:
        return [rng.choice(YEARS)]
    if r < 0.85:
        first = rng.choice(YEARS[:-1])
        return [first, first + 1]
    return list(YEARS)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database")
    parser.add_argument("--count", type=int, default=20_000, help="submitted assessments to insert (default 20000)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--framework", default="city-for-all")
    parser.add_argument("--anchor", default="geonames:2791537", help="source_key of the municipality whose report is measured (Mechelen)")
    parser.add_argument("--published-share", type=float, default=0.3)
    parser.add_argument("--summary", help="also write the summary as JSON to this file")
    args = parser.parse_args()

    started = time.perf_counter()
    db = sqlite3.connect(args.database, timeout=30)
    db.execute("PRAGMA foreign_keys=ON")
    db.execute("PRAGMA busy_timeout=30000")

    row = db.execute("SELECT id, version, content FROM benchmark_frameworks WHERE framework_key = ? ORDER BY version DESC LIMIT 1",
                     (args.framework,)).fetchone()
    if row is None:
        print(f"error: framework {args.framework!r} is not in benchmark_frameworks: start `livingtogether serve` once first",
              file=sys.stderr)
        return 2
    framework_id, framework_version, framework_json = row
    gen = Generator(json.loads(framework_json), args.seed)
    existing = db.execute("SELECT count(*) FROM assessments WHERE framework_key = ?", (args.framework,)).fetchone()[0]
    if existing:
        print(f"error: the database already holds {existing} assessments of {args.framework}; use a fresh one", file=sys.stderr)
        return 2

    municipalities = db.execute(
        "SELECT id, country, population, source_key FROM organisations WHERE kind = 'municipality' ORDER BY id").fetchall()
    if not municipalities:
        print("error: no municipality in the database: import the directory first", file=sys.stderr)
        return 2
    by_id = {m[0]: m for m in municipalities}
    anchor = next((m for m in municipalities if m[3] == args.anchor), None)
    if anchor is None:
        print(f"error: no municipality with source_key {args.anchor!r}", file=sys.stderr)
        return 2
    read_s = time.perf_counter() - started

    # Participants: weighted sampling without replacement (Efraimidis-Spirakis), weight sqrt(population).
    rng = gen.rng
    keyed = []
    for m in municipalities:
        if m[0] == anchor[0]:
            continue
        weight = math.sqrt(max(m[2] or 0, 100))
        keyed.append((rng.random() ** (1.0 / weight), m[0]))
    keyed.sort(reverse=True)

    plan: list[tuple[int, list[int]]] = [(anchor[0], [2024, 2025])]
    total = 2
    for _, org_id in keyed:
        if total >= args.count:
            break
        years = pick_years(rng)[: args.count - total]
        plan.append((org_id, years))
        total += len(years)

    next_id = (db.execute("SELECT coalesce(max(id), 0) FROM assessments").fetchone()[0] or 0) + 1
    rows, changes = [], []
    latest: dict[int, tuple[int, list[int]]] = {}  # organisation -> (year, levels) of its latest assessment
    anchor_ids: dict[int, int] = {}
    for org_id, years in plan:
        _, country, population, _ = by_id[org_id]
        base = gen.maturity(country, band_of(population))
        is_anchor = org_id == anchor[0]
        for year in years:
            content, levels = gen.content(base, full=is_anchor)
            submitted = dt.datetime(year, 10, 1) + dt.timedelta(days=rng.randrange(0, 150), seconds=rng.randrange(0, 86_400))
            created = submitted - dt.timedelta(days=rng.randrange(1, 90), seconds=rng.randrange(0, 86_400))
            published = (is_anchor and year == 2025) or (not is_anchor and rng.random() < args.published_share)
            revision = rng.randrange(2, 12)
            rows.append((next_id, org_id, framework_id, args.framework, year, "submitted", revision, compact(content),
                         sum(levels) / len(levels), 1 if published else 0, None, timestamp(submitted), timestamp(created),
                         timestamp(submitted)))
            changes.append((next_id, None, 1, "created", "[]", timestamp(created)))
            changes.append((next_id, None, revision, "submitted", "[]", timestamp(submitted)))
            if published:
                changes.append((next_id, None, revision, "published", "[]", timestamp(submitted + dt.timedelta(hours=2))))
            if is_anchor:
                anchor_ids[year] = next_id
            if latest.get(org_id, (0,))[0] < year:
                latest[org_id] = (year, levels)
            next_id += 1
            base += rng.gauss(0.2, 0.15)  # a little better every year
    built_s = time.perf_counter() - started - read_s

    with db:  # one transaction
        db.executemany(
            "INSERT INTO assessments (id, organisation_id, framework_id, framework_key, year, status, revision, content, average, "
            "published, created_by_id, submitted_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany("INSERT INTO assessment_changes (assessment_id, user_id, revision, action, changes, at) VALUES (?, ?, ?, ?, ?, ?)",
                       changes)
        db.execute("INSERT INTO app_state (key, value) VALUES ('assessments_generation', 1) "
                   "ON CONFLICT(key) DO UPDATE SET value = app_state.value + 1")
    generation = db.execute("SELECT value FROM app_state WHERE key = 'assessments_generation'").fetchone()[0]
    insert_s = time.perf_counter() - started - read_s - built_s

    # The peer comparison Mechelen's report should show: other municipalities of the same country or the
    # same size band, each with its latest submitted assessment.
    a_country, a_band = anchor[1], band_of(anchor[2])
    sums, counts, peers = defaultdict(int), defaultdict(int), 0
    for org_id, (_, levels) in latest.items():
        if org_id == anchor[0]:
            continue
        _, country, population, _ = by_id[org_id]
        if country == a_country or (a_band is not None and band_of(population) == a_band):
            peers += 1
            for kf, level in zip(gen.key_factors, levels):
                sums[kf] += level
                counts[kf] += 1
    summary = {
        "framework": args.framework,
        "framework_version": framework_version,
        "key_factors": gen.key_factors,
        "assessments": len(rows),
        "organisations": len(plan),
        "published": sum(1 for r in rows if r[9]),
        "by_year": dict(sorted(Counter(r[4] for r in rows).items())),
        "assessment_changes": len(changes),
        "content_bytes_average": round(sum(len(r[7]) for r in rows) / len(rows)),
        "assessments_generation": generation,
        "anchor": {"organisation_id": anchor[0], "source_key": anchor[3], "country": a_country, "population": anchor[2],
                   "band": a_band, "report_2025": anchor_ids.get(2025), "report_2024": anchor_ids.get(2024)},
        "expected_peers": {"count": peers, "averages": {kf: sums[kf] / counts[kf] for kf in gen.key_factors if counts[kf]}},
        "seconds": {"read": round(read_s, 3), "build": round(built_s, 3), "insert": round(insert_s, 3),
                    "total": round(time.perf_counter() - started, 3)},
    }
    print(f"inserted {summary['assessments']} submitted assessments of {args.framework} v{framework_version} "
          f"for {summary['organisations']} municipalities (by year: {summary['by_year']}; published: {summary['published']}), "
          f"{len(changes)} history rows; assessments_generation = {generation}")
    print(f"key factors (from the stored framework): {', '.join(gen.key_factors)}")
    print(f"anchor {anchor[3]} (organisation {anchor[0]}, {a_country}, population {anchor[2]}, band {a_band}): "
          f"2025 assessment {anchor_ids.get(2025)} (published), 2024 assessment {anchor_ids.get(2024)}")
    print(f"expected peers of the anchor: {peers} municipalities; averages "
          + ", ".join(f"{kf} {v:.2f}" for kf, v in summary["expected_peers"]["averages"].items()))
    s = summary["seconds"]
    print(f"generator time: {s['total']:.2f} s (read {s['read']:.2f} s, build {s['build']:.2f} s, insert {s['insert']:.2f} s)")
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
